import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildReturnNetwork, createReturn, deliveredWebOrder, eventsOf, getOrder, postReturn, receiveAll, returnAction, returnWrites, timelineOf, type OrderView, type ReturnView } from './return-fixtures.js';

describe('exchanges: the replacement is sourced like any order and reserved at once; differences settled', () => {
  let t: TestApp;
  let keys: { nice: string; paris: string };

  beforeAll(async () => {
    t = await createTestApp();
    keys = await buildReturnNetwork(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const jeans = () => deliveredWebOrder(t, [{ sku: 'JEAN-32', quantity: 1 }]);
  const exchangeFor = (o: OrderView, sku: string, extra: object = {}, destination: object = { kind: 'store', locationId: 'store-nice' }) => ({
    orderId: o.id,
    lines: [{ lineId: o.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
    destination,
    resolution: 'exchange',
    exchange: { lines: [{ sku, quantity: 1 }], ...extra },
  });
  const paid = (o: OrderView) => ({ captured: o.payments.reduce((s, p) => s + p.capturedMinor, 0), refunded: o.payments.reduce((s, p) => s + p.refundedMinor, 0) });

  it('exchanges size 32 for 34: the 34 comes from Marseille, reserved when the exchange is made, and costs nothing', async () => {
    const order = await jeans();
    const before = await position(t.ctx.db, 'JEAN-34', 'store-marseille');
    const r = await createReturn(t, exchangeFor(order, 'JEAN-34'), { key: keys.nice });
    expect(r).toMatchObject({ status: 'requested', resolution: 'exchange', exchange: { creditMinor: 7990, outcome: null } });

    // Reserved at once, before the jeans come back, at a location other than the one that shipped the 32.
    const replacement = await getOrder(t, r.exchange!.orderId);
    expect(replacement.lines.map((l) => [l.sku, l.allocations.map((a) => [a.locationId, a.status])])).toEqual([['JEAN-34', [['store-marseille', 'reserved']]]]);
    expect(await position(t.ctx.db, 'JEAN-34', 'store-marseille')).toEqual({ onHand: before.onHand, reserved: before.reserved + 1 });
    expect(replacement.totals).toEqual({ subtotalMinor: 7990, discountMinor: 7990, shippingMinor: 0, totalMinor: 0 });
    expect(replacement.payments).toEqual([]);
    expect((await timelineOf(t, replacement.id)).map((e) => e.event)).toContain('exchange.created');
    await expectInventoryConsistent(t);

    const received = await receiveAll(t, r, 'resellable', keys.nice);
    expect(received).toMatchObject({ status: 'closed', exchange: { outcome: 'returned' }, amounts: { refundMinor: 0, chargedMinor: 0, creditMinor: 0 } });
    expect(paid(await getOrder(t, order.id))).toEqual({ captured: 7990, refunded: 0 });
    expect(await position(t.ctx.db, 'JEAN-32', 'store-nice')).toMatchObject({ onHand: 1 });
    expect(await eventsOf(t, 'return.closed', order.id)).toEqual([expect.objectContaining({ returnId: r.id, exchangeOrderId: replacement.id, exchangeOutcome: 'returned' })]);
  });

  it('settles price differences: a dearer replacement is paid for the difference, a cheaper one refunds the rest', async () => {
    const dear = await jeans();
    const before = await returnWrites(t);
    const unpaid = await postReturn(t, exchangeFor(dear, 'JEAN-36'));
    expect(unpaid.statusCode, unpaid.body).toBe(422);
    expect(unpaid.json().error).toMatchObject({ code: 'exchange_payment_required', details: { differenceMinor: 2000 } });
    expect(await returnWrites(t)).toEqual(before);

    const r = await createReturn(t, exchangeFor(dear, 'JEAN-36', { payment: { provider: 'manual', reference: 'card-on-file' } }));
    const replacement = await getOrder(t, r.exchange!.orderId);
    expect(replacement.totals.totalMinor).toBe(2000);
    expect(replacement.payments).toMatchObject([{ authorisedMinor: 2000, capturedMinor: 0 }]);
    expect((await receiveAll(t, r)).amounts).toMatchObject({ refundMinor: 0, chargedMinor: 0 });

    const cheap = await jeans();
    const scarf = await createReturn(t, exchangeFor(cheap, 'SCARF'));
    expect(scarf.exchange!.creditMinor).toBe(2500);
    expect((await getOrder(t, scarf.exchange!.orderId)).totals.totalMinor).toBe(0);
    const settled = await receiveAll(t, scarf);
    expect(settled).toMatchObject({ status: 'refunded', amounts: { refundMinor: 7990 - 2500 } });
    expect(paid(await getOrder(t, cheap.id))).toEqual({ captured: 7990, refunded: 5490 });
  });

  it('charges the shortfall when the units that come back are missing', async () => {
    const order = await jeans();
    const r = await createReturn(t, exchangeFor(order, 'JEAN-34', { payment: { provider: 'manual', reference: 'card-on-file' } }));
    const settled = await receiveAll(t, r, 'missing');
    expect(settled).toMatchObject({ status: 'closed', amounts: { chargedMinor: 7990, unsettledMinor: 0 } });
    expect((await getOrder(t, r.exchange!.orderId)).payments).toMatchObject([{ authorisedMinor: 7990, capturedMinor: 7990 }]);
  });

  it('cancels the replacement when the customer cancels the exchange, and refuses once it is being prepared', async () => {
    const order = await jeans();
    const r = await createReturn(t, exchangeFor(order, 'SCARF'));
    const cancelled = await returnAction(t, r.id, 'cancel', { reason: 'customer_request' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', exchange: { outcome: 'cancelled' } });
    expect((await getOrder(t, r.exchange!.orderId)).status).toBe('cancelled');
    await expectInventoryConsistent(t);

    const again = await createReturn(t, exchangeFor(order, 'SCARF'));
    const replacement = await getOrder(t, again.exchange!.orderId);
    const [f] = (await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${replacement.number}`, headers: t.admin })).json().items;
    expect((await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/accept`, headers: t.admin })).statusCode).toBe(200);
    const refused = await returnAction(t, again.id, 'cancel');
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'exchange_already_shipped']);
    expect((await receiveAll(t, again)).status).toBe('refunded');
  });

  it('refunds the whole value when the replacement order was cancelled on its own before the units came back', async () => {
    const order = await jeans();
    const r = await createReturn(t, exchangeFor(order, 'SCARF'));
    const cancelled = await t.app.inject({ method: 'POST', url: `/v1/orders/${r.exchange!.orderId}/cancel`, headers: t.admin, payload: {} });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await receiveAll(t, r)).amounts).toMatchObject({ refundMinor: 7990, chargedMinor: 0 });
  });

  describe('a return that never arrives', () => {
    const pastDeadline = async (r: ReturnView) => {
      t.clock.set(new Date(Date.parse(r.returnBy) + 60_000).toISOString());
      const task = t.ctx.tasks.find((x) => x.name === 'return-deadline')!;
      await task.tick();
    };

    it('cancels the replacement by default: its stock goes back, the return is cancelled', async () => {
      t.clock.set('2026-11-30T09:00:00Z');
      const order = await jeans();
      const { reserved } = await position(t.ctx.db, 'JEAN-34', 'store-marseille');
      const r = await createReturn(t, exchangeFor(order, 'JEAN-34', {}, { kind: 'mail' }));
      expect(await position(t.ctx.db, 'JEAN-34', 'store-marseille')).toMatchObject({ reserved: reserved + 1 });
      await pastDeadline(r);
      const after = (await t.app.inject({ method: 'GET', url: `/v1/returns/${r.id}`, headers: t.admin })).json();
      expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'not_received', exchange: { outcome: 'cancelled' } });
      expect((await getOrder(t, r.exchange!.orderId)).status).toBe('cancelled');
      expect(await position(t.ctx.db, 'JEAN-34', 'store-marseille')).toMatchObject({ reserved });
      expect((await eventsOf(t, 'return.exchange_settled', order.id)).map((e) => e.exchangeOutcome)).toEqual(['cancelled']);
      // Its units are returnable again; a second run finds nothing to do.
      await t.ctx.tasks.find((x) => x.name === 'return-deadline')!.tick();
      expect((await timelineOf(t, order.id)).filter((e) => e.event === 'return.exchange_settled')).toHaveLength(1);
      await expectInventoryConsistent(t);
    });

    it('charges the exchange when the policy says so (a payment is then required up front)', async () => {
      const put = await t.app.inject({ method: 'PUT', url: '/v1/return-policies', headers: t.admin, payload: { channel: 'web', windowDays: 30, arrivalDays: 10, refundShipping: false, autoRefund: true, unreturnedExchange: 'charge' } });
      expect(put.statusCode, put.body).toBe(200);
      const order = await jeans();
      const missing = await postReturn(t, exchangeFor(order, 'SCARF', {}, { kind: 'mail' }));
      expect([missing.statusCode, missing.json().error.code]).toEqual([422, 'exchange_payment_required']);
      const r = await createReturn(t, exchangeFor(order, 'SCARF', { payment: { provider: 'manual', reference: 'card-on-file' } }, { kind: 'mail' }));
      await pastDeadline(r);
      const after = (await t.app.inject({ method: 'GET', url: `/v1/returns/${r.id}`, headers: t.admin })).json();
      expect(after).toMatchObject({ status: 'cancelled', exchange: { outcome: 'charged' }, amounts: { chargedMinor: 2500 } });
      const replacement = await getOrder(t, r.exchange!.orderId);
      expect(replacement.status).not.toBe('cancelled');
      expect(replacement.payments).toMatchObject([{ authorisedMinor: 2500, capturedMinor: 2500 }]);
      expect((await timelineOf(t, replacement.id)).map((e) => e.event)).toEqual(expect.arrayContaining(['exchange.created', 'payment.captured', 'exchange.charged']));
      // Too late now: the units cannot be received any more.
      const late = await returnAction(t, r.id, 'receive', { lines: r.lines.map((l) => ({ lineId: l.id, condition: 'resellable', quantity: 1 })) });
      expect([late.statusCode, late.json().error.code]).toEqual([409, 'invalid_return_transition']);
    });
  });
});
