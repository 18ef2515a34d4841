import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceEvents } from '../../src/db/outbox.js';
import { distanceKm } from '../../src/domain/geo/distance.js';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { auth, lastLedgerId, ledgerRows } from '../fulfillment/ship-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import {
  buildReturnNetwork, createReturn, deliveredWebOrder, eventsOf, getOrder, NICE, postReturn, receiveAll, returnAction, returnWrites, timelineOf, WAREHOUSE,
  type OrderView, type ReturnView,
} from './return-fixtures.js';

describe('J6 return anywhere: a web order shipped from the warehouse comes back in a store 290 km away', () => {
  let t: TestApp;
  let keys: { nice: string; paris: string };
  let order: OrderView;
  let ret: ReturnView;

  beforeAll(async () => {
    // Customer e-mails are written as .eml files into a data dir of this test's own.
    t = await createTestApp({ env: { ORDO_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-returns-')) } });
    await t.ctx.dispatcher.tick(); // the notifications consumer starts at the head of the log: from here on
    keys = await buildReturnNetwork(t);
    order = await deliveredWebOrder(t, [{ sku: 'JEAN-32', quantity: 2 }], { shippingMinor: 590, deliveredAt: '2026-11-24T13:00:00Z' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const captured = (o: OrderView) => o.payments.reduce((s, p) => s + p.capturedMinor, 0);
  const refunded = (o: OrderView) => o.payments.reduce((s, p) => s + p.refundedMinor, 0);
  const niceAtp = async (sku: string) => {
    await t.ctx.availability.refresh();
    const res = await t.app.inject({ method: 'GET', url: `/v1/availability?skus=${sku}&channel=web&postalCode=06000&country=FR`, headers: t.admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items[0].locations.find((l: { locationId: string }) => l.locationId === 'store-nice')?.atp ?? 0;
  };

  it('shipped the order from the warehouse and delivered it: both units returnable, all of it captured', async () => {
    expect(order.status).toBe('completed');
    expect(order.lines[0]!.allocations.map((a) => [a.locationId, a.status])).toEqual([['wh-lyon', 'fulfilled']]);
    expect(captured(order)).toBe(2 * 7990 + 590);
    const km = distanceKm(WAREHOUSE, NICE);
    expect(km).toBeGreaterThan(270);
    expect(km).toBeLessThan(320);
  });

  it('the Nice store takes the web order back at its counter; the unit is sellable there at once and refunded', async () => {
    t.clock.set('2026-11-27T15:00:00Z');
    const mark = await lastLedgerId(t);
    expect(await niceAtp('JEAN-32')).toBe(0);
    const body = { orderId: order.number, lines: [{ lineId: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' };
    ret = await createReturn(t, body, { key: keys.nice, idempotencyKey: 'nice-return-1' });
    expect(ret).toMatchObject({ status: 'requested', resolution: 'refund', destination: { kind: 'store', locationId: 'store-nice', reason: null }, label: null, exchange: null });
    expect(ret.number).toMatch(/^RET-2026-\d{6}$/);
    expect(ret.returnBy).toBe('2026-12-11T15:00:00.000Z'); // 14 days to arrive (default policy)

    // The same key answers the same return and writes nothing more.
    const writes = await returnWrites(t);
    const replay = await postReturn(t, body, { key: keys.nice, idempotencyKey: 'nice-return-1' });
    expect([replay.statusCode, replay.json().id]).toEqual([201, ret.id]);
    expect(await returnWrites(t)).toEqual(writes);

    const received = await receiveAll(t, ret, 'resellable', keys.nice);
    expect(received).toMatchObject({ status: 'refunded', amounts: { refundMinor: 7990, shippingRefundMinor: 0, creditMinor: 0, chargedMinor: 0, unsettledMinor: 0 } });
    expect(received.lines).toMatchObject([{ sku: 'JEAN-32', quantity: 1, resellable: 1, damaged: 0, missing: 0, valueMinor: 7990 }]);

    // Stock: on hand at Nice at once, in the ledger, and sellable through the network view.
    expect(await position(t.ctx.db, 'JEAN-32', 'store-nice')).toEqual({ onHand: 1, reserved: 0 });
    expect(await ledgerRows(t, 'JEAN-32', 'store-nice', mark)).toEqual([
      { cause: 'return', on_hand_before: 0, on_hand_after: 1, reserved_before: 0, reserved_after: 0, source: ret.lines[0]!.id, reference: ret.number },
    ]);
    expect(await niceAtp('JEAN-32')).toBe(1);
    const stockEvents = await eventsOf(t, 'stock.changed', 'store-nice/JEAN-32');
    expect(stockEvents.at(-1)).toMatchObject({ onHand: 1, atp: 1, cause: 'return' });
    await expectInventoryConsistent(t);

    // Money: refunded through the payment provider, never the delivery fee (the default policy keeps it).
    const after = await getOrder(t, order.id);
    expect([captured(after), refunded(after)]).toEqual([2 * 7990 + 590, 7990]);
    const refundEvents = await eventsOf(t, 'order.refunded', order.id);
    expect(refundEvents).toEqual([expect.objectContaining({ orderId: order.id, orderNumber: order.number, amountMinor: 7990, reason: 'return', currency: 'EUR' })]);
    expect((await eventsOf(t, 'return.requested', order.id)).map((e) => e.number)).toEqual([ret.number]);
    expect(await eventsOf(t, 'return.received', order.id)).toEqual([expect.objectContaining({ returnId: ret.id, status: 'received', locationId: 'store-nice' })]);
    expect(await eventsOf(t, 'return.refunded', order.id)).toEqual([expect.objectContaining({ returnId: ret.id, status: 'refunded', refundMinor: 7990 })]);
    // The customer is told by the notifications, which consume order.refunded.
    const refundMails = () => t.ctx.db.selectFrom('notification').select(['template', 'channel', 'status']).where('order_id', '=', order.id).where('template', '=', 'order_refunded').execute();
    for (let i = 0; i < 20 && (await refundMails()).length === 0; i++) {
      await sequenceEvents(t.ctx.db);
      await t.ctx.dispatcher.tick();
    }
    expect(await refundMails()).toEqual([{ template: 'order_refunded', channel: 'email', status: 'sent' }]);

    // Customer service sees it in the order timeline and in the customer view.
    const timeline = await timelineOf(t, order.id);
    expect(timeline.filter((e) => e.event.startsWith('return.') || e.event === 'payment.refunded').map((e) => e.event)).toEqual(['return.requested', 'return.received', 'payment.refunded', 'return.refunded']);
    const customer = await t.app.inject({ method: 'GET', url: `/v1/customers/${order.customer.customerId}`, headers: t.admin });
    expect(customer.json().returns).toEqual([expect.objectContaining({ id: ret.id, number: ret.number, status: 'refunded', locationId: 'store-nice' })]);
  });

  it('refuses a second return of the same units, and writes nothing', async () => {
    const before = await returnWrites(t);
    const again = await postReturn(t, { orderId: order.id, lines: [{ lineId: order.lines[0]!.id, quantity: 2, reason: 'wrong_size' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' }, { key: keys.nice });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'return_quantity_exceeded', details: { lines: [{ requested: 2, delivered: 2, alreadyReturned: 1, returnable: 1 }] } });
    expect(await returnWrites(t)).toEqual(before);

    // The other unit may still come back (at Paris); after it, nothing is left to return.
    const last = await createReturn(t, { orderId: order.id, lines: [{ lineId: order.lines[0]!.id, quantity: 1, reason: 'changed_mind' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'refund' }, { key: keys.paris });
    const none = await postReturn(t, { orderId: order.id, lines: [{ lineId: order.lines[0]!.id, quantity: 1, reason: 'changed_mind' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' });
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'return_quantity_exceeded']);
    expect((await returnAction(t, last.id, 'cancel', {}, keys.paris)).json()).toMatchObject({ status: 'cancelled', cancelReason: 'customer_request' });
    await expectInventoryConsistent(t);
  });

  it('keeps each store to its own returns: another store’s return does not exist for it', async () => {
    const foreign = await postReturn(t, { orderId: order.id, lines: [{ lineId: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' }, { key: keys.paris });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([403, 'return_location_out_of_scope']);
    expect((await t.app.inject({ method: 'GET', url: `/v1/returns/${ret.id}`, headers: auth(keys.paris) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/v1/returns/${ret.number}`, headers: auth(keys.nice) })).json().id).toBe(ret.id);
    const refuse = await returnAction(t, ret.id, 'refund', {}, keys.paris);
    expect([refuse.statusCode, refuse.json().error.code]).toEqual([404, 'return_not_found']);
    const listed = async (key: string) => (await t.app.inject({ method: 'GET', url: `/v1/returns?orderId=${order.number}`, headers: auth(key) })).json().items.map((r: ReturnView) => r.destination.locationId);
    expect(await listed(keys.nice)).toEqual(['store-nice']);
    expect(await listed(keys.paris)).toEqual(['store-paris']);
    const all = await t.app.inject({ method: 'GET', url: `/v1/returns?orderId=${order.id}&status=refunded&limit=1`, headers: t.admin });
    expect(all.json()).toMatchObject({ items: [{ id: ret.id }], nextCursor: null });
    expect((await t.app.inject({ method: 'GET', url: '/v1/returns?orderId=ORD-2026-999999', headers: t.admin })).json()).toEqual({ items: [], nextCursor: null });
    // Settled already: a second refund is refused.
    expect((await returnAction(t, ret.id, 'refund', {}, keys.nice)).json().error.code).toBe('invalid_return_transition');
  });
});
