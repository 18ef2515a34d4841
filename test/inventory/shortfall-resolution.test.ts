import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/shared/actor.js';
import { lockOrderPayments } from '../../src/modules/payments/payment.repository.js';
import { operatePayment } from '../../src/modules/payments/record-payment.js';
import type { TestApp } from '../support/test-app.js';
import { createTestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, orderWrites, position } from '../orders/fixtures.js';
import { allocationsOf, bearer, buildRerouteNetwork, fulfillmentsOf, getOrder, orderEvents, placed, step, timelineEvents } from '../fulfillment/reroute-fixtures.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

let asOfCounter = 0;
/** A full snapshot of one location (JSON), each newer than the last; SKUs absent from it go to 0. */
async function snapshot(locationId: string, items: Array<{ sku: string; onHand: number }>) {
  const asOf = new Date(Date.parse('2026-11-23T09:30:00Z') + ++asOfCounter * 1000).toISOString();
  const res = await t.app.inject({ method: 'POST', url: '/v1/inventory/snapshots', headers: t.admin, payload: { locationId, asOf, items } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function resolveNow() {
  const res = await t.app.inject({ method: 'POST', url: '/v1/inventory/shortfalls/resolve', headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function shortfallEvents() {
  const rows = await t.ctx.db.selectFrom('outbox_event').select(['aggregate_id', 'payload']).where('type', '=', 'inventory.shortfall_resolved').orderBy('id').execute();
  return rows.map((r) => r.payload as Record<string, unknown> & { action: Record<string, unknown> });
}

const paris = (sku = 'SKU-1') => position(t.ctx.db, sku, 'store-paris');

describe('a stock feed lowers on hand under reserved: the shortfall resolver re-sources the lost units', () => {
  it('an order allocated at Rivoli, a snapshot empties Rivoli: the order is re-sourced at Opéra with timeline, events, decision and audit', async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }], shippingMinor: 490, payment: { provider: 'manual' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect(f1).toMatchObject({ locationId: 'store-paris', status: 'pending' });

    // Rivoli's count: SKU-2 only, so SKU-1 goes to 0 under its 2 reserved units. The answer still lists it.
    const fed = await snapshot('store-paris', [{ sku: 'SKU-2', onHand: 1 }]);
    expect(fed).toMatchObject({ oversoldCount: 1, oversoldPositions: [{ sku: 'SKU-1', onHand: 0, reserved: 2 }] });
    expect(await paris()).toEqual({ onHand: 0, reserved: 2 });

    const report = await resolveNow();
    expect(report).toEqual({ positions: 1, resolved: 1, unresolved: [], holdUnits: 0, orderUnits: 2, orders: 1, cancelledUnits: 0, failures: 0 });
    expect(await paris()).toEqual({ onHand: 0, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 2 });
    await expectInventoryConsistent(t);

    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'cancelled'], ['store-opera', 'pending']]);
    const order = await getOrder(t, o.id);
    expect(order.status).toBe('allocated');
    expect(allocationsOf(order.lines[0])).toEqual([['store-opera', 'reserved', 2], ['store-paris', 'missing', 2]]);
    expect(order.payments[0]).toMatchObject({ voidedMinor: 0 });

    const timeline = await timelineEvents(t, o.id);
    const cancelled = timeline.find((e) => e.event === 'fulfillment.cancelled')!;
    expect(cancelled).toMatchObject({ statusFrom: 'pending', statusTo: 'cancelled', details: { reason: 'stock_lost', units: [{ sku: 'SKU-1', quantity: 2 }] } });
    expect(timeline.find((e) => e.event === 'fulfillment.rerouted')!.details).toMatchObject({
      fulfillmentId: f1!.id,
      cause: 'stock_lost',
      excluded: ['store-paris'],
      units: [{ sku: 'SKU-1', quantity: 2 }],
      allocations: [{ sku: 'SKU-1', locationId: 'store-opera', quantity: 2, status: 'reserved' }],
      cancelled: [],
    });
    const outbox = (await orderEvents(t.ctx.db, o.id)).map((e) => [e.type, e.payload.locationId ?? null]);
    expect(outbox.slice(-2)).toEqual([['fulfillment.cancelled', 'store-paris'], ['fulfillment.created', 'store-opera']]);
    expect((await orderEvents(t.ctx.db, o.id)).find((e) => e.type === 'fulfillment.cancelled')!.payload).toMatchObject({ reason: 'stock_lost' });

    // The placement's decision, then the re-route's with its cause.
    const decisions = await sql<{ cause: string | null }>`SELECT cause FROM sourcing_decision WHERE order_id = ${o.id}`.execute(t.ctx.db);
    expect(decisions.rows.map((d) => d.cause ?? 'placement').sort()).toEqual(['placement', 'stock_lost']);
    expect(await shortfallEvents()).toEqual([
      expect.objectContaining({
        sku: 'SKU-1',
        locationId: 'store-paris',
        shortfall: 2,
        freed: 2,
        remaining: 0,
        action: expect.objectContaining({ kind: 'order', orderNumber: o.number, units: 2, rerouted: [{ sku: 'SKU-1', locationId: 'store-opera', quantity: 2, status: 'reserved' }], cancelled: [], fulfillmentCancelled: true }),
      }),
    ]);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'inventory.shortfall_resolved').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'system:shortfall-resolver', entity_type: 'stock_position', entity_id: 'store-paris/SKU-1', before: { onHand: 0, reserved: 2 } });

    // Running it again changes nothing.
    const before = await orderWrites(t.ctx.db);
    expect(await resolveNow()).toMatchObject({ positions: 0, resolved: 0, orderUnits: 0 });
    await t.ctx.shortfalls.task.tick();
    expect(await orderWrites(t.ctx.db)).toEqual(before);
  });

  it('only the missing quantity is re-sourced: the fulfillment keeps the units still on the shelf', async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 3 }], payment: { provider: 'manual' } });
    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 2 }, { sku: 'SKU-2', onHand: 1 }]);
    expect(await resolveNow()).toMatchObject({ resolved: 1, orderUnits: 1, orders: 1 });

    expect(await paris()).toEqual({ onHand: 2, reserved: 2 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 1 });
    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.locationId, f.status, f.lines.map((l) => [l.sku, l.quantity])])).toEqual([
      ['store-paris', 'pending', [['SKU-1', 2]]],
      ['store-opera', 'pending', [['SKU-1', 1]]],
    ]);
    expect(allocationsOf((await getOrder(t, o.id)).lines[0])).toEqual([['store-opera', 'reserved', 1], ['store-paris', 'missing', 1], ['store-paris', 'reserved', 2]]);
    // Rivoli can still pick and ship its 2 units.
    expect((await step(t, all[0]!.id, 'accept')).statusCode).toBe(200);
    const pick = await step(t, all[0]!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect(pick.statusCode, pick.body).toBe(200);
    expect(pick.json()).toMatchObject({ status: 'picked' });
    await expectInventoryConsistent(t);
  });

  it('click & collect at Rivoli, Rivoli loses a unit: it comes by transfer from Opéra to the same pickup', async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }], delivery: { method: 'pickup', pickupLocationId: 'store-paris' } });
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.kind, f.locationId])).toEqual([['pickup', 'store-paris']]);
    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 1 }]);
    expect(await resolveNow()).toMatchObject({ resolved: 1, orderUnits: 1, orders: 1 });
    // Rivoli keeps the unit it has; the missing one travels from Opéra to the same pickup.
    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.kind, f.locationId, f.status, f.lines.map((l) => l.quantity)])).toEqual([
      ['pickup', 'store-paris', 'pending', [1]],
      ['transfer', 'store-opera', 'pending', [1]],
    ]);
    expect(all[1]!.pickupFulfillmentId).toBe(all[0]!.id);
    expect(await paris()).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 1 });
    await expectInventoryConsistent(t);
  });

  it('a cart hold at the position gives its units before any order; orders give newest first', async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t);
    const older = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    t.clock.advance(60_000);
    const newer = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const hold = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { lines: [{ sku: 'SKU-1', locationId: 'store-paris', quantity: 2 }], ttlSeconds: 600, reference: 'promise:cart-42' } });
    expect(hold.statusCode, hold.body).toBe(201);
    expect(await paris()).toEqual({ onHand: 5, reserved: 4 });

    // 3 on the shelf for 4 reserved: the cart hold gives 1 (its reference only looks like a promise's), the orders keep theirs.
    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 3 }]);
    expect(await resolveNow()).toMatchObject({ resolved: 1, holdUnits: 1, orderUnits: 0 });
    expect(await paris()).toEqual({ onHand: 3, reserved: 3 });
    const shortened = await t.app.inject({ method: 'GET', url: `/v1/reservations/${hold.json().id}`, headers: t.admin });
    expect(shortened.json()).toMatchObject({ status: 'active', lines: [{ sku: 'SKU-1', quantity: 1, status: 'active' }] });
    expect((await fulfillmentsOf(t, newer.id)).map((f) => f.locationId)).toEqual(['store-paris']);
    const reduced = await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', 'reservation.reduced').execute();
    expect(reduced.map((r) => r.payload)).toEqual([expect.objectContaining({ id: hold.json().id, reason: 'stock_lost' })]);

    // 1 on the shelf for 3 reserved: the hold's last unit, then the newer order's unit; the older order keeps its unit.
    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 1 }]);
    expect(await resolveNow()).toMatchObject({ resolved: 1, holdUnits: 1, orderUnits: 1, orders: 1 });
    expect(await paris()).toEqual({ onHand: 1, reserved: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/v1/reservations/${hold.json().id}`, headers: t.admin })).json()).toMatchObject({ status: 'released' });
    expect((await fulfillmentsOf(t, older.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'pending']]);
    expect((await fulfillmentsOf(t, newer.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'cancelled'], ['store-opera', 'pending']]);
    expect((await shortfallEvents()).map((e) => [e.action.kind, e.freed])).toEqual([['cart_hold', 1], ['cart_hold', 1], ['order', 1]]);
    await expectInventoryConsistent(t);
  });

  it('a promise hold at the position is released whole before an order loses anything', async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const promise = await t.app.inject({
      method: 'POST',
      url: '/v1/promise',
      headers: t.admin,
      payload: { channel: 'web', lines: [{ sku: 'SKU-1', quantity: 2 }], destination: { postalCode: '75011', country: 'FR' }, services: ['standard'], hold: { optionId: 'ship:standard' } },
    });
    expect(promise.statusCode, promise.body).toBe(201);
    const token = promise.json().hold.token as string;
    expect(await paris()).toEqual({ onHand: 5, reserved: 3 });

    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 2 }]);
    expect(await resolveNow()).toMatchObject({ resolved: 1, holdUnits: 2, orderUnits: 0 });
    expect(await paris()).toEqual({ onHand: 2, reserved: 1 });
    const held = await t.app.inject({ method: 'GET', url: `/v1/promise/holds/${token}`, headers: t.admin });
    expect(held.json()).toMatchObject({ status: 'released' });
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'pending']]);
    await expectInventoryConsistent(t);
  });

  it('picked units are never taken: the position stays oversold and is looked at again only once it changes', async () => {
    t = await createTestApp();
    const { parisKey } = await buildRerouteNetwork(t);
    const picked = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const [f] = await fulfillmentsOf(t, picked.id);
    expect((await step(t, f!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    expect((await step(t, f!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 2 }] }, bearer(parisKey))).statusCode).toBe(200);
    t.clock.advance(60_000);
    const pending = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });

    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 0 }]);
    const report = await resolveNow();
    expect(report).toMatchObject({ positions: 1, resolved: 0, unresolved: [{ sku: 'SKU-1', locationId: 'store-paris', shortfall: 2 }], orderUnits: 1 });
    expect(await paris()).toEqual({ onHand: 0, reserved: 2 });
    expect((await fulfillmentsOf(t, picked.id)).map((x) => [x.locationId, x.status])).toEqual([['store-paris', 'picked']]);
    expect((await fulfillmentsOf(t, pending.id)).map((x) => [x.locationId, x.status])).toEqual([['store-paris', 'cancelled'], ['store-opera', 'pending']]);

    // Nothing changed: not looked at again.
    const before = await orderWrites(t.ctx.db);
    expect(await resolveNow()).toMatchObject({ positions: 0 });
    expect(await orderWrites(t.ctx.db)).toEqual(before);
    // The position changes (a count finds one unit): looked at once more, still nothing to take.
    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 1 }]);
    expect(await resolveNow()).toMatchObject({ positions: 1, unresolved: [{ sku: 'SKU-1', locationId: 'store-paris', shortfall: 1 }], orderUnits: 0 });
    await expectInventoryConsistent(t);
    // The picked units were in the parcel, not on the shelf the count saw: they still pack and ship, on hand stops at 0.
    expect((await step(t, f!.id, 'pack', { parcels: [{ weightGrams: 1000 }] }, bearer(parisKey))).statusCode).toBe(200);
    const shipped = await step(t, f!.id, 'ship', {}, bearer(parisKey));
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(await paris()).toEqual({ onHand: 0, reserved: 0 });
    const last = await t.ctx.db.selectFrom('inventory_ledger').selectAll().where('sku', '=', 'SKU-1').where('location_id', '=', 'store-paris').orderBy('id', 'desc').limit(1).execute();
    expect(last.map((l) => [l.cause, l.on_hand_before, l.on_hand_after, l.reserved_before, l.reserved_after])).toEqual([['shipment', 1, 0, 2, 0]]);
    await expectInventoryConsistent(t);
  });

  it('nothing elsewhere, backorderable product: the lost units are backordered on incoming supply', async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    const put = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-PRE', headers: t.admin, payload: { onHand: 2, asOf: '2026-11-02T00:00:00Z' } });
    expect(put.statusCode).toBe(200);
    await t.ctx.availability.refresh();
    const o = await placed(t, { lines: [{ sku: 'SKU-PRE', quantity: 2 }], payment: { provider: 'manual' } });
    expect((await fulfillmentsOf(t, o.id)).map((f) => f.locationId)).toEqual(['store-paris']);

    // A set (the store's count) rather than a snapshot: every feed leads to the same resolution.
    const set = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-PRE', headers: t.admin, payload: { onHand: 0, asOf: '2026-11-23T09:30:00Z' } });
    expect(set.json()).toMatchObject({ applied: true, position: { onHand: 0, reserved: 2 } });
    expect(await resolveNow()).toMatchObject({ resolved: 1, orderUnits: 2, cancelledUnits: 0 });
    const order = await getOrder(t, o.id);
    expect(order.status).toBe('backordered');
    expect(allocationsOf(order.lines[0])).toEqual([['store-paris', 'missing', 2], ['wh-lyon', 'backordered', 2]]);
    expect(await position(t.ctx.db, 'SKU-PRE', 'store-paris')).toEqual({ onHand: 0, reserved: 0 });
    await expectInventoryConsistent(t);
  });

  it('nothing elsewhere and not backorderable: the lost units are cancelled cleanly and their money voided', async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }], shippingMinor: 490, payment: { provider: 'manual' } });
    const before = await fulfillmentsOf(t, o.id);
    expect(before.flatMap((f) => f.lines.map((l) => [f.locationId, l.sku]))).toContainEqual(['store-paris', 'SKU-1']);

    // Movements (a POS sale feed): 5 sold at Rivoli, and Lyon only collects, so nobody else can ship SKU-1.
    const moved = await t.app.inject({ method: 'POST', url: '/v1/inventory/movements', headers: t.admin, payload: { movements: [{ eventId: 'pos-1', sku: 'SKU-1', locationId: 'store-paris', delta: -5 }] } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await resolveNow()).toMatchObject({ resolved: 1, orderUnits: 2, cancelledUnits: 2 });

    const order = await getOrder(t, o.id);
    const sku1 = order.lines.find((l: { sku: string }) => l.sku === 'SKU-1');
    expect(sku1).toMatchObject({ status: 'cancelled', cancelledQuantity: 2 });
    expect(order.status).not.toBe('cancelled');
    expect(order.payments[0]).toMatchObject({ voidedMinor: 2 * 4990, capturedMinor: 0 });
    const cancelled = (await orderEvents(t.ctx.db, o.id)).find((e) => e.type === 'order.cancelled')!;
    expect(cancelled.payload).toMatchObject({ reason: 'out_of_stock', partial: true, lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect((await timelineEvents(t, o.id)).some((e) => e.event === 'line.units_cancelled')).toBe(true);
    expect(await paris()).toEqual({ onHand: 0, reserved: 0 });
    await expectInventoryConsistent(t);
    expect(await resolveNow()).toMatchObject({ positions: 0 });
  });

  it('nothing elsewhere, payment already captured: the lost units are refunded (order.refunded)', async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual' } });
    const order = await getOrder(t, o.id);
    await t.ctx.db.transaction().execute(async (tx) => {
      const [payment] = await lockOrderPayments(tx, o.id);
      await operatePayment(tx, t.ctx.payments, payment!, 'capture', order.totals.totalMinor, systemActor('test'), t.clock.now());
    });
    await snapshot('store-paris', [{ sku: 'SKU-2', onHand: 1 }]);
    expect(await resolveNow()).toMatchObject({ resolved: 1, orderUnits: 1, cancelledUnits: 1 });
    const after = await getOrder(t, o.id);
    expect(after.payments[0]).toMatchObject({ status: 'partially_refunded', capturedMinor: order.totals.totalMinor, refundedMinor: 4990 });
    expect((await orderEvents(t.ctx.db, o.id)).map((e) => e.type)).toEqual(expect.arrayContaining(['order.cancelled', 'order.refunded']));
    await expectInventoryConsistent(t);
  });

  it('the task runs by itself right after a feed when background tasks are started', async () => {
    t = await createTestApp({ env: { ORDO_TIMER_INTERVAL_MS: '3600000' } });
    await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    t.ctx.shortfalls.task.start();
    await snapshot('store-paris', [{ sku: 'SKU-1', onHand: 0 }]);
    await expect.poll(async () => (await fulfillmentsOf(t, o.id)).map((f) => f.locationId), { timeout: 20_000, interval: 100 }).toEqual(['store-paris', 'store-opera']);
    await t.ctx.shortfalls.task.stop();
    await expectInventoryConsistent(t);
  });
});
