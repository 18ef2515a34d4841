import crypto from 'node:crypto';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, type NewEvent } from '../../src/db/outbox.js';
import { verifySignature } from '../../src/modules/webhooks/webhook-signature.js';
import { startOrdo, type OrdoProcess } from '../reservations/ordo-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startReceiver, type Receiver, type Received } from './receiver.js';

const KEY = 'dispatch-processes-admin-key';
const NATS_URL = process.env.ORDO_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

function expectOrderedPerAggregate(received: Received[]): void {
  const byAggregate = new Map<string, number[]>();
  for (const r of received) byAggregate.set(r.event.aggregateId, [...(byAggregate.get(r.event.aggregateId) ?? []), r.event.position]);
  for (const [aggregate, positions] of byAggregate) expect(positions, aggregate).toEqual([...positions].sort((a, b) => a - b));
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `count` order events over `orders` orders, in transactions of 1 to 4 events. */
async function emitOrders(database: TestDatabase, count: number, orders: number, tag: string): Promise<void> {
  const types = ['order.confirmed', 'order.shipped', 'order.delayed', 'order.refunded'];
  let n = 0;
  while (n < count) {
    const size = Math.min(count - n, 1 + (n % 4));
    const events: NewEvent[] = Array.from({ length: size }, (_, i) => {
      const k = n + i;
      return { type: types[k % types.length]!, aggregateType: 'order', aggregateId: `${tag}-${k % orders}`, payload: { k } };
    });
    await database.db.transaction().execute((tx) => appendEvents(tx, events));
    n += size;
  }
}

// Real Ordo processes (node src/main.ts) dispatching from one PostgreSQL database.
describe('dispatch across Ordo processes (PostgreSQL)', () => {
  const run = crypto.randomBytes(4).toString('hex');
  let database: TestDatabase;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const started: OrdoProcess[] = [];
  const receivers: Receiver[] = [];
  const streams: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 4 });
    nc = await connect({ servers: NATS_URL });
    jsm = await nc.jetstreamManager();
  });
  afterAll(async () => {
    for (const p of started) await p.kill();
    for (const r of receivers) await r.close();
    for (const s of streams) await jsm?.streams.delete(s).catch(() => undefined);
    await nc?.close();
    await database?.close();
  });

  const start = async (env: Record<string, string>) => {
    const p = await startOrdo(database.url!, KEY, {
      ORDO_DISPATCH_INTERVAL_MS: '20',
      ORDO_DISPATCH_LEASE_MS: '1000',
      ORDO_DISPATCH_BATCH_SIZE: '40',
      ORDO_WEBHOOK_RETRY_BASE_MS: '50',
      ORDO_WEBHOOK_RETRY_MAX_MS: '400',
      ...env,
    });
    started.push(p);
    return p;
  };
  // Timeouts far above the receiver's latency: a slow machine must not turn into retries (duplicates).
  const subscribe = async (p: OrdoProcess, url: string, eventTypes: string[], timeoutMs = 10_000) => {
    const res = await fetch(`${p.baseUrl}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, eventTypes, timeoutMs, maxAttempts: 50 }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; secret: string };
  };
  /** Event ids of the orders tagged so, in position order. */
  const eventIds = async (...tags: string[]) =>
    (
      await database.db
        .selectFrom('outbox_event')
        .select('event_id')
        .where((eb) => eb.or(tags.map((tag) => eb('aggregate_id', 'like', `${tag}-%`))))
        .orderBy('position')
        .execute()
    ).map((r) => r.event_id);

  it('SIGKILL during dispatch, then a restart: every event is delivered (webhooks and NATS), in order per order', async () => {
    const stream = `ORDO_CRASH_${run}`;
    const prefix = `ordo_crash_${run}.events`;
    streams.push(stream);
    // Slow enough to be caught mid-way; the first attempt of every 7th event fails.
    const receiver = await startReceiver((r) => ((r.event.payload as { k: number }).k % 7 === 0 && r.attempt === 1 ? 500 : 200), { latencyMs: 15 });
    receivers.push(receiver);
    const env = { ORDO_WEBHOOK_CONCURRENCY: '4', NATS_URL, ORDO_NATS_SUBJECT_PREFIX: prefix, ORDO_NATS_STREAM: stream };
    const first = await start(env);
    // 3 s: the claims of the killed process expire 3 s + the 1 s lease after the kill.
    const { secret } = await subscribe(first, receiver.url, ['order.*'], 3_000);

    await emitOrders(database, 600, 25, 'up');
    await waitFor('a third of the deliveries', () => receiver.accepted().length >= 200);
    await first.kill();
    const acceptedAtKill = new Set(receiver.accepted().map((r) => r.eventId)).size;
    expect(acceptedAtKill).toBeLessThan(600);

    // Events committed while no Ordo process runs are not lost either.
    await emitOrders(database, 100, 25, 'down');
    const second = await start(env);
    await waitFor('every delivery after the restart', () => new Set(receiver.accepted().map((r) => r.eventId)).size === 700);
    const expected = await eventIds('up', 'down');
    expect(expected).toHaveLength(700);

    const accepted = receiver.accepted();
    expect(new Set(accepted.map((r) => r.eventId))).toEqual(new Set(expected));
    // At-least-once: only requests in flight at the kill (at most the concurrency) may be accepted twice.
    expect(accepted.length - 700).toBeLessThanOrEqual(4);
    for (const r of receiver.received) expect(verifySignature(secret, r.signature, r.body, Math.floor(Date.now() / 1000)).ok).toBe(true);
    expectOrderedPerAggregate(receiver.received);

    // NATS: the stream holds every event exactly once (republished batches deduplicated by msgID), in outbox order.
    await waitFor('the NATS stream to catch up', async () => (await jsm.streams.info(stream)).state.messages >= 700);
    const info = await jsm.streams.info(stream);
    expect(info.state.messages).toBe(700);
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) ids.push((await jsm.streams.getMessage(stream, { seq })).header.get('Nats-Msg-Id'));
    expect(ids).toEqual(expected);

    const consumers = await database.db.selectFrom('event_consumer').select(['name', 'position', 'failures']).where('name', 'in', ['webhooks', 'nats']).execute();
    const head = await database.db.selectFrom('outbox_event').select((eb) => eb.fn.max('position').as('head')).executeTakeFirstOrThrow();
    expect(consumers.map((c) => [c.name, Number(c.position)]).sort()).toEqual([['nats', Number(head.head)], ['webhooks', Number(head.head)]]);
    await second.kill();
  });

  it('two processes dispatching from one database deliver each event once', async () => {
    const stream = `ORDO_PAIR_${run}`;
    streams.push(stream);
    const receiver = await startReceiver(() => 200, { latencyMs: 5 });
    receivers.push(receiver);
    const env = { ORDO_WEBHOOK_CONCURRENCY: '8', NATS_URL, ORDO_NATS_SUBJECT_PREFIX: `ordo_pair_${run}.events`, ORDO_NATS_STREAM: stream };
    const [one, two] = await Promise.all([start(env), start(env)]);
    const a = await subscribe(one!, `${receiver.url}/a`, ['order.shipped', 'order.confirmed']);
    const b = await subscribe(two!, `${receiver.url}/b`, ['order.*']);

    await emitOrders(database, 400, 40, 'pair');
    const rows = await database.db.selectFrom('outbox_event').select(['event_id', 'type']).where('aggregate_id', 'like', 'pair-%').execute();
    const expected = rows.filter((r) => r.type === 'order.shipped' || r.type === 'order.confirmed').length + rows.length;
    await waitFor('every delivery', () => receiver.received.length >= expected);
    await new Promise((r) => setTimeout(r, 1_000));

    // Each (subscription, event) exactly once, at the first attempt: no process sent what another had claimed.
    expect(receiver.received).toHaveLength(expected);
    expect(new Set(receiver.received.map((r) => `${r.path} ${r.eventId}`)).size).toBe(expected);
    expect(receiver.received.every((r) => r.attempt === 1)).toBe(true);
    for (const path of ['/hooks/a', '/hooks/b']) expectOrderedPerAggregate(receiver.received.filter((r) => r.path === path));
    // Every attempt recorded once, by the process that made it.
    const attempts = await database.db
      .selectFrom('webhook_attempt')
      .innerJoin('webhook_delivery', 'webhook_delivery.id', 'webhook_attempt.delivery_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('webhook_delivery.subscription_id', 'in', [a.id, b.id])
      .executeTakeFirstOrThrow();
    expect(Number(attempts.n)).toBe(expected);
    await waitFor('the NATS stream', async () => (await jsm.streams.info(stream)).state.messages >= rows.length);
    await Promise.all([one!.kill(), two!.kill()]);
  });
});
