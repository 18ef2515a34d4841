import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildParcelNetwork, mergedParcelAt } from './merged-fixtures.js';
import { auth } from './ship-fixtures.js';

describe('ops re-route of a merged lead on PostgreSQL, racing the store picking the parcel', () => {
  let t: TestApp;
  let rivoli: string;
  beforeAll(async () => {
    t = await createTestApp();
    rivoli = await buildParcelNetwork(t);
  });
  afterAll(() => t?.close());

  // The pick sent a little later in some rounds, so that either step may reach the parcel first.
  for (const [round, pickDelayMs] of [[1, 0], [2, 40], [3, 120]] as const) {
    it(`round ${round}: the re-route and the pick each apply once, in either order; what is left of the parcel is one piece of work under the oldest order left`, async () => {
      const { lead, members, orders } = await mergedParcelAt(t, rivoli, [[['SHIRT', 1]], [['SHIRT', 1]], [['JEANS', 1]]]);
      const bWork = members[0]!;
      const cWork = members[1]!;
      const [reroute, pick] = await Promise.all([
        t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead.id}/reroute`, headers: t.admin, payload: { reason: 'store far behind' } }),
        new Promise((go) => setTimeout(go, pickDelayMs)).then(() =>
          t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead.id}/pick`, headers: auth(rivoli), payload: { lines: [{ sku: 'SHIRT', quantity: 2 }, { sku: 'JEANS', quantity: 1 }] } }),
        ),
      ]);
      // Re-routing a picked lead is allowed: the re-route always applies; the pick applies when it came first.
      expect(reroute.statusCode, reroute.body).toBe(200);
      expect([200, 409], pick.body).toContain(pick.statusCode);
      const pickedFirst = pick.statusCode === 200;
      // A pick that comes after is told the lead ended (not that its scan does not match the parcel any more).
      if (!pickedFirst) expect(pick.json().error.code).toBe('invalid_transition');
      expect(reroute.json().parcelCarriedBy).toMatchObject({ id: bWork.id, status: pickedFirst ? 'picked' : 'accepted', mergedFulfillmentIds: [cWork.id] });

      const rows = await t.ctx.db.selectFrom('fulfillment_order').select(['id', 'status', 'merged_into_id']).where('id', 'in', [lead.id, bWork.id, cWork.id]).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(lead.id)).toMatchObject({ status: 'cancelled' });
      expect(byId.get(bWork.id)).toMatchObject({ merged_into_id: null });
      expect(byId.get(cWork.id)).toMatchObject({ merged_into_id: bWork.id, status: byId.get(bWork.id)!.status });
      // Each step once in A's timeline (the pick at most once).
      const events = await t.ctx.db.selectFrom('order_timeline').select('event').where('order_id', '=', orders[0]!.id).execute();
      expect(events.filter((e) => e.event === 'fulfillment.cancelled')).toHaveLength(1);
      expect(events.filter((e) => e.event === 'fulfillment.picked')).toHaveLength(pickedFirst ? 1 : 0);
      const over = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stock_position WHERE reserved > on_hand`.execute(t.ctx.db);
      expect(over.rows[0]!.n).toBe(0);
      await t.ctx.availability.refresh();
      await expectInventoryConsistent(t);
    });
  }
});
