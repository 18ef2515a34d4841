import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../fulfillment/ship-fixtures.js';
import { placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bob, buildReturnNetwork, counterSale, createReturn, deliveredWebOrder, postReturn, toBob, type OrderView } from './return-fixtures.js';

interface ReturnableView {
  number: string;
  currency: string;
  customer: { name: string | null; known: boolean };
  policy: { windowDays: number; autoRefund: boolean };
  lines: Array<{ lineId: string; sku: string; name: string; quantity: number; totalMinor: number; delivered: number; alreadyReturned: number; returnable: number; windowEndsAt: string | null }>;
}

describe('GET /v1/orders/{id}/returnable: what a counter may take back, before asking', () => {
  let t: TestApp;
  let keys: { nice: string; paris: string };
  let web: OrderView;

  beforeAll(async () => {
    t = await createTestApp();
    keys = await buildReturnNetwork(t);
    // Shipped from the Saint-Priest warehouse, delivered Tuesday 24 November at 14:00 Paris time.
    web = await deliveredWebOrder(t, [{ sku: 'JEAN-32', quantity: 2 }, { sku: 'SCARF', quantity: 1 }], { deliveredAt: '2026-11-24T13:00:00Z' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const read = (id: string, opts: { key?: string; email?: string } = {}) =>
    t.app.inject({ method: 'GET', url: `/v1/orders/${id}/returnable${opts.email !== undefined ? `?email=${encodeURIComponent(opts.email)}` : ''}`, headers: opts.key ? auth(opts.key) : t.admin });

  it('answers each line delivered, already returned and returnable, with the window of the policy', async () => {
    t.clock.set('2026-11-27T15:00:00Z');
    const res = await read(web.number);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as ReturnableView;
    expect(view).toMatchObject({ number: web.number, currency: 'EUR', customer: { name: bob.name, known: true }, policy: { windowDays: 30, autoRefund: true } });
    expect(view.lines.map((l) => [l.sku, l.quantity, l.delivered, l.alreadyReturned, l.returnable, l.windowEndsAt])).toEqual([
      ['JEAN-32', 2, 2, 0, 2, '2026-12-24T13:00:00.000Z'],
      ['SCARF', 1, 1, 0, 1, '2026-12-24T13:00:00.000Z'],
    ]);
    expect(view.lines[0]!.totalMinor).toBe(2 * 7990);
    // Nothing that a return does not need: no address, no phone.
    expect(res.body).not.toContain(toBob.address.line1);
    expect(res.body).not.toContain('98 76');
  });

  it("lets a store read a web order it never touched only with the customer's e-mail; a wrong one reads as unknown", async () => {
    expect((await read(web.number, { key: keys.nice })).statusCode).toBe(404);
    const wrong = await read(web.number, { key: keys.nice, email: 'someone.else@example.fr' });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([404, 'order_not_found']);
    // The same answer as a number that does not exist: the order's existence is not disclosed.
    expect((await read('ORD-2026-999999', { key: keys.nice, email: bob.email })).json().error.code).toBe('order_not_found');
    const right = await read(web.number, { key: keys.nice, email: '  Bob.Durand@Example.FR ' });
    expect(right.statusCode, right.body).toBe(200);
    expect((right.json() as ReturnableView).lines.map((l) => l.returnable)).toEqual([2, 1]);
    // The e-mail is checked for every role when given.
    expect((await read(web.number, { email: 'someone.else@example.fr' })).statusCode).toBe(404);
  });

  it('lets the store that sold an order at its counter read it without the e-mail', async () => {
    const sale = await counterSale(t, [{ sku: 'PULL', quantity: 1 }]);
    const res = await read(sale.number, { key: keys.paris });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as ReturnableView).lines.map((l) => [l.sku, l.delivered, l.returnable])).toEqual([['PULL', 1, 1]]);
    expect((await read(sale.number, { key: keys.nice })).statusCode).toBe(404);
  });

  it('counts the units another return took, and agrees with what POST /v1/returns accepts', async () => {
    const jeans = web.lines.find((l) => l.sku === 'JEAN-32')!;
    await createReturn(t, { orderId: web.number, lines: [{ lineId: jeans.id, quantity: 1, reason: 'wrong_size' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' }, { key: keys.nice });
    const view = (await read(web.number, { key: keys.nice, email: bob.email })).json() as ReturnableView;
    expect(view.lines.find((l) => l.sku === 'JEAN-32')).toMatchObject({ delivered: 2, alreadyReturned: 1, returnable: 1 });
    const over = await postReturn(t, { orderId: web.number, lines: [{ lineId: jeans.id, quantity: 2, reason: 'wrong_size' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' }, { key: keys.nice });
    expect([over.statusCode, over.json().error.code]).toEqual([409, 'return_quantity_exceeded']);
    expect(over.json().error.details.lines[0]).toMatchObject({ returnable: 1 });
  });

  it('answers nothing returnable once the window has closed, and for an order not delivered yet', async () => {
    t.clock.set('2026-12-25T09:00:00Z');
    const late = (await read(web.number)).json() as ReturnableView;
    expect(late.lines.map((l) => [l.sku, l.delivered, l.returnable])).toEqual([
      ['JEAN-32', 2, 0],
      ['SCARF', 1, 0],
    ]);
    const pending = await placeOrder(t, { customer: bob, delivery: toBob, payment: { provider: 'manual' }, lines: [{ sku: 'PULL', quantity: 1 }] });
    expect(pending.statusCode, pending.body).toBe(201);
    const view = (await read(pending.json().number)).json() as ReturnableView;
    expect(view.lines.map((l) => [l.delivered, l.returnable, l.windowEndsAt])).toEqual([[0, 0, null]]);
  });

  it('refuses a malformed e-mail query with nothing read', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/orders/${web.number}/returnable?email=`, headers: t.admin });
    expect(res.statusCode).toBe(400);
  });
});
