import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, placeOrder, alice } from '../orders/fixtures.js';

describe('fulfillment orders: created with the order, queued by deadline, accepted by their location', () => {
  let t: TestApp;
  let parisKey: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ parisKey } = await buildOrderNetwork(t));
  });
  afterAll(() => t.close());

  it('an order shipped from two locations gets one fulfillment per location, with deadlines and events', async () => {
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }] });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    const allocations = order.lines.flatMap((l: { allocations: { locationId: string; fulfillmentId: string | null }[] }) => l.allocations);
    expect(allocations.every((a: { fulfillmentId: string | null }) => a.fulfillmentId !== null)).toBe(true);
    const list = await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${order.number}`, headers: t.admin });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as Array<{ number: string; kind: string; status: string; locationId: string; dueAt: string | null; acceptBy: string | null; lines: unknown[]; shipTo: unknown }>;
    expect(items.length).toBe(new Set(allocations.map((a: { locationId: string }) => a.locationId)).size);
    for (const f of items) {
      expect(f).toMatchObject({ kind: 'ship', status: 'pending' });
      expect(f.number.startsWith(`${order.number}-F`)).toBe(true);
      expect(f.dueAt).not.toBeNull();
      expect(f.acceptBy).not.toBeNull();
      expect(f.shipTo).toMatchObject({ postalCode: '75011' });
    }
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('type', '=', 'fulfillment.created').execute();
    expect(events.filter((e) => (e.payload as { orderId: string }).orderId === order.id)).toHaveLength(items.length);
  });

  it('a store key sees and accepts only its own fulfillments; the order line goes in_fulfillment', async () => {
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }], customer: alice });
    const order = res.json();
    const paris = await t.app.inject({ method: 'GET', url: '/v1/fulfillments?status=open', headers: { authorization: `Bearer ${parisKey}` } });
    expect(paris.statusCode).toBe(200);
    const mine = (paris.json().items as Array<{ id: string; orderId: string; locationId: string }>);
    expect(mine.every((f) => f.locationId === 'store-paris')).toBe(true);
    const f = mine.find((x) => x.orderId === order.id)!;
    expect(f).toBeDefined();
    const accepted = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/accept`, headers: { authorization: `Bearer ${parisKey}` } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', acceptBy: null });
    const again = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/accept`, headers: { authorization: `Bearer ${parisKey}` } });
    expect(again.statusCode).toBe(409);
    const unanswered = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/pick`, headers: { authorization: `Bearer ${parisKey}` }, payload: { lines: [] } });
    expect([unanswered.statusCode, unanswered.json().error.code]).toEqual([422, 'pick_mismatch']);
    const picked = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/pick`, headers: { authorization: `Bearer ${parisKey}` }, payload: { lines: [{ sku: 'SKU-1', quantity: 1 }] } });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ status: 'picked', lines: [{ sku: 'SKU-1', quantity: 1, pickedQuantity: 1 }] });
    const after = (await t.app.inject({ method: 'GET', url: `/v1/orders/${order.id}`, headers: t.admin })).json();
    expect(after.status).toBe('in_fulfillment');
    expect(after.lines[0].status).toBe('in_fulfillment');
    const wh = (await t.app.inject({ method: 'GET', url: '/v1/fulfillments?locationId=wh-lyon', headers: t.admin })).json().items as Array<{ id: string }>;
    expect(wh.length).toBeGreaterThan(0);
    const foreign = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${wh[0]!.id}/accept`, headers: { authorization: `Bearer ${parisKey}` } });
    expect(foreign.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/fulfillments?status=lost', headers: t.admin });
    expect(bad.statusCode).toBe(400);
  });
});
