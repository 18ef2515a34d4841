import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, orderWrites, placeOrder, position } from '../orders/fixtures.js';
import { atLyon, eventsOf, fulfillmentsOf, getOrder, ledgerOf, ok, pickupCodeOf, step, storeKey, timelineEvents, wrongCodeFor } from './collect-fixtures.js';

const DAY = 86_400_000;
/** Fulfillments in the order they were created (numbers end in -F1, -F2...). */
const byNumber = (a: { number: string }, b: { number: string }) => a.number.localeCompare(b.number, 'en', { numeric: true });

/**
 * J2 click & collect through the API: the pickup store prepares the order (or receives it by transfer
 * first), makes it ready with a pickup code and hands it over against the code; before it is prepared,
 * the customer may switch to another store. The handover rules and the hold: pickup-handover.test.ts.
 */
describe('J2 click & collect from the pickup store shelf', () => {
  let t: TestApp;
  let lyon: { authorization: string };
  let paris: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    paris = { authorization: `Bearer ${parisKey}` };
    lyon = await storeKey(t, 'store-lyon');
  });
  afterAll(() => t.close());

  it('prepares, makes ready with a code and a hold, refuses a wrong code, and hands over against the right one', async () => {
    const res = await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-3', quantity: 2 }], payment: { provider: 'manual' } });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 3, reserved: 2 });
    const [pickup, ...others] = await fulfillmentsOf(t, order.id);
    expect(others).toEqual([]);
    expect(pickup).toMatchObject({ kind: 'pickup', status: 'pending', locationId: 'store-lyon' });

    // Another store's key does not see it, and cannot act on it.
    for (const name of ['accept', 'ready-for-pickup']) expect((await step(t, paris, pickup!.id, name)).statusCode).toBe(404);
    expect((await step(t, paris, pickup!.id, 'collect', { code: '000000' })).statusCode).toBe(404);

    await ok(t, lyon, pickup!.id, 'accept');
    const early = await step(t, lyon, pickup!.id, 'ready-for-pickup');
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'invalid_transition']);
    await ok(t, lyon, pickup!.id, 'pick', { lines: [{ sku: 'SKU-3', quantity: 2 }] });
    await expectInventoryConsistent(t);

    const readyAt = t.clock.now().getTime();
    const ready = await ok(t, lyon, pickup!.id, 'ready-for-pickup');
    expect(ready).toMatchObject({ status: 'ready_for_pickup', holdUntil: new Date(readyAt + 7 * DAY).toISOString(), readyAt: new Date(readyAt).toISOString() });
    expect(JSON.stringify(ready)).not.toMatch(/pickupCode/);
    expect(await getOrder(t, order.id)).toMatchObject({ status: 'ready_for_pickup', lines: [{ status: 'ready_for_pickup' }] });
    const [readyEvent] = await eventsOf(t, order.id, 'order.ready_for_pickup');
    expect(readyEvent).toMatchObject({
      orderId: order.id,
      orderNumber: order.number,
      customer: { email: 'alice.martin@example.fr', locale: 'fr-FR' },
      pickupLocation: { locationId: 'store-lyon', name: 'Lyon Part-Dieu', timeZone: 'Europe/Paris', address: { postalCode: '69003', city: 'Lyon' } },
      holdUntil: new Date(readyAt + 7 * DAY).toISOString(),
    });
    expect(readyEvent!.pickupCode).toMatch(/^\d{6}$/);
    const timeline = await t.ctx.db.selectFrom('order_timeline').select('details').where('order_id', '=', order.id).execute();
    expect(JSON.stringify(timeline)).not.toContain(readyEvent!.pickupCode);
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 3, reserved: 2 });
    const perf = await t.ctx.db.selectFrom('location_performance').selectAll().where('location_id', '=', 'store-lyon').executeTakeFirstOrThrow();
    expect(perf.fulfillments).toBe(1);

    const code = await pickupCodeOf(t, order.id);
    const wrong = await step(t, lyon, pickup!.id, 'collect', { code: wrongCodeFor(code) });
    expect([wrong.statusCode, wrong.json().error.code, wrong.json().error.details]).toEqual([422, 'pickup_code_invalid', { attemptsLeft: 4 }]);
    const counted = await t.ctx.db.selectFrom('fulfillment_order').select('pickup_attempts').where('id', '=', pickup!.id).executeTakeFirstOrThrow();
    expect(counted.pickup_attempts).toBe(1);
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 3, reserved: 2 });
    for (const body of [{}, { code: '12345' }, { code: 'abcdef' }, { code, extra: 1 }]) {
      const before = await orderWrites(t.ctx.db);
      expect((await step(t, lyon, pickup!.id, 'collect', body)).statusCode).toBe(400);
      expect(await orderWrites(t.ctx.db)).toEqual(before);
    }
    const paid = await step(t, lyon, pickup!.id, 'collect', { code, payment: { provider: 'manual' } });
    expect([paid.statusCode, paid.json().error.code]).toEqual([422, 'payment_not_allowed']);

    const collected = await ok(t, lyon, pickup!.id, 'collect', { code });
    expect(collected).toMatchObject({ status: 'collected', lines: [{ sku: 'SKU-3', quantity: 2, allocationStatus: 'fulfilled' }] });
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 1, reserved: 0 });
    expect(await ledgerOf(t, order.number)).toEqual(['collection@store-lyon SKU-3 -2/-2']);
    const after = await getOrder(t, order.id);
    expect(after).toMatchObject({ status: 'completed', lines: [{ status: 'completed' }], payments: [{ status: 'captured', capturedMinor: 5000, authorisedMinor: 5000 }] });
    expect(await eventsOf(t, order.id, 'fulfillment.collected')).toMatchObject([{ fulfillmentId: pickup!.id, status: 'collected', locationId: 'store-lyon' }]);
    expect(await timelineEvents(t, order.id)).toEqual(expect.arrayContaining(['fulfillment.ready_for_pickup', 'pickup.code_refused', 'fulfillment.collected', 'payment.captured']));
    const again = await step(t, lyon, pickup!.id, 'collect', { code });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'invalid_transition']);
    await expectInventoryConsistent(t);
  });
});

describe('J2 click & collect with a transfer from the warehouse to the pickup store', () => {
  let t: TestApp;
  let lyon: { authorization: string };
  let paris: { authorization: string };
  let warehouse: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    paris = { authorization: `Bearer ${parisKey}` };
    lyon = await storeKey(t, 'store-lyon');
    warehouse = await storeKey(t, 'wh-lyon');
  });
  afterAll(() => t.close());

  it('is ready later than a shelf pickup, only once the transfer is received, and is collected from the pickup store', async () => {
    const shelf = (await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-3', quantity: 1 }], payment: { provider: 'manual' } })).json();
    const res = await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }], payment: { provider: 'manual' } });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order.totals.totalMinor).toBe(4990 + 2 * 7990);
    expect(Date.parse(order.promise.earliest)).toBeGreaterThan(Date.parse(shelf.promise.earliest));
    const all = await fulfillmentsOf(t, order.id);
    const pickup = all.find((f) => f.kind === 'pickup')!;
    const transfer = all.find((f) => f.kind === 'transfer')!;
    expect(all).toHaveLength(2);
    expect(pickup).toMatchObject({ locationId: 'store-lyon', status: 'pending', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(transfer).toMatchObject({ locationId: 'wh-lyon', destinationLocationId: 'store-lyon', pickupFulfillmentId: pickup.id, lines: [{ sku: 'SKU-2', quantity: 2 }] });
    const [shelfPickup] = await fulfillmentsOf(t, shelf.id);
    expect(Date.parse(pickup.dueAt!)).toBeGreaterThan(Date.parse(shelfPickup!.dueAt!));
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: 10, reserved: 2 });

    await ok(t, lyon, pickup.id, 'accept');
    await ok(t, lyon, pickup.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const waiting = await step(t, lyon, pickup.id, 'ready-for-pickup');
    expect([waiting.statusCode, waiting.json().error.code, waiting.json().error.details]).toEqual([
      409,
      'awaiting_transfer',
      { transfers: [{ fulfillmentId: transfer.id, number: transfer.number, locationId: 'wh-lyon', status: 'pending' }] },
    ]);

    // The pickup store cannot send, nor receive what has not left.
    expect((await step(t, lyon, transfer.id, 'accept')).statusCode).toBe(404);
    const tooEarly = await step(t, lyon, transfer.id, 'receive');
    expect([tooEarly.statusCode, tooEarly.json().error.code]).toEqual([409, 'invalid_transition']);
    await ok(t, warehouse, transfer.id, 'accept');
    await ok(t, warehouse, transfer.id, 'pick', { lines: [{ sku: 'SKU-2', quantity: 2 }] });
    await ok(t, warehouse, transfer.id, 'pack', { parcels: [{ weightGrams: 1600 }] });
    await ok(t, warehouse, transfer.id, 'ship');
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: 8, reserved: 0 });
    expect((await step(t, lyon, pickup.id, 'ready-for-pickup')).json().error.code).toBe('awaiting_transfer');
    await expectInventoryConsistent(t);

    // Only the store it goes to receives it.
    for (const auth of [warehouse, paris]) expect((await step(t, auth, transfer.id, 'receive')).statusCode).toBe(404);
    for (const body of [{ note: 42 }, { units: 2 }]) {
      const before = await orderWrites(t.ctx.db);
      expect((await step(t, lyon, transfer.id, 'receive', body)).statusCode).toBe(400);
      expect(await orderWrites(t.ctx.db)).toEqual(before);
    }
    const received = await ok(t, lyon, transfer.id, 'receive', { note: 'carton intact' });
    expect(received).toMatchObject({ status: 'received', note: 'carton intact', lines: [{ sku: 'SKU-2', allocationStatus: 'transferred' }] });
    expect(await position(t.ctx.db, 'SKU-2', 'store-lyon')).toEqual({ onHand: 2, reserved: 2 });
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: 8, reserved: 0 });
    const [prepared] = (await fulfillmentsOf(t, order.id)).filter((f) => f.kind === 'pickup');
    expect(prepared).toMatchObject({
      status: 'picked',
      lines: [
        { sku: 'SKU-1', quantity: 1, pickedQuantity: 1, allocationStatus: 'reserved' },
        { sku: 'SKU-2', quantity: 2, pickedQuantity: 2, allocationStatus: 'reserved' },
      ],
    });
    const view = await getOrder(t, order.id);
    expect(view.status).toBe('in_fulfillment');
    expect(view.lines[1].allocations).toEqual(
      expect.arrayContaining([expect.objectContaining({ locationId: 'wh-lyon', status: 'transferred' }), expect.objectContaining({ locationId: 'store-lyon', status: 'reserved', quantity: 2 })]),
    );
    expect(await eventsOf(t, order.id, 'fulfillment.received')).toMatchObject([{ fulfillmentId: transfer.id, status: 'received', destinationLocationId: 'store-lyon' }]);
    const again = await step(t, lyon, transfer.id, 'receive');
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'invalid_transition']);
    await expectInventoryConsistent(t);

    const ready = await ok(t, lyon, pickup.id, 'ready-for-pickup');
    expect(ready.status).toBe('ready_for_pickup');
    expect((await getOrder(t, order.id)).status).toBe('ready_for_pickup');
    await ok(t, lyon, pickup.id, 'collect', { code: await pickupCodeOf(t, order.id) });
    expect(await position(t.ctx.db, 'SKU-2', 'store-lyon')).toEqual({ onHand: 0, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-lyon')).toEqual({ onHand: 1, reserved: 0 });
    expect(await getOrder(t, order.id)).toMatchObject({ status: 'completed', payments: [{ status: 'captured', capturedMinor: order.totals.totalMinor }] });
    expect(await ledgerOf(t, order.number)).toEqual([
      'transfer_out@wh-lyon SKU-2 -2/-2',
      'transfer_in@store-lyon SKU-2 2/2',
      'collection@store-lyon SKU-1 -1/-1',
      'collection@store-lyon SKU-2 -2/-2',
    ]);
    await expectInventoryConsistent(t);
  });

  it('a pickup fed only by a transfer is prepared on arrival: the store only makes it ready', async () => {
    const order = (await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual' } })).json();
    const all = await fulfillmentsOf(t, order.id);
    const pickup = all.find((f) => f.kind === 'pickup')!;
    const transfer = all.find((f) => f.kind === 'transfer')!;
    expect(pickup).toMatchObject({ status: 'pending', lines: [] });
    for (const name of ['accept', 'pick']) await ok(t, warehouse, transfer.id, name, name === 'pick' ? { lines: [{ sku: 'SKU-2', quantity: 1 }] } : undefined);
    await ok(t, warehouse, transfer.id, 'ship', { parcels: [{ weightGrams: 800 }] });
    await ok(t, lyon, transfer.id, 'receive');
    const [prepared] = (await fulfillmentsOf(t, order.id)).filter((f) => f.kind === 'pickup');
    expect(prepared).toMatchObject({ status: 'picked', lines: [{ sku: 'SKU-2', quantity: 1, pickedQuantity: 1, allocationStatus: 'reserved' }] });
    expect(await position(t.ctx.db, 'SKU-2', 'store-lyon')).toEqual({ onHand: 1, reserved: 1 });
    await ok(t, lyon, pickup.id, 'ready-for-pickup');
    expect((await getOrder(t, order.id)).status).toBe('ready_for_pickup');
    await expectInventoryConsistent(t);
  });
});

describe('J2 the customer switches to another pickup store before the order is prepared', () => {
  let t: TestApp;
  let lyon: { authorization: string };
  let paris: { authorization: string };
  let warehouse: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    paris = { authorization: `Bearer ${parisKey}` };
    lyon = await storeKey(t, 'store-lyon');
    warehouse = await storeKey(t, 'wh-lyon');
  });
  afterAll(() => t.close());
  const switchTo = (orderId: string, pickupLocationId: unknown, auth = t.admin) =>
    t.app.inject({ method: 'PATCH', url: `/v1/orders/${orderId}/pickup`, headers: auth, payload: { pickupLocationId } as object });

  it('moves the held units and the work to the new store, with new dates, and tells the customer', async () => {
    const order = (await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-1', quantity: 1 }], payment: { provider: 'manual' } })).json();
    const [old] = await fulfillmentsOf(t, order.id);
    await ok(t, lyon, old!.id, 'accept');
    expect(await position(t.ctx.db, 'SKU-1', 'store-lyon')).toEqual({ onHand: 2, reserved: 1 });

    // Bad requests and another store's key change nothing.
    for (const [payload, auth, status, code] of [
      [{}, t.admin, 400, undefined],
      [{ pickupLocationId: 'store-nowhere' }, t.admin, 422, 'invalid_delivery'],
      [{ pickupLocationId: 'wh-lyon' }, t.admin, 422, 'invalid_delivery'],
      [{ pickupLocationId: 'store-paris' }, paris, 404, 'order_not_found'],
    ] as const) {
      const before = await orderWrites(t.ctx.db);
      const res = await t.app.inject({ method: 'PATCH', url: `/v1/orders/${order.id}/pickup`, headers: auth, payload });
      expect(res.statusCode, res.body).toBe(status);
      if (code) expect(res.json().error.code).toBe(code);
      expect(await orderWrites(t.ctx.db)).toEqual(before);
    }
    const before = await orderWrites(t.ctx.db);
    const same = await switchTo(order.id, 'store-lyon');
    expect([same.statusCode, same.json().delivery.pickupLocationId]).toEqual([200, 'store-lyon']);
    expect(await orderWrites(t.ctx.db)).toEqual(before);

    const res = await switchTo(order.id, 'store-paris', lyon);
    expect(res.statusCode, res.body).toBe(200);
    const moved = res.json();
    expect(moved).toMatchObject({ status: 'allocated', delivery: { method: 'pickup', pickupLocationId: 'store-paris' }, promise: { optionId: 'click_and_collect:store-paris' } });
    expect(moved.lines[0].allocations).toEqual(
      expect.arrayContaining([expect.objectContaining({ locationId: 'store-lyon', status: 'released' }), expect.objectContaining({ locationId: 'store-paris', status: 'reserved' })]),
    );
    expect(await position(t.ctx.db, 'SKU-1', 'store-lyon')).toEqual({ onHand: 2, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 1 });
    const work = (await fulfillmentsOf(t, order.id)).sort(byNumber);
    expect(work.map((f) => [f.kind, f.locationId, f.status])).toEqual([
      ['pickup', 'store-lyon', 'cancelled'],
      ['pickup', 'store-paris', 'pending'],
    ]);
    expect(await eventsOf(t, order.id, 'fulfillment.cancelled')).toMatchObject([{ fulfillmentId: old!.id, reason: 'pickup_store_changed' }]);
    expect(await eventsOf(t, order.id, 'order.delivery_changed')).toMatchObject([
      { orderId: order.id, previousPickupLocationId: 'store-lyon', pickupLocation: { locationId: 'store-paris', name: 'Paris Rivoli' }, promise: { optionId: 'click_and_collect:store-paris' } },
    ]);
    expect(await timelineEvents(t, order.id)).toContain('delivery.changed');
    expect(await getOrder(t, order.id)).toMatchObject({ payments: [{ status: 'authorised', authorisedMinor: 4990 }] });
    await expectInventoryConsistent(t);

    // The new store prepares it; from then on the customer can no longer switch.
    const fresh = work[1]!;
    expect((await step(t, lyon, fresh.id, 'accept')).statusCode).toBe(404);
    await ok(t, paris, fresh.id, 'accept');
    await ok(t, paris, fresh.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const after = await orderWrites(t.ctx.db);
    const late = await switchTo(order.id, 'store-lyon');
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'pickup_switch_not_allowed']);
    expect(await orderWrites(t.ctx.db)).toEqual(after);
    await expectInventoryConsistent(t);
  });

  it('calls off a transfer not yet shipped, and refuses once a transfer has left', async () => {
    const order = (await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual' } })).json();
    const transfer = (await fulfillmentsOf(t, order.id)).find((f) => f.kind === 'transfer')!;
    await ok(t, warehouse, transfer.id, 'accept');
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: 10, reserved: 1 });
    const res = await switchTo(order.id, 'store-paris');
    expect(res.statusCode, res.body).toBe(200);
    // From the Paris shelf it is ready sooner than by transfer to Lyon.
    expect(Date.parse(res.json().promise.earliest)).toBeLessThan(Date.parse(order.promise.earliest));
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: 10, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-2', 'store-paris')).toEqual({ onHand: 1, reserved: 1 });
    expect((await fulfillmentsOf(t, order.id)).sort(byNumber).map((f) => [f.kind, f.locationId, f.status])).toEqual([
      ['pickup', 'store-lyon', 'cancelled'],
      ['transfer', 'wh-lyon', 'cancelled'],
      ['pickup', 'store-paris', 'pending'],
    ]);
    expect((await getOrder(t, order.id)).status).toBe('allocated');
    await expectInventoryConsistent(t);

    const far = (await placeOrder(t, { delivery: atLyon, lines: [{ sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual' } })).json();
    const sent = (await fulfillmentsOf(t, far.id)).find((f) => f.kind === 'transfer')!;
    await ok(t, warehouse, sent.id, 'accept');
    await ok(t, warehouse, sent.id, 'pick', { lines: [{ sku: 'SKU-2', quantity: 1 }] });
    await ok(t, warehouse, sent.id, 'ship', { parcels: [{ weightGrams: 800 }] });
    const before = await orderWrites(t.ctx.db);
    const refused = await switchTo(far.id, 'store-paris');
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'pickup_switch_not_allowed']);
    expect(refused.json().error.details.fulfillments).toMatchObject([{ fulfillmentId: sent.id, kind: 'transfer', status: 'shipped' }]);
    expect(await orderWrites(t.ctx.db)).toEqual(before);
    await expectInventoryConsistent(t);
  });

  it('refuses a store that cannot serve it, and an order that is not collected in a store', async () => {
    const rc = (await placeOrder(t, { delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }] })).json();
    const before = await orderWrites(t.ctx.db);
    const none = await switchTo(rc.id, 'store-paris');
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'out_of_stock']);
    expect(await orderWrites(t.ctx.db)).toEqual(before);
    const shipped = (await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] })).json();
    const notPickup = await switchTo(shipped.id, 'store-paris');
    expect([notPickup.statusCode, notPickup.json().error.code]).toEqual([409, 'pickup_switch_not_allowed']);
  });
});
