import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilityView } from '../../src/modules/availability/availability-view.js';
import { resolveShortfalls } from '../../src/modules/fulfillment/resolve-shortfalls.js';
import { loseOrderUnits } from '../../src/modules/fulfillment/lose-order-units.js';
import { listOrderClaims } from '../../src/modules/fulfillment/lost-units.repository.js';
import { PromiseData } from '../../src/modules/promise/promise-data.js';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { buildRerouteNetwork, deps, fulfillmentsOf, placed, timelineEvents } from '../fulfillment/reroute-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('shortfall resolvers racing on PostgreSQL: no unit freed twice, no order re-routed twice', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t, { operaSku1: 40 });
  });
  afterAll(() => t.close());

  // Each "process" has its own master-data cache and ATP view, as separate Ordo processes do.
  const resolver = () => resolveShortfalls({ ...deps(t), data: new PromiseData(t.ctx.db, t.clock), availability: new AvailabilityView(t.ctx.db) });

  for (const round of [1, 2, 3]) {
    it(`round ${round}: four resolvers at once free exactly the shortfall, holds first, newest orders next`, async () => {
      t.clock.set(`2026-11-23T${String(9 + round).padStart(2, '0')}:00:00Z`);
      const asOf = (minute: number) => `2026-11-23T${String(9 + round).padStart(2, '0')}:0${minute}:00Z`;
      // Units earlier rounds left at Rivoli stay reserved there: this round works on top of them.
      const base = (await position(t.ctx.db, 'SKU-1', 'store-paris')).reserved;
      const put = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-1', headers: t.admin, payload: { onHand: base + 8, asOf: asOf(1) } });
      expect(put.statusCode, put.body).toBe(200);
      await t.ctx.availability.refresh();
      const orders: Array<{ id: string; number: string }> = [];
      for (let i = 0; i < 5; i++) {
        orders.push(await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] }));
        t.clock.advance(1_000);
      }
      for (const o of orders) expect((await fulfillmentsOf(t, o.id)).map((f) => f.locationId)).toEqual(['store-paris']);
      const hold = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { lines: [{ sku: 'SKU-1', locationId: 'store-paris', quantity: 2 }] } });
      expect(hold.statusCode, hold.body).toBe(201);
      expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: base + 8, reserved: base + 7 });
      const operaBefore = await position(t.ctx.db, 'SKU-1', 'store-opera');
      const eventsBefore = await sql<{ n: number }>`SELECT coalesce(max(id), 0)::int AS n FROM outbox_event`.execute(t.ctx.db);

      // The count finds 5 fewer units than are reserved.
      const snap = await t.app.inject({ method: 'POST', url: '/v1/inventory/snapshots', headers: t.admin, payload: { locationId: 'store-paris', asOf: asOf(2), items: [{ sku: 'SKU-1', onHand: base + 2 }, { sku: 'SKU-2', onHand: 1 }] } });
      expect(snap.json()).toMatchObject({ oversoldPositions: [{ sku: 'SKU-1', onHand: base + 2, reserved: base + 7 }] });

      const reports = await Promise.all([resolver(), resolver(), resolver(), resolver()]);
      const sum = (k: 'holdUnits' | 'orderUnits' | 'orders') => reports.reduce((s, r) => s + r[k], 0);
      expect(sum('holdUnits')).toBe(2);
      expect(sum('orderUnits')).toBe(3);
      expect(sum('orders')).toBe(3);
      expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: base + 2, reserved: base + 2 });
      expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: operaBefore.onHand, reserved: operaBefore.reserved + 3 });

      // The two oldest orders keep Rivoli; each of the three newest is re-routed exactly once.
      for (const [i, o] of orders.entries()) {
        const where = (await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status]);
        const reroutes = (await timelineEvents(t, o.id)).filter((e) => e.event === 'fulfillment.rerouted');
        if (i < 2) {
          expect(where).toEqual([['store-paris', 'pending']]);
          expect(reroutes).toHaveLength(0);
        } else {
          expect(where).toEqual([['store-paris', 'cancelled'], ['store-opera', 'pending']]);
          expect(reroutes).toHaveLength(1);
        }
      }
      const resolved = await sql<{ payload: { freed: number; action: { kind: string } } }>`
        SELECT payload FROM outbox_event WHERE type = 'inventory.shortfall_resolved' AND id > ${eventsBefore.rows[0]!.n}`.execute(t.ctx.db);
      expect(resolved.rows.reduce((s, r) => s + r.payload.freed, 0)).toBe(5);
      expect(resolved.rows.filter((r) => r.payload.action.kind === 'order')).toHaveLength(3);
      const created = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'fulfillment.created' AND id > ${eventsBefore.rows[0]!.n}`.execute(t.ctx.db);
      expect(created.rows[0]!.n).toBe(3);
      await expectInventoryConsistent(t);
      expect(await resolver()).toMatchObject({ positions: 0 });
    });
  }

  it('two orders asked at once to give up the last missing unit: the position re-checked under its lock lets only one go', async () => {
    t.clock.set('2026-11-23T14:00:00Z');
    const base = (await position(t.ctx.db, 'SKU-1', 'store-paris')).reserved;
    expect((await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-1', headers: t.admin, payload: { onHand: base + 2, asOf: '2026-11-23T14:00:00Z' } })).statusCode).toBe(200);
    await t.ctx.availability.refresh();
    const a = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const b = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect((await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-1', headers: t.admin, payload: { onHand: base + 1, asOf: '2026-11-23T14:01:00Z' } })).statusCode).toBe(200);
    const key = { sku: 'SKU-1', locationId: 'store-paris' };
    const claims = (await listOrderClaims(t.ctx.db, key)).filter((c) => c.orderId === a.id || c.orderId === b.id);
    expect(claims).toHaveLength(2);
    // Each as its own process would (own caches), both planned on a shortfall of 1 before either commits.
    const processes = claims.map(() => ({ ...deps(t), data: new PromiseData(t.ctx.db, t.clock), availability: new AvailabilityView(t.ctx.db) }));
    for (const p of processes) await p.availability.refresh();
    const answers = await Promise.all(claims.map((c, i) => loseOrderUnits(processes[i]!, c, key)));
    expect(answers.every((r) => r.ok)).toBe(true);
    expect(answers.filter((r) => r.ok && r.value !== undefined)).toHaveLength(1);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: base + 1, reserved: base + 1 });
    const moved = [];
    for (const o of [a, b]) if ((await fulfillmentsOf(t, o.id)).length > 1) moved.push(o.id);
    expect(moved).toHaveLength(1);
    await expectInventoryConsistent(t);
  });
});
