import { afterEach, describe, expect, it } from 'vitest';
import { rerouteUnacceptedFulfillments } from '../../src/modules/fulfillment/acceptance-timeout.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { allocationsOf, bearer, buildRerouteNetwork, deps, fulfillmentsOf, getOrder, ledgerRows, orderEvents, placed, reliability, step, timelineEvents } from './reroute-fixtures.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

async function setUp(opts: Parameters<typeof buildRerouteNetwork>[1] = {}) {
  t = await createTestApp();
  return buildRerouteNetwork(t, opts);
}

const order = (body: Record<string, unknown>) => placed(t, body);

describe('J5 ship from store: a rejection re-routes the whole fulfillment elsewhere', () => {
  it('Rivoli rejects: its units go back to its shelves and are held at Opéra, Rivoli is never chosen again for this order', async () => {
    const { parisKey, operaKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 2 }], shippingMinor: 490, payment: { provider: 'manual' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect(f1).toMatchObject({ kind: 'ship', status: 'pending', locationId: 'store-paris', lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 2 });
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);

    const rejected = await step(t, f1!.id, 'reject', { reason: 'damaged', note: 'both torn' }, bearer(parisKey));
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: 'damaged', note: 'both torn' });

    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 2 });
    await expectInventoryConsistent(t);
    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'rejected'], ['store-opera', 'pending']]);
    expect(all[1]!.lines).toEqual([expect.objectContaining({ sku: 'SKU-1', quantity: 2 })]);
    const after = await getOrder(t, o.id);
    expect(after.status).toBe('allocated');
    expect(allocationsOf(after.lines[0])).toEqual([
      ['store-opera', 'reserved', 2],
      ['store-paris', 'released', 2],
    ]);
    expect(await reliability(t.ctx.db, 'store-paris')).toBe(0.95);

    const timeline = await timelineEvents(t, o.id);
    const events = timeline.map((e) => e.event);
    expect(events.slice(events.indexOf('fulfillment.accepted'))).toEqual(['fulfillment.accepted', 'order.progressed', 'fulfillment.rejected', 'order.progressed', 'fulfillment.created', 'fulfillment.rerouted']);
    expect(timeline.find((e) => e.event === 'fulfillment.rerouted')!.details).toMatchObject({
      fulfillmentId: f1!.id,
      cause: 'rejected',
      excluded: ['store-paris'],
      units: [{ sku: 'SKU-1', quantity: 2 }],
      allocations: [{ sku: 'SKU-1', locationId: 'store-opera', quantity: 2, status: 'reserved' }],
      fulfillments: [{ kind: 'ship', locationId: 'store-opera' }],
      cancelled: [],
    });
    const outbox = (await orderEvents(t.ctx.db, o.id)).map((e) => [e.type, e.payload.locationId ?? null]);
    expect(outbox.slice(-2)).toEqual([['fulfillment.rejected', 'store-paris'], ['fulfillment.created', 'store-opera']]);
    const rejectedEvent = (await orderEvents(t.ctx.db, o.id)).find((e) => e.type === 'fulfillment.rejected')!;
    expect(rejectedEvent.payload).toMatchObject({ reason: 'damaged', status: 'rejected' });

    // Opéra rejects too: Rivoli (which rejected) and Opéra are excluded, nobody else ships SKU-1: cancelled.
    const f2 = all[1]!;
    expect((await step(t, f2.id, 'reject', { reason: 'no_staff' }, bearer(operaKey))).statusCode).toBe(200);
    const cancelled = await getOrder(t, o.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    expect(cancelled.lines[0]).toMatchObject({ status: 'cancelled', cancelledQuantity: 2 });
    // Nothing is left: the whole authorisation (both units and the delivery fee) is voided.
    expect(cancelled.payments[0]).toMatchObject({ authorisedMinor: 2 * 4990 + 490, voidedMinor: 2 * 4990 + 490, capturedMinor: 0, status: 'voided' });
    const cancelledEvent = (await orderEvents(t.ctx.db, o.id)).find((e) => e.type === 'order.cancelled')!;
    expect(cancelledEvent.payload).toMatchObject({ reason: 'out_of_stock', lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect(cancelledEvent.payload.partial).toBeUndefined();
    expect(await reliability(t.ctx.db, 'store-opera')).toBe(0.95);
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 0 });
    await expectInventoryConsistent(t);
  });
});

describe('J5 ship from store: a short pick re-routes only the missing units', () => {
  it('Rivoli finds 2 of 3: a discrepancy lowers its on hand, the missing unit is recorded and held at Opéra', async () => {
    const { parisKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 3 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    const picked = await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 2 }] }, bearer(parisKey));
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ status: 'picked', lines: [{ sku: 'SKU-1', quantity: 2, pickedQuantity: 2 }] });

    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 4, reserved: 2 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 1 });
    await expectInventoryConsistent(t);
    const ledger = await ledgerRows(t.ctx.db, 'SKU-1', 'store-paris');
    expect(ledger.at(-1)).toMatchObject({ cause: 'discrepancy', on_hand_before: 5, on_hand_after: 4, reserved_before: 3, reserved_after: 2, reference: f1!.number });
    expect(await reliability(t.ctx.db, 'store-paris')).toBe(0.95);

    const after = await getOrder(t, o.id);
    expect(after.status).toBe('in_fulfillment');
    expect(allocationsOf(after.lines[0])).toEqual([
      ['store-opera', 'reserved', 1],
      ['store-paris', 'missing', 1],
      ['store-paris', 'reserved', 2],
    ]);
    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.locationId, f.status, f.lines.map((l) => l.quantity)])).toEqual([
      ['store-paris', 'picked', [2]],
      ['store-opera', 'pending', [1]],
    ]);

    const timeline = await timelineEvents(t, o.id);
    const events = timeline.map((e) => e.event);
    expect(events.slice(events.indexOf('fulfillment.picked'))).toEqual(['fulfillment.picked', 'fulfillment.created', 'fulfillment.rerouted']);
    expect(timeline.find((e) => e.event === 'fulfillment.picked')!.details).toMatchObject({ reason: 'short_pick', units: [{ sku: 'SKU-1', picked: 2, missing: 1 }] });
    expect(timeline.find((e) => e.event === 'fulfillment.rerouted')!.details).toMatchObject({
      cause: 'short_pick',
      units: [{ sku: 'SKU-1', quantity: 1 }],
      fulfillments: [{ kind: 'ship', locationId: 'store-opera' }],
    });
    const outbox = await orderEvents(t.ctx.db, o.id);
    expect(outbox.slice(-2).map((e) => [e.type, e.payload.locationId])).toEqual([['fulfillment.picked', 'store-paris'], ['fulfillment.created', 'store-opera']]);
    const stock = await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', 'stock.changed').where('aggregate_id', '=', 'store-paris/SKU-1').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(stock.payload).toMatchObject({ onHand: 4, reserved: 2, cause: 'discrepancy' });
  });

  it('a pick that finds nothing cancels the fulfillment and re-routes everything', async () => {
    const { parisKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    const picked = await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 0 }] }, bearer(parisKey));
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ status: 'cancelled', lines: [{ sku: 'SKU-1', quantity: 2, pickedQuantity: 0 }] });
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 3, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 2 });
    await expectInventoryConsistent(t);
    const after = await getOrder(t, o.id);
    expect(after.status).toBe('allocated');
    expect(allocationsOf(after.lines[0])).toEqual([
      ['store-opera', 'reserved', 2],
      ['store-paris', 'missing', 2],
    ]);
    const cancelledEvent = (await orderEvents(t.ctx.db, o.id)).find((e) => e.type === 'fulfillment.cancelled')!;
    expect(cancelledEvent.payload).toMatchObject({ reason: 'nothing_found', locationId: 'store-paris' });
  });

  it('units found nowhere are cancelled alone: their money is voided, the rest of the order goes on', async () => {
    const { parisKey } = await setUp();
    const put = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-3', headers: t.admin, payload: { onHand: 2, asOf: '2026-11-02T00:00:00Z' } });
    expect(put.statusCode).toBeLessThan(300);
    await t.ctx.availability.refresh();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-3', quantity: 2 }], shippingMinor: 490, payment: { provider: 'manual' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect(f1!.locationId).toBe('store-paris');
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    const picked = await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-3', quantity: 1 }] }, bearer(parisKey));
    expect(picked.statusCode, picked.body).toBe(200);

    expect(await position(t.ctx.db, 'SKU-3', 'store-paris')).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 3, reserved: 0 });
    await expectInventoryConsistent(t);
    const after = await getOrder(t, o.id);
    expect(after.status).toBe('in_fulfillment');
    expect(after.lines.map((l: { sku: string; status: string; cancelledQuantity: number }) => [l.sku, l.status, l.cancelledQuantity])).toEqual([
      ['SKU-1', 'in_fulfillment', 0],
      ['SKU-3', 'in_fulfillment', 1],
    ]);
    // The last unit of the SKU-3 line (2 × 2500) is given back: the authorisation is voided by 2500.
    expect(after.payments[0]).toMatchObject({ authorisedMinor: 4990 + 5000 + 490, voidedMinor: 2500, capturedMinor: 0 });
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'picked']]);
    const outbox = await orderEvents(t.ctx.db, o.id);
    const cancelled = outbox.filter((e) => e.type === 'order.cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.payload).toMatchObject({ reason: 'out_of_stock', partial: true, lines: [{ lineId: o.lines[1]!.id, sku: 'SKU-3', quantity: 1 }] });
    const timeline = await timelineEvents(t, o.id);
    expect(timeline.find((e) => e.event === 'line.units_cancelled')!.details).toMatchObject({ sku: 'SKU-3', quantity: 1, cancelledQuantity: 1, reason: 'out_of_stock' });
    expect(timeline.find((e) => e.event === 'payment.voided')!.details).toMatchObject({ amountMinor: 2500 });
    expect(timeline.find((e) => e.event === 'fulfillment.rerouted')!.details).toMatchObject({ cancelled: [{ sku: 'SKU-3', quantity: 1 }], fulfillments: [] });
  });

  it('a backorderable product with incoming supply is backordered instead of cancelled', async () => {
    const { parisKey } = await setUp();
    await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-PRE', headers: t.admin, payload: { onHand: 1, asOf: '2026-11-02T00:00:00Z' } });
    await t.ctx.availability.refresh();
    const o = await order({ lines: [{ sku: 'SKU-PRE', quantity: 1 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect(f1!.locationId).toBe('store-paris');
    expect((await step(t, f1!.id, 'reject', { reason: 'out_of_stock' }, bearer(parisKey))).statusCode).toBe(200);
    const after = await getOrder(t, o.id);
    expect(after.status).toBe('backordered');
    expect(allocationsOf(after.lines[0]).map(([l, st]) => [l, st])).toEqual([
      ['store-paris', 'released'],
      ['wh-lyon', 'backordered'],
    ]);
    expect((await fulfillmentsOf(t, o.id)).map((f) => f.status)).toEqual(['rejected']);
    expect(await position(t.ctx.db, 'SKU-PRE', 'store-paris')).toEqual({ onHand: 1, reserved: 0 });
    await expectInventoryConsistent(t);
  });
});

describe('acceptance time-out', () => {
  it('a fulfillment not accepted by its deadline is rejected with reason timeout and re-routed; accepted ones are left alone', async () => {
    const { parisKey } = await setUp();
    const late = await order({ lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const onTime = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [f1] = await fulfillmentsOf(t, late.id);
    const [g1] = await fulfillmentsOf(t, onTime.id);
    expect((await step(t, g1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    // 120 open minutes from Monday 10:00 in Paris.
    expect(f1!.acceptBy).toBe('2026-11-23T11:00:00.000Z');
    t.clock.set('2026-11-23T10:59:00Z');
    expect(await rerouteUnacceptedFulfillments(deps(t))).toBe(0);
    t.clock.set('2026-11-23T11:01:00Z');
    const task = t.ctx.tasks.find((x) => x.name === 'fulfillment-acceptance-timeout');
    expect(task).toBeDefined();
    await task!.tick();
    expect(await rerouteUnacceptedFulfillments(deps(t))).toBe(0);

    const all = await fulfillmentsOf(t, late.id);
    expect(all.map((f) => [f.locationId, f.status, f.rejectReason])).toEqual([
      ['store-paris', 'rejected', 'timeout'],
      ['store-opera', 'pending', null],
    ]);
    expect((await fulfillmentsOf(t, onTime.id)).map((f) => f.status)).toEqual(['accepted']);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 1 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 2 });
    await expectInventoryConsistent(t);
    expect(await reliability(t.ctx.db, 'store-paris')).toBe(0.95);
    const timeline = await timelineEvents(t, late.id);
    const rejected = timeline.find((e) => e.event === 'fulfillment.rejected') as { actor?: string; details: Record<string, unknown> };
    expect(rejected.actor).toBe('system:acceptance-timeout');
    expect(rejected.details).toMatchObject({ reason: 'timeout' });
    const rejectedEvent = (await orderEvents(t.ctx.db, late.id)).find((e) => e.type === 'fulfillment.rejected')!;
    expect(rejectedEvent.payload).toMatchObject({ reason: 'timeout', locationId: 'store-paris' });
  });
});

describe('daily pick capacity', () => {
  it('a store whose capacity for the day is used up is not chosen, re-routed units included, until the next day in its time zone', async () => {
    const { operaKey } = await setUp({ parisCapacity: 2 });
    const first = await order({ lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect((await fulfillmentsOf(t, first.id)).map((f) => f.locationId)).toEqual(['store-paris']);
    const loads = () => t.ctx.db.selectFrom('location_pick_load').select(['location_id', 'units']).select((eb) => eb.cast<string>('day', 'text').as('day')).where('location_id', '=', 'store-paris').orderBy('day').execute();
    expect(await loads()).toEqual([{ location_id: 'store-paris', day: '2026-11-23', units: 2 }]);

    // Rivoli still has 3 units on its shelves, but no pick capacity left today: Opéra serves.
    await t.ctx.availability.refresh();
    const second = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [s1] = await fulfillmentsOf(t, second.id);
    expect(s1!.locationId).toBe('store-opera');
    // Opéra rejects: Rivoli would have the stock but not the capacity; nobody else ships SKU-1.
    expect((await step(t, s1!.id, 'reject', { reason: 'capacity' }, bearer(operaKey))).statusCode).toBe(200);
    const after = await getOrder(t, second.id);
    expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 2 });

    // 22:30 in Paris (21:30 UTC): still Monday there.
    t.clock.set('2026-11-23T21:30:00Z');
    await t.ctx.availability.refresh();
    const late = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [l1] = await fulfillmentsOf(t, late.id);
    expect(l1!.locationId).toBe('store-opera');

    // 00:30 on Tuesday in Paris, still Monday in UTC: Rivoli's new day has room again.
    t.clock.set('2026-11-23T23:30:00Z');
    const tuesday = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect((await fulfillmentsOf(t, tuesday.id)).map((f) => f.locationId)).toEqual(['store-paris']);

    // Re-routed units use the capacity left: Opéra rejects the late order, Rivoli takes it (Tuesday is then full).
    expect((await step(t, l1!.id, 'reject', { reason: 'no_staff' }, bearer(operaKey))).statusCode).toBe(200);
    expect((await fulfillmentsOf(t, late.id)).map((f) => [f.locationId, f.status])).toEqual([['store-opera', 'rejected'], ['store-paris', 'pending']]);
    expect(await loads()).toEqual([
      { location_id: 'store-paris', day: '2026-11-23', units: 2 },
      { location_id: 'store-paris', day: '2026-11-24', units: 2 },
    ]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 4 });
    await expectInventoryConsistent(t);
  });

  it('after the cut-off, units count on the day they will be picked: when that day is full, another store serves (the order does not fail)', async () => {
    const { operaKey } = await setUp({ parisCapacity: 2 });
    t.clock.set('2026-11-23T16:00:00Z'); // 17:00 in Paris, after the 16:00 cut-off: Rivoli ships on Tuesday
    await t.ctx.availability.refresh();
    const first = await order({ lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect((await fulfillmentsOf(t, first.id)).map((f) => f.locationId)).toEqual(['store-paris']);
    const loads = await t.ctx.db.selectFrom('location_pick_load').select(['units']).select((eb) => eb.cast<string>('day', 'text').as('day')).where('location_id', '=', 'store-paris').execute();
    expect(loads).toEqual([{ day: '2026-11-24', units: 2 }]);
    await t.ctx.availability.refresh();
    const second = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [s1] = await fulfillmentsOf(t, second.id);
    expect(s1!.locationId).toBe('store-opera');
    // Re-routed units too: Tuesday at Rivoli is full, so Opéra's rejection leaves nobody: cancelled, not a failed step.
    const rejected = await step(t, s1!.id, 'reject', { reason: 'no_staff' }, bearer(operaKey));
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await getOrder(t, second.id)).status).toBe('cancelled');
    await expectInventoryConsistent(t);
  });
});
