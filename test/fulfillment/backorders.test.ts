import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';

/** Pre-orders and backorders: promised from incoming supply once, served when it arrives, in order. */
describe('backorders served on arrival of supply', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
  });
  afterAll(() => t.close());

  it('promises arriving units once, then reserves them for the waiting orders first come first served', async () => {
    const first = await placeOrder(t, { lines: [{ sku: 'SKU-PRE', quantity: 3 }] });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'backordered', lines: [{ allocations: [{ locationId: 'wh-lyon', status: 'backordered', fulfillmentId: null }] }] });
    const second = await placeOrder(t, { lines: [{ sku: 'SKU-PRE', quantity: 17 }] });
    expect(second.statusCode, second.body).toBe(201);
    // 20 arrive, 20 are awaited: nothing is left to promise.
    const third = await placeOrder(t, { lines: [{ sku: 'SKU-PRE', quantity: 1 }] });
    expect([third.statusCode, third.json().error.code]).toEqual([409, 'out_of_stock']);
    expect((await t.app.inject({ url: `/v1/fulfillments?orderId=${first.json().id}`, headers: t.admin })).json().items).toEqual([]);

    const supply = (await t.app.inject({ url: '/v1/supply?sku=SKU-PRE', headers: t.admin })).json().items as Array<{ id: string; status: string }>;
    const received = await t.app.inject({ method: 'POST', url: `/v1/supply/${supply[0]!.id}/receive`, headers: t.admin });
    expect(received.statusCode, received.body).toBe(200);
    expect(await position(t.ctx.db, 'SKU-PRE', 'wh-lyon')).toEqual({ onHand: 20, reserved: 20 });
    for (const o of [first.json(), second.json()]) {
      const after = (await t.app.inject({ url: `/v1/orders/${o.id}`, headers: t.admin })).json();
      expect(after.status).toBe('allocated');
      expect(after.lines[0].allocations).toMatchObject([{ status: 'reserved', locationId: 'wh-lyon' }]);
      const work = (await t.app.inject({ url: `/v1/fulfillments?orderId=${o.id}`, headers: t.admin })).json().items;
      expect(work).toMatchObject([{ locationId: 'wh-lyon', kind: 'ship', status: 'pending', lines: [{ sku: 'SKU-PRE' }] }]);
    }
    const timeline = (await t.app.inject({ url: `/v1/orders/${first.json().id}/timeline`, headers: t.admin })).json().items as Array<{ event: string; details: { cause?: string } }>;
    expect(timeline.some((e) => e.event === 'order.progressed' && e.details.cause === 'backorder.allocated')).toBe(true);
    await expectInventoryConsistent(t);
  });
});
