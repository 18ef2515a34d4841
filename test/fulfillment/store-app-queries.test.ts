import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { alice, buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { atLyon, bearer, ok, storeKey } from './collect-fixtures.js';

/**
 * What the store associate app reads from the fulfillment list: who the work is for (the customer's
 * contact and the order's delivery method, to call the name at the desk and take the payment of a
 * reserve & collect) and the transfers coming to the store (to receive them), never another store's.
 */
describe('fulfillment views for the store app', () => {
  let t: TestApp;
  let paris: { authorization: string };
  let lyon: { authorization: string };
  let warehouse: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    paris = bearer(parisKey);
    lyon = await storeKey(t, 'store-lyon');
    warehouse = await storeKey(t, 'wh-lyon');
  });
  afterAll(() => t.close());

  const list = async (auth: { authorization: string }, query: string) => {
    const res = await t.app.inject({ url: `/v1/fulfillments?${query}`, headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<{ id: string; kind: string; status: string; locationId: string; destinationLocationId: string | null; customer: unknown; deliveryMethod: string }>;
  };

  it('shows the customer and the delivery method on every fulfillment, in lists, reads and step answers', async () => {
    const shipped = (await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] })).json();
    const [ship] = await list(t.admin, `orderId=${shipped.number}`);
    expect(ship).toMatchObject({ kind: 'ship', customer: { name: 'Alice Martin', email: 'alice.martin@example.fr', phone: '+33 6 12 34 56 78' }, deliveryMethod: 'ship' });
    const read = await t.app.inject({ url: `/v1/fulfillments/${ship!.id}`, headers: paris });
    expect(read.json()).toMatchObject({ customer: { name: 'Alice Martin' }, deliveryMethod: 'ship' });
    expect(await ok(t, paris, ship!.id, 'accept')).toMatchObject({ customer: { email: 'alice.martin@example.fr' } });

    const reserved = (await placeOrder(t, { customer: { email: 'bob@example.fr' }, delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }] })).json();
    const [pickup] = await list(lyon, `orderId=${reserved.number}`);
    expect(pickup).toMatchObject({ kind: 'pickup', customer: { name: null, email: 'bob@example.fr', phone: null }, deliveryMethod: 'reserve_and_collect' });
  });

  it('lists the transfers coming to a store for that store only, wherever they leave from', async () => {
    const res = await placeOrder(t, { customer: alice, delivery: atLyon, lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }], payment: { provider: 'manual' } });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    const transfer = (await list(t.admin, `orderId=${order.id}&kind=transfer`))[0]!;
    expect(transfer).toMatchObject({ locationId: 'wh-lyon', destinationLocationId: 'store-lyon' });

    // The store's own queue holds its pickup, not the warehouse's transfer; the incoming list holds the transfer.
    expect((await list(lyon, `orderId=${order.id}`)).map((f) => f.kind)).toEqual(['pickup']);
    expect((await list(lyon, `destinationLocationId=store-lyon&orderId=${order.id}`)).map((f) => f.id)).toEqual([transfer.id]);
    expect((await list(lyon, 'destinationLocationId=store-lyon&status=shipped'))).toEqual([]);
    // Another store, asking for Lyon's incoming transfers, gets nothing; the admin sees them by any filter.
    expect(await list(paris, 'destinationLocationId=store-lyon')).toEqual([]);
    expect((await list(t.admin, 'destinationLocationId=store-lyon&locationId=wh-lyon')).map((f) => f.id)).toContain(transfer.id);
    expect(await list(t.admin, 'destinationLocationId=store-lyon&locationId=store-paris')).toEqual([]);

    await ok(t, warehouse, transfer.id, 'accept');
    await ok(t, warehouse, transfer.id, 'pick', { lines: [{ sku: 'SKU-2', quantity: 2 }] });
    await ok(t, warehouse, transfer.id, 'ship', { parcels: [{ weightGrams: 1600 }] });
    const arriving = await list(lyon, 'destinationLocationId=store-lyon&status=shipped&kind=transfer');
    expect(arriving.map((f) => [f.id, f.status])).toEqual([[transfer.id, 'shipped']]);
    await ok(t, lyon, transfer.id, 'receive');
    expect(await list(lyon, 'destinationLocationId=store-lyon&status=shipped')).toEqual([]);
  });
});
