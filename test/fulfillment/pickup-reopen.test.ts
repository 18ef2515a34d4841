import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';

/**
 * A click & collect order whose transfer is rejected and re-sourced from the pickup store's own shelves:
 * the already picked pickup reopens, the associate picks only the new units, and it becomes ready.
 */
describe('a picked pickup reopens for re-routed units from its own shelves', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: t.admin, payload });
  const work = async (orderId: string) =>
    (await t.app.inject({ url: `/v1/fulfillments?orderId=${orderId}`, headers: t.admin })).json().items as Array<{ id: string; kind: string; status: string; locationId: string; lines: Array<{ sku: string; pickedQuantity: number | null }> }>;

  it('picks the shelf units, reopens when re-routed units join, then is ready', async () => {
    const res = await placeOrder(t, { delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }, { sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual' } });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    const created = await work(order.id);
    const pickup = created.find((f) => f.kind === 'pickup');
    const transfer = created.find((f) => f.kind === 'transfer');
    expect(transfer).toMatchObject({ locationId: 'wh-lyon', status: 'pending' });
    expect((await post(`/v1/fulfillments/${pickup!.id}/accept`)).statusCode).toBe(200);
    const picked = await post(`/v1/fulfillments/${pickup!.id}/pick`, { lines: [{ sku: 'SKU-3', quantity: 1 }] });
    expect(picked.json()).toMatchObject({ status: 'picked' });

    // The Lyon store now holds the jeans too; the warehouse cannot send them.
    expect((await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-lyon/SKU-2', headers: t.admin, payload: { onHand: 2, asOf: '2026-11-23T09:30:00Z' } })).statusCode).toBeLessThan(300);
    await t.ctx.availability.refresh();
    const rejected = await post(`/v1/fulfillments/${transfer!.id}/reject`, { reason: 'damaged' });
    expect(rejected.statusCode, rejected.body).toBe(200);

    const reopened = (await work(order.id)).find((f) => f.id === pickup!.id)!;
    expect(reopened.status).toBe('accepted');
    expect(reopened.lines.find((l) => l.sku === 'SKU-2')?.pickedQuantity).toBeNull();
    expect(reopened.lines.find((l) => l.sku === 'SKU-3')?.pickedQuantity).toBe(1);
    const early = await post(`/v1/fulfillments/${pickup!.id}/ready-for-pickup`);
    expect(early.statusCode).toBe(409);

    // Only the new units are asked for.
    const again = await post(`/v1/fulfillments/${pickup!.id}/pick`, { lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(again.statusCode, again.body).toBe(200);
    const ready = await post(`/v1/fulfillments/${pickup!.id}/ready-for-pickup`);
    expect(ready.statusCode, ready.body).toBe(200);
    expect(await position(t.ctx.db, 'SKU-2', 'store-lyon')).toEqual({ onHand: 2, reserved: 1 });
    const timeline = (await t.app.inject({ url: `/v1/orders/${order.id}/timeline`, headers: t.admin })).json().items as Array<{ event: string }>;
    expect(timeline.some((e) => e.event === 'fulfillment.reopened')).toBe(true);
    await expectInventoryConsistent(t);
  });
});
