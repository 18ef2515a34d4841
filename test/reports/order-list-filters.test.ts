import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// The back office order list filters GET /v1/orders by delivery method and shows the customer's name.
describe('GET /v1/orders: delivery method filter and customer name for the back office list', () => {
  let t: TestApp;
  const numbers: Record<string, string> = {};
  const list = async (query: string) => {
    const res = await t.app.inject({ url: `/v1/orders${query}`, headers: t.admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<{ number: string; deliveryMethod: string; customerName: string | null; email: string | null }>;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    for (const [name, body, auth] of [
      ['ship', { lines: [{ sku: 'SKU-1', quantity: 1 }] }, undefined],
      ['pickup', { channel: 'callcenter', delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }] }, undefined],
      ['counter', { channel: 'pos', customer: { email: 'bob@example.fr' }, delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris' }, lines: [{ sku: 'SKU-1', quantity: 1 }] }, parisKey],
    ] as const) {
      t.clock.advance(60_000); // newest first: one minute apart
      const res = await placeOrder(t, body, auth ? { auth } : {});
      expect(res.statusCode, res.body).toBe(201);
      numbers[name] = res.json().number;
    }
  });
  afterAll(() => t.close());

  it('filters by delivery method, alone or with other filters', async () => {
    expect((await list('?deliveryMethod=pickup')).map((o) => o.number)).toEqual([numbers.pickup]);
    expect((await list('?deliveryMethod=carry_out&status=completed')).map((o) => o.number)).toEqual([numbers.counter]);
    expect(await list('?deliveryMethod=carry_out&status=allocated')).toEqual([]);
    expect(await list('?deliveryMethod=reserve_and_collect')).toEqual([]);
    expect((await list('')).map((o) => o.number)).toEqual([numbers.counter, numbers.pickup, numbers.ship]);
    const bad = await t.app.inject({ url: '/v1/orders?deliveryMethod=drone', headers: t.admin });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'validation_failed']);
  });

  it('gives the name the customer gave with the order', async () => {
    const [counter, pickup] = await list('');
    expect(pickup).toMatchObject({ customerName: 'Alice Martin', email: 'alice.martin@example.fr', deliveryMethod: 'pickup' });
    expect(counter).toMatchObject({ customerName: null, email: 'bob@example.fr' });
  });
});
