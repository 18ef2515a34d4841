import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { option, options, promise, reasons, type PromiseBody } from './fixtures.js';

const home = { destination: { postalCode: '75011', country: 'FR' } };
const jumper = { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] };
const parkas = (quantity: number) => ({ ...home, lines: [{ sku: 'SKU-PRE', quantity }] });

/**
 * Pick loads, incoming supply, backorders and product facts are read for every promise (shared by
 * concurrent promises, never cached): a change committed before a promise is asked for is in it, with no
 * refresh and no wait.
 */
describe('promise inputs are as fresh as the request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
  });
  afterAll(() => t.close());

  it('a pick load committed before the promise is seen by it, even while another promise is reading', async () => {
    expect(option(await options(t, jumper), 'ship:standard')?.shipments.map((s) => s.locationId)).toEqual(['store-paris']);
    const during = promise(t, jumper);
    // Paris picks 100 units a day: with Monday (the test clock's day) full, the only store shipping SKU-1 cannot.
    await t.ctx.db.insertInto('location_pick_load').values({ location_id: 'store-paris', day: '2026-11-23', units: 100 }).execute();
    const full = await options(t, jumper);
    expect(reasons(full, 'ship:standard')).toEqual(['no_stock']);
    expect(reasons(full, 'reserve_and_collect:store-paris')).toEqual(['no_stock']);
    expect((await during).statusCode).toBe(200);
    await t.ctx.db.deleteFrom('location_pick_load').where('location_id', '=', 'store-paris').execute();
    expect(option(await options(t, jumper), 'ship:standard')?.shipments).toMatchObject([{ locationId: 'store-paris', departureDate: '2026-11-23' }]);
  });

  it('incoming supply, the units backorders wait for and product facts count from the next promise', async () => {
    // 20 parkas arrive at wh-lyon on 1 December.
    expect(option(await options(t, parkas(5)), 'ship:standard')).toMatchObject({ preorder: true, shipments: [{ locationId: 'wh-lyon', availableFrom: '2026-12-01T08:00:00.000Z' }] });
    const backorder = await placeOrder(t, { lines: [{ sku: 'SKU-PRE', quantity: 17 }] });
    expect(backorder.statusCode, backorder.body).toBe(201);
    expect(reasons(await options(t, parkas(5)), 'ship:standard')).toEqual(['no_stock']);
    expect(option(await options(t, parkas(3)), 'ship:standard')?.preorder).toBe(true);

    const po = await t.app.inject({
      method: 'POST', url: '/v1/supply', headers: t.admin,
      payload: { kind: 'purchase_order', reference: 'PO-2', lines: [{ sku: 'SKU-PRE', locationId: 'wh-lyon', quantity: 10, expectedAt: '2026-12-05T08:00:00Z' }] },
    });
    expect(po.statusCode, po.body).toBeLessThan(300);
    const split = option(await options(t, parkas(5)), 'ship:standard')!;
    expect(split.shipments).toMatchObject([
      { availableFrom: '2026-12-01T08:00:00.000Z', lines: [{ lineId: '1', sku: 'SKU-PRE', quantity: 3 }] },
      { availableFrom: '2026-12-05T08:00:00.000Z', lines: [{ lineId: '1', sku: 'SKU-PRE', quantity: 2 }] },
    ]);
    expect(split.shipments).toHaveLength(2);

    const product = await t.app.inject({ method: 'PUT', url: '/v1/products/SKU-PRE', headers: t.admin, payload: { name: 'Parka', weightGrams: 1200, prices: { EUR: 19900 }, backorderable: false } });
    expect(product.statusCode, product.body).toBeLessThan(300);
    expect(reasons(await options(t, parkas(1)), 'ship:standard')).toEqual(['no_stock']);
  });

  it('concurrent promises get what each would get alone', async () => {
    const carts = [jumper, parkas(1), { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }] }, { ...home, lines: [{ sku: 'SKU-3', quantity: 1 }] }];
    const alone: PromiseBody[] = [];
    for (const cart of carts) alone.push(await options(t, cart));
    const together = await Promise.all([...carts, ...carts].map((cart) => promise(t, cart)));
    expect(together.map((r) => r.statusCode)).toEqual(together.map(() => 200));
    expect(together.map((r) => r.json())).toEqual([...alone, ...alone]);
  });
});
