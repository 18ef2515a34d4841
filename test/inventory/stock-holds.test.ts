import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface HoldView {
  kind: string;
  locationId: string;
  quantity: number;
  channelId: string | null;
  reference: string | null;
  order: { id: string; number: string } | null;
  expiresAt: string | null;
}

describe('GET /v1/inventory/{sku}/holds: what reserved is made of', () => {
  let t: TestApp;
  let parisKey: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ parisKey } = await buildOrderNetwork(t));
  });
  afterAll(async () => t?.close());

  const holds = async (url: string, auth = t.admin.authorization) => {
    const res = await t.app.inject({ url, headers: { authorization: auth } });
    return { status: res.statusCode, body: res.json() as { sku: string; items: HoldView[]; error?: { code: string } } };
  };
  const reservedOf = async (sku: string) => {
    const res = await t.app.inject({ url: `/v1/inventory/${sku}`, headers: t.admin });
    return Object.fromEntries((res.json().positions as { locationId: string; reserved: number }[]).map((p) => [p.locationId, p.reserved]));
  };

  it('lists cart holds, promise holds and order units, newest first, and they add up to reserved', async () => {
    const cart = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { lines: [{ sku: 'SKU-1', locationId: 'store-lyon', quantity: 2 }], channel: 'web', reference: 'cart-42' } });
    expect(cart.statusCode, cart.body).toBe(201);
    t.clock.advance(60_000);
    const order = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(order.statusCode, order.body).toBe(201);
    t.clock.advance(60_000);
    const promise = await t.app.inject({
      method: 'POST',
      url: '/v1/promise',
      headers: t.admin,
      payload: { channel: 'web', lines: [{ sku: 'SKU-1', quantity: 1 }], destination: { postalCode: '75011', country: 'FR' }, hold: { optionId: 'ship:standard' } },
    });
    expect(promise.statusCode, promise.body).toBe(201);

    const { status, body } = await holds('/v1/inventory/SKU-1/holds');
    expect(status).toBe(200);
    expect(body.items.map((h) => h.kind)).toEqual(['promise', 'order', 'cart']);
    expect(body.items[0]).toMatchObject({ locationId: 'store-paris', quantity: 1, channelId: 'web', order: null, reference: expect.stringMatching(/^promise:/) });
    expect(body.items[1]).toMatchObject({ locationId: 'store-paris', quantity: 1, channelId: 'web', expiresAt: null, order: { number: order.json().number } });
    expect(body.items[2]).toMatchObject({ locationId: 'store-lyon', quantity: 2, channelId: 'web', reference: 'cart-42', order: null, expiresAt: expect.any(String) });
    const summed: Record<string, number> = {};
    for (const h of body.items) summed[h.locationId] = (summed[h.locationId] ?? 0) + h.quantity;
    expect(summed).toEqual(Object.fromEntries(Object.entries(await reservedOf('SKU-1')).filter(([, r]) => r > 0)));

    const lyon = await holds('/v1/inventory/SKU-1/holds?locationId=store-lyon');
    expect(lyon.body.items.map((h) => h.reference)).toEqual(['cart-42']);
  });

  it('drops a hold once it ends', async () => {
    const cart = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { lines: [{ sku: 'SKU-3', locationId: 'store-lyon', quantity: 1 }] } });
    expect((await holds('/v1/inventory/SKU-3/holds')).body.items).toHaveLength(1);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${cart.json().id}`, headers: t.admin })).statusCode).toBe(200);
    expect((await holds('/v1/inventory/SKU-3/holds')).body.items).toEqual([]);
  });

  it('shows a store key only its own locations, and says 403 or 404 plainly', async () => {
    const store = `Bearer ${parisKey}`;
    const own = await holds('/v1/inventory/SKU-1/holds', store);
    expect(own.status).toBe(200);
    expect(new Set(own.body.items.map((h) => h.locationId))).toEqual(new Set(['store-paris']));
    const other = await holds('/v1/inventory/SKU-1/holds?locationId=store-lyon', store);
    expect([other.status, other.body.error?.code]).toEqual([403, 'location_out_of_scope']);
    const unknown = await holds('/v1/inventory/NOPE/holds');
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'sku_not_found']);
  });
});
