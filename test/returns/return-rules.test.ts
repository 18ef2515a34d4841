import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { lastLedgerId, ledgerRows } from '../fulfillment/ship-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildReturnNetwork, counterSale, createReturn, deliveredWebOrder, getOrder, postReturn, receiveAll, returnAction, returnWrites, type OrderView } from './return-fixtures.js';

describe('returns: damaged units, windows and policies, store credit, refusals that write nothing', () => {
  let t: TestApp;
  let keys: { nice: string; paris: string };
  let web: OrderView;

  beforeAll(async () => {
    t = await createTestApp();
    keys = await buildReturnNetwork(t);
    web = await deliveredWebOrder(t, [{ sku: 'PULL', quantity: 3 }, { sku: 'SCARF', quantity: 1 }], { shippingMinor: 590 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const line = (o: OrderView, sku: string) => o.lines.find((l) => l.sku === sku)!.id;
  const atp = async (sku: string, location: string) => {
    await t.ctx.availability.refresh();
    const res = await t.app.inject({ method: 'GET', url: `/v1/availability?skus=${sku}&channel=web`, headers: t.admin });
    return res.json().items[0].locations.find((l: { locationId: string }) => l.locationId === location)?.atp ?? 0;
  };

  it('sets damaged units aside at the receiving store: in the ledger, never on hand nor sellable; still refunded', async () => {
    const r = await createReturn(t, { orderId: web.id, lines: [{ lineId: line(web, 'PULL'), quantity: 2, reason: 'defective' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'refund' });
    const mark = await lastLedgerId(t);
    const before = { position: await position(t.ctx.db, 'PULL', 'store-paris'), atp: await atp('PULL', 'store-paris') };
    const res = await returnAction(t, r.id, 'receive', { lines: [{ lineId: r.lines[0]!.id, condition: 'damaged', quantity: 1 }, { lineId: r.lines[0]!.id, condition: 'resellable', quantity: 1 }] }, keys.paris);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'refunded', lines: [{ resellable: 1, damaged: 1, missing: 0, valueMinor: 2 * 4990 }], amounts: { refundMinor: 2 * 4990 } });
    // One unit joins on hand (sellable), the damaged one arrives and is set aside in the same transaction.
    expect(await position(t.ctx.db, 'PULL', 'store-paris')).toEqual({ onHand: before.position.onHand + 1, reserved: 0 });
    expect(await atp('PULL', 'store-paris')).toBe(before.atp + 1);
    const rows = await ledgerRows(t, 'PULL', 'store-paris', mark);
    expect(rows.map((x) => [x.cause, x.on_hand_before, x.on_hand_after, x.reference])).toEqual([
      ['return', 20, 22, r.number],
      ['damaged', 22, 21, r.number],
    ]);
    expect(await t.ctx.db.selectFrom('damaged_stock').select(['sku', 'location_id', 'quantity']).execute()).toEqual([{ sku: 'PULL', location_id: 'store-paris', quantity: 1 }]);
    await expectInventoryConsistent(t);
  });

  it('does not count missing units as returned: nothing refunded or stocked for them, and they may come back later', async () => {
    const r = await createReturn(t, { orderId: web.id, lines: [{ lineId: line(web, 'PULL'), quantity: 1, reason: 'changed_mind' }], destination: { kind: 'warehouse', locationId: 'wh-lyon' }, resolution: 'refund' });
    const before = await position(t.ctx.db, 'PULL', 'wh-lyon');
    const received = await receiveAll(t, r, 'missing');
    expect(received).toMatchObject({ status: 'closed', lines: [{ resellable: 0, damaged: 0, missing: 1, valueMinor: 0 }], amounts: { refundMinor: 0 } });
    expect(await position(t.ctx.db, 'PULL', 'wh-lyon')).toEqual(before);
    // The last pull is returnable again, and its refund completes the order: the delivery fee stays (default policy).
    const last = await receiveAll(t, await createReturn(t, { orderId: web.id, lines: [{ lineId: line(web, 'PULL'), quantity: 1, reason: 'changed_mind' }], destination: { kind: 'warehouse', locationId: 'wh-lyon' }, resolution: 'refund' }));
    expect(last.amounts).toMatchObject({ refundMinor: 4990, shippingRefundMinor: 0 });
    await expectInventoryConsistent(t);
  });

  it('refunds the delivery fee with the return that brings the whole order back, when the channel’s policy says so (policies audited)', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/v1/return-policies', headers: t.admin, payload: { channel: 'web', country: 'FR', windowDays: 30, arrivalDays: 14, refundShipping: true, autoRefund: true, unreturnedExchange: 'cancel' } });
    expect(put.statusCode, put.body).toBe(200);
    const r = await receiveAll(t, await createReturn(t, { orderId: web.id, lines: [{ lineId: line(web, 'SCARF'), quantity: 1, reason: 'other' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'refund' }));
    expect(r.amounts).toMatchObject({ refundMinor: 2500 + 590, shippingRefundMinor: 590 });
    const after = await getOrder(t, web.id);
    expect(after.payments.reduce((s, p) => s + p.refundedMinor, 0)).toBe(after.payments.reduce((s, p) => s + p.capturedMinor, 0)); // everything captured came back
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor']).where('entity_type', '=', 'return_policy').execute();
    expect(audit).toEqual([{ action: 'return_policy.updated', entity_id: 'web/FR', actor: expect.any(String) }]);
    const list = await t.app.inject({ method: 'GET', url: '/v1/return-policies', headers: t.admin });
    expect(list.json()).toMatchObject({ defaults: { windowDays: 30, refundShipping: false }, policies: [{ channel: 'web', country: 'FR', refundShipping: true }] });
  });

  it('refuses a return outside the window with a clear answer, and a longer window for the channel lets it through', async () => {
    t.clock.set('2026-11-23T09:00:00Z');
    const sale = await counterSale(t, [{ sku: 'PULL', quantity: 1 }]);
    t.clock.set('2027-01-05T09:00:00Z'); // 43 days later
    const body = { orderId: sale.number, lines: [{ lineId: sale.lines[0]!.id, quantity: 1, reason: 'changed_mind' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'refund' };
    const before = await returnWrites(t);
    const late = await postReturn(t, body, { key: keys.paris });
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json().error).toMatchObject({ code: 'return_window_closed', details: { lines: [{ windowDays: 30, windowEndedAt: '2026-12-23T09:00:00.000Z', returnable: 0 }] } });
    expect(await returnWrites(t)).toEqual(before);
    const put = await t.app.inject({ method: 'PUT', url: '/v1/return-policies', headers: t.admin, payload: { channel: 'pos', windowDays: 60, arrivalDays: 7, refundShipping: false, autoRefund: false, unreturnedExchange: 'cancel' } });
    expect(put.statusCode, put.body).toBe(200);
    const r = await createReturn(t, body, { key: keys.paris });
    expect(r.returnBy).toBe('2027-01-12T09:00:00.000Z');
    // This policy waits for the counter: received, then refunded on request, at the store that took it.
    expect((await receiveAll(t, r, 'resellable', keys.paris)).status).toBe('received');
    const refunded = await returnAction(t, r.id, 'refund', {}, keys.paris);
    expect(refunded.json()).toMatchObject({ status: 'refunded', amounts: { refundMinor: 4990 } });
  });

  it('credits the customer in store credit, shown in the customer view', async () => {
    const sale = await counterSale(t, [{ sku: 'SCARF', quantity: 2 }]);
    const r = await createReturn(t, { orderId: sale.id, lines: [{ lineId: sale.lines[0]!.id, quantity: 2, reason: 'changed_mind' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'store_credit' }, { key: keys.paris });
    await receiveAll(t, r, 'resellable', keys.paris);
    const settled = await returnAction(t, r.id, 'refund', {}, keys.paris);
    expect(settled.json()).toMatchObject({ status: 'closed', amounts: { refundMinor: 0, creditMinor: 5000 } });
    expect((await getOrder(t, sale.id)).payments[0]!.refundedMinor).toBe(0);
    const customer = await t.app.inject({ method: 'GET', url: `/v1/customers/${sale.customer.customerId}`, headers: t.admin });
    expect(customer.json().storeCredit).toEqual([{ currency: 'EUR', balanceMinor: 5000 }]);
  });

  it('answers bad input with a 4xx and writes nothing', async () => {
    const sale = await counterSale(t, [{ sku: 'PULL', quantity: 1 }]);
    const ok = { orderId: sale.id, lines: [{ lineId: sale.lines[0]!.id, quantity: 1, reason: 'changed_mind' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'refund' };
    const cases: Array<[object, number, string]> = [
      [{ ...ok, lines: [{ ...ok.lines[0], quantity: 0 }] }, 400, 'validation_failed'],
      [{ ...ok, lines: [{ ...ok.lines[0], reason: 'bored' }] }, 400, 'validation_failed'],
      [{ ...ok, lines: [] }, 400, 'validation_failed'],
      [{ ...ok, extra: true }, 400, 'validation_failed'],
      [{ ...ok, orderId: 'ORD-2026-999999' }, 404, 'order_not_found'],
      [{ ...ok, lines: [{ ...ok.lines[0], lineId: '00000000-0000-4000-8000-000000000000' }] }, 422, 'line_not_found'],
      [{ ...ok, lines: [ok.lines[0], ok.lines[0]] }, 422, 'return_lines_invalid'],
      [{ ...ok, lines: [{ ...ok.lines[0], quantity: 2 }] }, 409, 'return_quantity_exceeded'],
      [{ ...ok, destination: { kind: 'store' } }, 422, 'return_destination_invalid'],
      [{ ...ok, destination: { kind: 'store', locationId: 'store-marseille' } }, 422, 'return_destination_invalid'],
      [{ ...ok, destination: { kind: 'warehouse', locationId: 'store-paris' } }, 422, 'return_destination_invalid'],
      [{ ...ok, destination: { kind: 'store', locationId: 'store-paris', carrierId: 'post' } }, 422, 'return_destination_invalid'],
      [{ ...ok, destination: { kind: 'mail', carrierId: 'nope' } }, 422, 'carrier_unavailable'],
      [{ ...ok, channel: 'nope' }, 422, 'unknown_channel'],
      [{ ...ok, resolution: 'exchange' }, 422, 'exchange_invalid'],
      [{ ...ok, exchange: { lines: [{ sku: 'PULL', quantity: 1 }] } }, 422, 'exchange_invalid'],
    ];
    const before = await returnWrites(t);
    for (const [payload, status, code] of cases) {
      const res = await postReturn(t, payload);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    const r = await createReturn(t, ok);
    const written = await returnWrites(t);
    expect(written.returns).toBe(before.returns! + 1);
    for (const [payload, status, code] of [
      [{ lines: [{ lineId: r.lines[0]!.id, condition: 'resellable', quantity: 2 }] }, 422, 'return_receipt_mismatch'],
      [{ lines: [{ lineId: r.lines[0]!.id, condition: 'resellable', quantity: 1 }, { lineId: '00000000-0000-4000-8000-000000000000', condition: 'damaged', quantity: 1 }] }, 422, 'return_receipt_mismatch'],
      [{ lines: [{ lineId: r.lines[0]!.id, condition: 'broken', quantity: 1 }] }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
    ] as Array<[object, number, string]>) {
      const res = await returnAction(t, r.id, 'receive', payload);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect((await returnAction(t, r.id, 'refund')).json().error.code).toBe('invalid_return_transition');
    const policy = await t.app.inject({ method: 'PUT', url: '/v1/return-policies', headers: t.admin, payload: { channel: 'nope', windowDays: 10, arrivalDays: 7, refundShipping: false, autoRefund: true, unreturnedExchange: 'cancel' } });
    expect([policy.statusCode, policy.json().error.code]).toEqual([422, 'unknown_channel']);
    const storePolicy = await t.app.inject({ method: 'PUT', url: '/v1/return-policies', headers: { authorization: `Bearer ${keys.paris}` }, payload: { windowDays: 10, arrivalDays: 7, refundShipping: false, autoRefund: true, unreturnedExchange: 'cancel' } });
    expect(storePolicy.statusCode).toBe(403);
    expect(await returnWrites(t)).toEqual(written);
    await expectInventoryConsistent(t);
  });
});
