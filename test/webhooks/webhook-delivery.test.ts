import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, sequenceEvents, type NewEvent } from '../../src/db/outbox.js';
import { verifySignature } from '../../src/modules/webhooks/webhook-signature.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startReceiver, type Receiver, type Received } from './receiver.js';

const order = (orderId: string, type: string, seq: number): NewEvent => ({ type, aggregateType: 'order', aggregateId: orderId, payload: { orderId, seq } });

/** Receipts of one aggregate must come in position order (a retry of the same event may repeat it). */
function expectOrderedPerAggregate(received: Received[]): void {
  const byAggregate = new Map<string, number[]>();
  for (const r of received) byAggregate.set(r.event.aggregateId, [...(byAggregate.get(r.event.aggregateId) ?? []), r.event.position]);
  for (const [aggregate, positions] of byAggregate) expect(positions, aggregate).toEqual([...positions].sort((a, b) => a - b));
}

describe('webhook delivery to a real HTTP receiver', () => {
  let t: TestApp;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDO_WEBHOOK_RETRY_BASE_MS: '1000', ORDO_WEBHOOK_RETRY_MAX_MS: '8000' } });
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    // Each test subscribes its own endpoint; drop the previous ones so they do not see later events.
    await t.database.db.deleteFrom('webhook_subscription').execute();
  });
  afterAll(async () => t?.close());

  const emit = async (...transactions: NewEvent[][]) => {
    for (const events of transactions) await t.database.db.transaction().execute((tx) => appendEvents(tx, events));
  };
  const subscribe = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: t.admin, payload: { url: receiver!.url, ...payload } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; secret: string };
  };
  /** One round of the background jobs, then the clock moves on so retries come due. */
  const round = async (advanceMs = 10_000) => {
    await sequenceEvents(t.database.db);
    await t.ctx.dispatcher.tick();
    await t.ctx.webhookSender.tick();
    await t.ctx.webhookSender.idle();
    t.clock.advance(advanceMs);
  };
  const runUntil = async (done: () => boolean, maxRounds = 200) => {
    for (let i = 0; i < maxRounds && !done(); i++) await round();
    expect(done()).toBe(true);
  };
  const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: t.admin })).json();

  it('delivers every event through failures and timeouts, signed, in order per order, once accepted', async () => {
    // 500s first, then three stalls past the timeout, then one failure in three until it recovers.
    receiver = await startReceiver(
      (_r, i) => (i < 6 ? 500 : i < 9 ? { stallMs: 2_500 } : i < 45 && i % 3 === 0 ? 503 : 200),
      { now: () => t.clock.now().getTime() },
    );
    const { id, secret } = await subscribe({ eventTypes: ['order.*'], timeoutMs: 1_000, maxAttempts: 20 });
    const orders = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'];
    const types = ['order.confirmed', 'order.shipped', 'order.delayed', 'order.cancelled'];
    const transactions: NewEvent[][] = [];
    for (let seq = 0; seq < 8; seq++) {
      // Some transactions carry events of several orders, and every order gets events unrelated types interleave with.
      transactions.push(orders.slice(0, 3).map((o) => order(o, types[seq % 4]!, seq)));
      transactions.push([order('o-4', types[(seq + 1) % 4]!, seq), { type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'WH/SKU', payload: {} }]);
      transactions.push([order('o-5', 'order.refunded', seq)]);
    }
    await emit(...transactions);
    const expected = 40;

    await runUntil(() => new Set(receiver!.accepted().map((r) => r.eventId)).size === expected);
    await round();

    const received = receiver.received;
    const accepted = receiver.accepted();
    // Every event delivered, each accepted exactly once; the other receipts are retries of the same event id.
    expect(accepted).toHaveLength(expected);
    expect(new Set(accepted.map((r) => r.eventId)).size).toBe(expected);
    expect(received.every((r) => r.event.type.startsWith('order.'))).toBe(true);
    expect(received.length).toBeGreaterThan(expected);
    const bodies = new Map<string, string>();
    for (const r of received) {
      expect(r.eventId).toBe(r.event.eventId);
      expect(bodies.get(r.eventId) ?? r.body).toBe(r.body);
      bodies.set(r.eventId, r.body);
    }
    // Every request is signed over its exact body, with a timestamp close to the receiver's clock.
    for (const r of received) expect(verifySignature(secret, r.signature, r.body, Math.floor(r.receivedAt / 1000))).toMatchObject({ ok: true });
    expect(verifySignature('whsec_wrong', received[0]!.signature, received[0]!.body, Math.floor(received[0]!.receivedAt / 1000)).ok).toBe(false);
    expectOrderedPerAggregate(received);
    expect(accepted.filter((r) => r.event.aggregateId === 'o-5').map((r) => (r.event.payload as { seq: number }).seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    // The delivery log tells the story: status codes, timeouts, attempts, durations; paginated.
    const pages: { id: string; status: string; totalAttempts: number }[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/v1/webhooks/${id}/deliveries?limit=15${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(expected);
    expect(new Set(pages.map((d) => d.id)).size).toBe(expected);
    expect(pages.every((d) => d.status === 'delivered')).toBe(true);
    expect(pages.reduce((n, d) => n + d.totalAttempts, 0)).toBe(received.length);

    const stalled = received.find((r) => r.answer === 'stalled')!;
    const detail = await get(`/v1/webhooks/${id}/deliveries/${stalled.deliveryId}`);
    expect(detail.status).toBe('delivered');
    const timeout = detail.attemptLog.find((a: { error: string | null }) => a.error === 'timeout after 1000 ms');
    expect(timeout).toMatchObject({ statusCode: null });
    expect(timeout.durationMs).toBeGreaterThanOrEqual(990);
    const first = await get(`/v1/webhooks/${id}/deliveries/${received[0]!.deliveryId}`);
    expect(first.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: 500, error: 'HTTP 500', responseExcerpt: 'receiver says no' });
    expect(first.attemptLog.at(-1)).toMatchObject({ statusCode: 200, error: null });
    expect(first.attemptLog.map((a: { attempt: number }) => a.attempt)).toEqual(first.attemptLog.map((_: unknown, i: number) => i + 1));
    const retried = received.filter((r) => r.deliveryId === received[0]!.deliveryId).map((r) => r.attempt);
    expect(retried).toEqual(retried.map((_, i) => i + 1));
    expect((await get(`/v1/webhooks/${id}/deliveries?status=pending`)).items).toEqual([]);
  });

  it('a failing event holds back the later events of its order for that subscription, not other orders', async () => {
    let stuckFails = true;
    receiver = await startReceiver((r) => (stuckFails && r.event.aggregateId === 'o-stuck' ? 500 : 200));
    await subscribe({ eventTypes: ['order.*'], maxAttempts: 20 });
    await emit([order('o-stuck', 'order.confirmed', 1)], [order('o-free', 'order.confirmed', 1)], [order('o-stuck', 'order.shipped', 2), order('o-free', 'order.shipped', 2)], [order('o-stuck', 'order.refunded', 3)]);
    for (let i = 0; i < 6; i++) await round();

    const seqs = (aggregate: string, list: Received[]) => list.filter((r) => r.event.aggregateId === aggregate).map((r) => (r.event.payload as { seq: number }).seq);
    expect(seqs('o-free', receiver.accepted())).toEqual([1, 2]);
    const stuck = seqs('o-stuck', receiver.received);
    expect(stuck.length).toBeGreaterThanOrEqual(3);
    expect(new Set(stuck)).toEqual(new Set([1]));

    stuckFails = false;
    await runUntil(() => seqs('o-stuck', receiver!.accepted()).length === 3);
    expect(seqs('o-stuck', receiver.accepted())).toEqual([1, 2, 3]);
    expectOrderedPerAggregate(receiver.received);
  });

  it('dead-letters after maxAttempts, lets the order move on, and requeues on demand', async () => {
    let down = true;
    receiver = await startReceiver((r) => (down && (r.event.payload as { seq: number }).seq === 1 ? 500 : 200));
    const { id } = await subscribe({ eventTypes: ['order.cancelled', 'order.refunded'], maxAttempts: 3 });
    await emit([order('o-dead', 'order.cancelled', 1)], [order('o-dead', 'order.refunded', 2)], [order('o-dead', 'order.shipped', 3)]);
    await runUntil(() => receiver!.accepted().length === 1);
    expect(receiver.received.map((r) => [(r.event.payload as { seq: number }).seq, r.answer])).toEqual([[1, 500], [1, 500], [1, 500], [2, 200]]);

    const dead = await get(`/v1/webhooks/${id}/deliveries?status=dead`);
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({ status: 'dead', attempts: 3, totalAttempts: 3, lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(dead.items[0].deadAt).not.toBeNull();
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('ordo_webhook_deliveries{status="dead"} 1');
    expect(metrics).toContain('ordo_event_consumer_lag_events{consumer="webhooks"} 0');

    down = false;
    const requeue = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/requeue`, headers: t.admin, payload: {} });
    expect(requeue.json()).toEqual({ requeued: 1 });
    await runUntil(() => receiver!.accepted().length === 2);
    const redelivered = receiver.accepted()[1]!;
    expect([(redelivered.event.payload as { seq: number }).seq, redelivered.attempt]).toEqual([1, 4]);
    expect((await get(`/v1/webhooks/${id}/deliveries/${dead.items[0].id}`)).status).toBe('delivered');
    expect((await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/requeue`, headers: t.admin, payload: {} })).json()).toEqual({ requeued: 0 });
  });

  it('holds deliveries while paused and sends them once resumed', async () => {
    receiver = await startReceiver();
    const { id } = await subscribe({ eventTypes: ['order.*'] });
    await t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: t.admin, payload: { status: 'paused' } });
    await emit([order('o-p', 'order.confirmed', 1)], [order('o-p', 'order.shipped', 2)]);
    for (let i = 0; i < 3; i++) await round();
    expect(receiver.received).toHaveLength(0);
    expect((await get(`/v1/webhooks/${id}/deliveries?status=pending`)).items).toHaveLength(2);
    await t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: t.admin, payload: { status: 'active' } });
    await runUntil(() => receiver!.accepted().length === 2);
    expectOrderedPerAggregate(receiver.received);
  });

  it('without a subscription the fan-out reads no event and follows the log; a new subscription gets what comes after it', async () => {
    const fanOut = t.ctx.dispatcher.consumers.find((c) => c.name === 'webhooks')!;
    expect(await fanOut.handles!()).toEqual([]);
    await emit([order('o-n', 'order.confirmed', 1)], [order('o-n', 'order.shipped', 2)]);
    await round();
    const consumers = (await get('/v1/event-consumers')).items as Array<{ name: string; lag: number }>;
    expect(consumers.find((c) => c.name === 'webhooks')?.lag).toBe(0);

    receiver = await startReceiver();
    const { id } = await subscribe({ eventTypes: ['order.*'] });
    expect(await fanOut.handles!()).toBe('all');
    await emit([order('o-n', 'order.delayed', 3)]);
    await runUntil(() => receiver!.accepted().length === 1);
    expect(receiver.accepted().map((r) => r.event.payload)).toEqual([{ orderId: 'o-n', seq: 3 }]);
    expect((await get(`/v1/webhooks/${id}/deliveries`)).items).toHaveLength(1);
  });

  it('replays a subscription from a cursor: the same events again, in order, with their ids', async () => {
    receiver = await startReceiver();
    const { id } = await subscribe({ eventTypes: ['order.shipped', 'order.delayed'] });
    const events = Array.from({ length: 30 }, (_, i) => [order(`o-r${i % 3}`, i % 2 === 0 ? 'order.shipped' : 'order.delayed', i)]);
    await emit(...events, [{ type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'WH/SKU', payload: {} }]);
    await runUntil(() => receiver!.accepted().length === 30);
    const firstPass = receiver.accepted().map((r) => r.event);
    const cursor = [...firstPass].sort((a, b) => a.position - b.position)[9]!.position;

    const replay = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/replay`, headers: t.admin, payload: { after: cursor } });
    expect(replay.statusCode).toBe(202);
    await runUntil(() => receiver!.accepted().length === 50);
    const replayed = receiver.accepted().slice(30).map((r) => r.event);
    expect(new Set(replayed.map((e) => e.eventId))).toEqual(new Set(firstPass.filter((e) => e.position > cursor).map((e) => e.eventId)));
    expectOrderedPerAggregate(receiver.received.slice(30));
    expect((await get(`/v1/webhooks/${id}`)).replay).toBeNull();
    for (let i = 0; i < 2; i++) await round();
    expect(receiver.received).toHaveLength(50);
  });
});
