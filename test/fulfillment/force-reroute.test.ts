import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectInventoryConsistent, orderWrites, position } from '../orders/fixtures.js';
import { allocationsOf, bearer, buildRerouteNetwork, fulfillmentsOf, getOrder, orderEvents, placed, reliability, step, timelineEvents } from './reroute-fixtures.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** The re-route network plus an ops key and a customer-service key; returns every key and the ops actor id. */
async function setUp(opts: Parameters<typeof buildRerouteNetwork>[1] = {}) {
  t = await createTestApp();
  const keys = await buildRerouteNetwork(t, opts);
  const key = async (role: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: `${role} desk`, role } });
    expect(res.statusCode, res.body).toBe(201);
    return String(res.json().secret);
  };
  const opsKey = await key('ops');
  const serviceKey = await key('service');
  const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(opsKey) });
  return { ...keys, opsKey, serviceKey, opsActor: String(me.json().id) };
}

function reroute(id: string, payload: unknown, headers: Record<string, string>) {
  return t.app.inject({ method: 'POST', url: `/v1/fulfillments/${id}/reroute`, headers, payload: payload as object });
}

async function decisions(orderId: string): Promise<Array<{ trigger: string; cause: string | null; summary: string; excluded: Array<{ locationId: string; reason: string }>; chosen: { shipments: Array<{ locationId: string }> } }>> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/sourcing`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('ops force a re-route (POST /v1/fulfillments/{id}/reroute)', () => {
  it('a packed shipment at Rivoli: its units go back to Rivoli, are held at Opéra instead, and the timeline says who and why', async () => {
    const { parisKey, opsKey, opsActor } = await setUp();
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }], payment: { provider: 'manual' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect(f1).toMatchObject({ kind: 'ship', locationId: 'store-paris' });
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    expect((await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 2 }] }, bearer(parisKey))).statusCode).toBe(200);
    expect((await step(t, f1!.id, 'pack', { parcels: [{ weightGrams: 1100 }] }, bearer(parisKey))).statusCode).toBe(200);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 2 });
    const before = await reliability(t.ctx.db, 'store-paris');

    const res = await reroute(f1!.id, { reason: 'Rivoli is closed after a water leak' }, { ...bearer(opsKey), 'idempotency-key': 'ops-1' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.fulfillment).toMatchObject({ id: f1!.id, status: 'cancelled', note: 'Rivoli is closed after a water leak' });
    expect(body.allocations).toEqual([expect.objectContaining({ sku: 'SKU-1', locationId: 'store-opera', quantity: 2, status: 'reserved' })]);
    expect(body.fulfillments).toEqual([expect.objectContaining({ kind: 'ship', locationId: 'store-opera', status: 'pending' })]);
    expect(body.allocations[0].fulfillmentId).toBe(body.fulfillments[0].id);

    // Stock: Rivoli's units are free again (on hand untouched: nothing left), Opéra holds them.
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 2 });
    await expectInventoryConsistent(t);
    // Rivoli did nothing wrong: its reliability stays.
    expect(await reliability(t.ctx.db, 'store-paris')).toBe(before);

    const after = await getOrder(t, o.id);
    expect(after.status).toBe('allocated');
    expect(allocationsOf(after.lines[0])).toEqual([
      ['store-opera', 'reserved', 2],
      ['store-paris', 'released', 2],
    ]);
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([
      ['store-paris', 'cancelled'],
      ['store-opera', 'pending'],
    ]);

    const timeline = await timelineEvents(t, o.id);
    const cancelled = timeline.find((e) => e.event === 'fulfillment.cancelled')! as (typeof timeline)[number] & { actor: string };
    expect(cancelled).toMatchObject({ actor: opsActor, statusFrom: 'packed', statusTo: 'cancelled' });
    expect(cancelled.details).toMatchObject({ fulfillmentId: f1!.id, reason: 'ops_reroute', note: 'Rivoli is closed after a water leak', excludeLocation: true });
    const rerouted = timeline.find((e) => e.event === 'fulfillment.rerouted')! as (typeof timeline)[number] & { actor: string };
    expect(rerouted.actor).toBe(opsActor);
    expect(rerouted.details).toMatchObject({ cause: 'ops_reroute', excluded: ['store-paris'], units: [{ sku: 'SKU-1', quantity: 2 }], fulfillments: [{ kind: 'ship', locationId: 'store-opera' }], cancelled: [] });

    // The store hears its work is void; Opéra gets new work.
    const outbox = await orderEvents(t.ctx.db, o.id);
    expect(outbox.slice(-2).map((e) => [e.type, e.payload.locationId, e.payload.reason ?? null])).toEqual([
      ['fulfillment.cancelled', 'store-paris', 'ops_reroute'],
      ['fulfillment.created', 'store-opera', null],
    ]);
    // The sourcing explanation records the re-route and the avoided location.
    const last = (await decisions(o.id)).at(-1)!;
    expect(last).toMatchObject({ trigger: 'rerouted', cause: 'ops_reroute', excluded: [{ locationId: 'store-paris', reason: 'ops_reroute' }] });
    expect(last.chosen.shipments.map((s) => s.locationId)).toEqual(['store-opera']);
    expect(last.summary).toMatch(/^re-routed after an ops request: SKU-1 ×2 from store-opera/);
  });

  it('is idempotent with an Idempotency-Key, and a second re-route of the ended fulfillment is a 409', async () => {
    const { opsKey } = await setUp();
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    const headers = { ...bearer(opsKey), 'idempotency-key': 'ops-replay' };
    const first = await reroute(f1!.id, { reason: 'store understaffed' }, headers);
    expect(first.statusCode, first.body).toBe(200);
    const writes = await orderWrites(t.ctx.db);

    const replay = await reroute(f1!.id, { reason: 'store understaffed' }, headers);
    expect([replay.statusCode, replay.json()]).toEqual([200, first.json()]);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    const reused = await reroute(f1!.id, { reason: 'another reason' }, headers);
    expect([reused.statusCode, reused.json().error.code]).toEqual([422, 'idempotency_key_reused']);

    const again = await reroute(f1!.id, { reason: 'store understaffed' }, bearer(opsKey));
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'reroute_not_allowed']);
    expect(again.json().error.message).toContain('has ended (cancelled)');
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([
      ['store-paris', 'cancelled'],
      ['store-opera', 'pending'],
    ]);
    await expectInventoryConsistent(t);
  });

  it('excludeLocation false re-sources anywhere: the cheapest location, Rivoli again, takes the units back', async () => {
    const { opsKey } = await setUp();
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    const res = await reroute(f1!.id, { reason: 're-optimise after the price change', excludeLocation: false }, bearer(opsKey));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().fulfillments).toEqual([expect.objectContaining({ locationId: 'store-paris', status: 'pending' })]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 2 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 0 });
    await expectInventoryConsistent(t);
    expect((await timelineEvents(t, o.id)).find((e) => e.event === 'fulfillment.rerouted')!.details).toMatchObject({ excluded: [] });
  });

  it('never cancels the customer\'s units: when no other location can serve them it is refused and nothing changes', async () => {
    const { opsKey } = await setUp({ operaSku1: 0 });
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    const writes = await orderWrites(t.ctx.db);
    const res = await reroute(f1!.id, { reason: 'try elsewhere' }, bearer(opsKey));
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'reroute_unavailable']);
    expect(res.json().error.details.units).toEqual([expect.objectContaining({ sku: 'SKU-1', quantity: 2 })]);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'pending']]);
    expect((await getOrder(t, o.id)).status).toBe('allocated');
  });

  it('a shipped fulfillment cannot be re-routed (409) and nothing changes', async () => {
    const { parisKey, opsKey } = await setUp();
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }], payment: { provider: 'manual' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    expect((await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] }, bearer(parisKey))).statusCode).toBe(200);
    const shipped = await step(t, f1!.id, 'ship', { parcels: [{ weightGrams: 600 }], trackingNumber: 'TRK-0001' }, bearer(parisKey));
    expect(shipped.statusCode, shipped.body).toBe(200);
    const writes = await orderWrites(t.ctx.db);
    const res = await reroute(f1!.number, { reason: 'too late' }, bearer(opsKey));
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'reroute_not_allowed']);
    expect(res.json().error.message).toContain('has already left the location');
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    expect((await fulfillmentsOf(t, o.id)).map((f) => f.status)).toEqual(['shipped']);
  });

  it('a click & collect prepared at the pickup store: the units come to it by transfer from another store', async () => {
    const { opsKey } = await setUp();
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }], delivery: { method: 'pickup', pickupLocationId: 'store-paris' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    const res = await reroute(f1!.id, { reason: 'shelf stock is damaged' }, bearer(opsKey));
    expect(res.statusCode, res.body).toBe(200);
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.kind, f.locationId, f.status])).toEqual([
      ['pickup', 'store-paris', 'cancelled'],
      ['pickup', 'store-paris', 'pending'],
      ['transfer', 'store-opera', 'pending'],
    ]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 1 });
    await expectInventoryConsistent(t);
  });

  it('only admin and ops may: store and customer-service keys get 403, and bad input is a 400 that changes nothing', async () => {
    const { parisKey, serviceKey, opsKey } = await setUp();
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    const writes = await orderWrites(t.ctx.db);
    for (const key of [parisKey, serviceKey]) {
      const res = await reroute(f1!.id, { reason: 'not mine to decide' }, bearer(key));
      expect(res.statusCode, res.body).toBe(403);
    }
    const bad: unknown[] = [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'bell\u0007' },
      { reason: 'x'.repeat(501) },
      { reason: 42 },
      { reason: 'ok', excludeLocation: 'no' },
      { reason: 'ok', extra: true },
    ];
    for (const payload of bad) {
      const res = await reroute(f1!.id, payload, bearer(opsKey));
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(400);
    }
    const none = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f1!.id}/reroute`, headers: bearer(opsKey) });
    expect(none.statusCode).toBe(400);
    const unknown = await reroute('ORD-2026-999999-F1', { reason: 'who?' }, bearer(opsKey));
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'fulfillment_not_found']);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'pending']]);
  });
});
