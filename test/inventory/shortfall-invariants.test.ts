import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, placeOrder } from '../orders/fixtures.js';
import { buildRerouteNetwork } from '../fulfillment/reroute-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const POSITIONS = [
  { sku: 'SKU-1', locationId: 'store-paris' },
  { sku: 'SKU-1', locationId: 'store-opera' },
  { sku: 'SKU-2', locationId: 'store-paris' },
  { sku: 'SKU-2', locationId: 'wh-lyon' },
  { sku: 'SKU-PRE', locationId: 'store-paris' },
] as const;
const SKUS = ['SKU-1', 'SKU-2', 'SKU-PRE'] as const;

type Feed =
  | { kind: 'set'; position: number; onHand: number }
  | { kind: 'movement'; position: number; delta: number }
  | { kind: 'snapshot'; locationId: 'store-paris' | 'store-opera'; counts: number[] };

const feedArb: fc.Arbitrary<Feed> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), position: fc.nat({ max: POSITIONS.length - 1 }), onHand: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('movement' as const), position: fc.nat({ max: POSITIONS.length - 1 }), delta: fc.integer({ min: -4, max: -1 }) }),
  fc.record({ kind: fc.constantFrom('snapshot' as const), locationId: fc.constantFrom('store-paris' as const, 'store-opera' as const), counts: fc.array(fc.nat({ max: 2 }), { minLength: 3, maxLength: 3 }) }),
);

const scenarioArb = fc.record({
  stock: fc.array(fc.nat({ max: 6 }), { minLength: POSITIONS.length, maxLength: POSITIONS.length }),
  orders: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 3 }), accept: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  holds: fc.array(fc.record({ position: fc.nat({ max: POSITIONS.length - 1 }), quantity: fc.integer({ min: 1, max: 2 }) }), { maxLength: 3 }),
  feeds: fc.array(feedArb, { minLength: 1, maxLength: 4 }),
});

describe('after any stock feed and a resolution, reserved ≤ on hand everywhere and the inventory check is clean', () => {
  let t: TestApp;
  let tick = 0;
  const asOf = () => new Date(Date.parse('2026-11-23T09:00:00Z') + ++tick * 1000).toISOString();
  beforeAll(async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t);
  });
  afterAll(() => t.close());

  async function apply(feed: Feed): Promise<void> {
    let res;
    if (feed.kind === 'set') {
      const p = POSITIONS[feed.position]!;
      res = await t.app.inject({ method: 'PUT', url: `/v1/inventory/${p.locationId}/${p.sku}`, headers: t.admin, payload: { onHand: feed.onHand, asOf: asOf() } });
    } else if (feed.kind === 'movement') {
      const p = POSITIONS[feed.position]!;
      res = await t.app.inject({ method: 'POST', url: '/v1/inventory/movements', headers: t.admin, payload: { movements: [{ eventId: `m-${tick++}`, sku: p.sku, locationId: p.locationId, delta: feed.delta }] } });
    } else {
      const items = SKUS.map((sku, i) => ({ sku, onHand: feed.counts[i]! }));
      res = await t.app.inject({ method: 'POST', url: '/v1/inventory/snapshots', headers: t.admin, payload: { locationId: feed.locationId, asOf: asOf(), items } });
    }
    expect(res.statusCode, res.body).toBe(200);
  }

  it('holds for random stock, orders, holds and feeds', async () => {
    const seen = { holdUnits: 0, orderUnits: 0, cancelledUnits: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        for (const [i, p] of POSITIONS.entries()) {
          const res = await t.app.inject({ method: 'PUT', url: `/v1/inventory/${p.locationId}/${p.sku}`, headers: t.admin, payload: { onHand: s.stock[i]! + 4, asOf: asOf() } });
          expect(res.statusCode, res.body).toBe(200);
        }
        // Raising stock first may itself leave nothing oversold; earlier runs' orders still hold units.
        await t.ctx.shortfalls.resolve();
        await t.ctx.availability.refresh();
        for (const o of s.orders) {
          const res = await placeOrder(t, { lines: [{ sku: o.sku, quantity: o.quantity }], payment: { provider: 'manual' } });
          expect([201, 409], res.body).toContain(res.statusCode);
          if (res.statusCode === 201 && o.accept) {
            const items = await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${res.json().id}`, headers: t.admin });
            for (const f of items.json().items) await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/accept`, headers: t.admin, payload: {} });
          }
        }
        for (const h of s.holds) {
          const p = POSITIONS[h.position]!;
          const res = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { lines: [{ ...p, quantity: h.quantity }] } });
          expect([201, 409], res.body).toContain(res.statusCode);
        }
        for (const feed of s.feeds) await apply(feed);

        const report = await t.ctx.shortfalls.resolve();
        expect(report.failures).toBe(0);
        seen.holdUnits += report.holdUnits;
        seen.orderUnits += report.orderUnits;
        seen.cancelledUnits += report.cancelledUnits;
        expect(report.unresolved).toEqual([]);
        const oversold = await sql<{ sku: string }>`SELECT sku, location_id FROM stock_position WHERE reserved > on_hand`.execute(t.ctx.db);
        expect(oversold.rows).toEqual([]);
        await expectInventoryConsistent(t);
        // Every ordered unit is still held, backordered or cancelled: none vanished, none counted twice.
        const lines = await sql<{ id: string; quantity: number; held: number }>`
          SELECT l.id, l.quantity, l.cancelled_quantity + coalesce((SELECT sum(a.quantity) FROM order_allocation a
            WHERE a.line_id = l.id AND a.status IN ('reserved', 'backordered', 'fulfilled')), 0)::int AS held
          FROM order_line l`.execute(t.ctx.db);
        for (const l of lines.rows) expect(l.held, `line ${l.id}`).toBe(l.quantity);
        // A second run finds nothing to do.
        expect(await t.ctx.shortfalls.resolve()).toMatchObject({ positions: 0 });
      }),
      { numRuns: 12, seed: 4242 },
    );
    // The runs went through every kind of resolution, not only quiet feeds.
    expect(seen.holdUnits).toBeGreaterThan(0);
    expect(seen.orderUnits).toBeGreaterThan(0);
    expect(seen.cancelledUnits).toBeGreaterThan(0);
  });
});
