import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, newKey, placeOrder, position } from './fixtures.js';

// Races on the real server: many orders at once through the application (pool of 20 connections).
describe('orders under concurrency (PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    for (const [location, onHand] of [['store-paris', 3], ['wh-lyon', 4]] as const) {
      await t.app.inject({ method: 'PUT', url: '/v1/products/HOT', headers: t.admin, payload: { name: 'Édition limitée', weightGrams: 300, prices: { EUR: 9900 } } });
      const res = await t.app.inject({ method: 'PUT', url: `/v1/inventory/${location}/HOT`, headers: t.admin, payload: { onHand, asOf: '2026-11-02T00:00:00Z' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    await t.ctx.availability.refresh();
  });
  afterAll(() => t?.close());

  const tally = (codes: readonly number[]) => codes.reduce<Record<number, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});

  it('never oversells: 80 concurrent orders for 7 scarce units over two locations sell exactly 7', async () => {
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) => placeOrder(t, { lines: [{ sku: 'HOT', quantity: 1 }], customer: { email: `buyer${i}@example.fr` }, payment: { provider: 'manual' } })),
    );
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 201: 7, 409: 73 });
    for (const r of responses.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('out_of_stock');
    expect(await position(t.ctx.db, 'HOT', 'store-paris')).toEqual({ onHand: 3, reserved: 3 });
    expect(await position(t.ctx.db, 'HOT', 'wh-lyon')).toEqual({ onHand: 4, reserved: 4 });
    const allocated = await sql<{ n: number }>`SELECT coalesce(sum(quantity), 0)::int AS n FROM order_allocation WHERE sku = 'HOT' AND status = 'reserved'`.execute(t.ctx.db);
    expect(allocated.rows[0]!.n).toBe(7);
    const orders = await sql<{ n: number }>`SELECT count(*)::int AS n FROM order_line WHERE sku = 'HOT'`.execute(t.ctx.db);
    expect(orders.rows[0]!.n).toBe(7);
    await expectInventoryConsistent(t);
  });

  it('a lost race re-sources from another location instead of refusing', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-1', headers: t.admin, payload: { onHand: 2, asOf: '2026-11-03T00:00:00Z' } });
    await t.app.inject({ method: 'PUT', url: '/v1/inventory/wh-lyon/SKU-1', headers: t.admin, payload: { onHand: 6, asOf: '2026-11-03T00:00:00Z' } });
    await t.ctx.availability.refresh();
    // Every order prefers the Paris store (ships from it, cheaper than the Lyon warehouse for Paris):
    // only 2 can get it, the other 6 must be served from Lyon, none refused.
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }], customer: { email: `race${i}@example.fr` } })));
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 201: 8 });
    const from = tally(responses.map((r) => (r.json().lines[0].allocations[0].locationId === 'store-paris' ? 1 : 2)));
    expect(from).toEqual({ 1: 2, 2: 6 });
    await expectInventoryConsistent(t);
  });

  it('the same Idempotency-Key sent 12 times at once creates one order, and every answer is that order', async () => {
    const key = newKey();
    const body = { lines: [{ sku: 'SKU-2', quantity: 1 }], customer: { email: 'twelve@example.fr' } };
    const responses = await Promise.all(Array.from({ length: 12 }, () => placeOrder(t, body, { key })));
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 201: 12 });
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sales_order o JOIN customer c ON c.id = o.customer_id WHERE c.email_key = 'twelve@example.fr'`.execute(t.ctx.db);
    expect(count.rows[0]!.n).toBe(1);
  });

  it('the same marketplace order imported 10 times at once (different keys) exists once', async () => {
    const body = { channel: 'marketplace:zalando', externalId: 'ZAL-RACE', lines: [{ sku: 'SKU-2', quantity: 1 }], customer: { email: 'zal@example.fr' } };
    const responses = await Promise.all(Array.from({ length: 10 }, () => placeOrder(t, body)));
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 201: 1, 200: 9 });
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    await expectInventoryConsistent(t);
  });

  it("a store's daily pick capacity holds under a race: its load is checked last in each order's transaction, never exceeded", async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/products/CAP', headers: t.admin, payload: { name: 'Chaussette', weightGrams: 100, prices: { EUR: 900 } } });
    // Plenty of stock, only in Paris: the store's pick capacity is what runs out.
    const stocked = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/CAP', headers: t.admin, payload: { onHand: 50, asOf: '2026-11-04T00:00:00Z' } });
    expect(stocked.statusCode, stocked.body).toBe(200);
    await t.ctx.availability.refresh();
    // The day Paris would ship on, and its load so far: leave room for 3 more units that day.
    const promised = await t.app.inject({
      method: 'POST', url: '/v1/promise', headers: t.admin,
      payload: { channel: 'web', lines: [{ sku: 'CAP', quantity: 1 }], destination: { postalCode: '75001', country: 'FR' }, services: ['standard'] },
    });
    const shipment = (promised.json() as { options: Array<{ shipments: Array<{ locationId: string; departureDate: string }> }> }).options[0]!.shipments[0]!;
    expect(shipment.locationId).toBe('store-paris');
    const loadOn = async () =>
      (await sql<{ units: number }>`SELECT coalesce(max(units), 0)::int AS units FROM location_pick_load WHERE location_id = 'store-paris' AND day = ${shipment.departureDate}::date`.execute(t.ctx.db)).rows[0]!.units;
    const before = await loadOn();
    await sql`UPDATE location SET daily_pick_capacity = ${before + 3}, updated_at = now() WHERE id = 'store-paris'`.execute(t.ctx.db);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => placeOrder(t, { lines: [{ sku: 'CAP', quantity: 1 }], customer: { email: `cap${i}@example.fr` }, payment: { provider: 'manual' } })),
    );
    // Once the day is full the store is no candidate: the others are refused cleanly.
    for (const r of responses) if (r.statusCode !== 201) expect(r.json().error.code, r.body).toBe('out_of_stock');
    const placed = responses.filter((r) => r.statusCode === 201);
    for (const r of placed) expect(r.json().lines[0].allocations[0].locationId).toBe('store-paris');
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThanOrEqual(3);
    expect(await loadOn()).toBe(before + placed.length);
    await sql`UPDATE location SET daily_pick_capacity = 100, updated_at = now() WHERE id = 'store-paris'`.execute(t.ctx.db);
    await expectInventoryConsistent(t);
  });

  it('concurrent cancels and orders on the same stock keep the invariant', async () => {
    const placed = await Promise.all(Array.from({ length: 6 }, (_, i) => placeOrder(t, { lines: [{ sku: 'SKU-2', quantity: 1 }], customer: { email: `c${i}@example.fr` } })));
    const ids = placed.filter((r) => r.statusCode === 201).map((r) => r.json().id as string);
    const mixed = await Promise.all([
      ...ids.map((id) => t.app.inject({ method: 'POST', url: `/v1/orders/${id}/cancel`, headers: t.admin, payload: {} })),
      ...ids.map((id) => t.app.inject({ method: 'POST', url: `/v1/orders/${id}/cancel`, headers: t.admin, payload: {} })),
      ...Array.from({ length: 6 }, (_, i) => placeOrder(t, { lines: [{ sku: 'SKU-2', quantity: 1 }], customer: { email: `d${i}@example.fr` } })),
    ]);
    // Each order is cancelled exactly once; the second cancel of each is refused.
    expect(tally(mixed.slice(0, 2 * ids.length).map((r) => r.statusCode))).toEqual({ 200: ids.length, 409: ids.length });
    await expectInventoryConsistent(t);
  });

  it('a new customer ordering 10 times at once is one customer, whose every order it is', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/products/RUSH', headers: t.admin, payload: { name: 'Bonnet', weightGrams: 100, prices: { EUR: 1900 } } });
    const stocked = await t.app.inject({ method: 'PUT', url: '/v1/inventory/wh-lyon/RUSH', headers: t.admin, payload: { onHand: 50, asOf: '2026-11-05T00:00:00Z' } });
    expect(stocked.statusCode, stocked.body).toBe(200);
    await t.ctx.availability.refresh();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => placeOrder(t, { lines: [{ sku: 'RUSH', quantity: 1 }], customer: { email: i % 2 ? 'Rush@Example.fr' : 'rush@example.fr', name: `Rush ${i}` } })),
    );
    for (const r of responses) expect(r.statusCode, r.body).toBe(201);
    const customers = await sql<{ id: string }>`SELECT id FROM customer WHERE email_key = 'rush@example.fr'`.execute(t.ctx.db);
    expect(customers.rows).toHaveLength(1);
    for (const r of responses) expect(r.json().customer.customerId).toBe(customers.rows[0]!.id);
  });
});
