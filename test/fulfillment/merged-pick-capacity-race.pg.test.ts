import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { customer, toParis, workOf } from './batch-fixtures.js';
import { buildScarcePickNetwork, mergedParcelAt } from './merged-fixtures.js';
import { auth } from './ship-fixtures.js';

describe('re-plans of one merged pick on PostgreSQL, racing an order for the same pick capacity', () => {
  let t: TestApp;
  let rivoli: string;
  beforeAll(async () => {
    t = await createTestApp();
    rivoli = await buildScarcePickNetwork(t);
  });
  afterAll(() => t?.close());

  it("the parcel's two missing shirts and another order's shirt, for Opéra's one pick of the day: the pick applies, no location picks beyond its capacity", async () => {
    const { lead, orders } = await mergedParcelAt(t, rivoli, [[['SHIRT', 1]], [['SHIRT', 1]]]);
    const [pick, other] = await Promise.all([
      t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead.id}/pick`, headers: auth(rivoli), payload: { lines: [{ sku: 'SHIRT', quantity: 0 }] } }),
      // A moment later: the pick's plans are under way when the order comes.
      new Promise((go) => setTimeout(go, 30)).then(() => placeOrder(t, { customer: customer(9), delivery: toParis('3 rue de Lappe'), lines: [{ sku: 'SHIRT', quantity: 1 }] })),
    ]);
    // Bastille holds three shirts: every one of the three can be served somewhere, whoever takes Opéra's pick.
    expect(pick.statusCode, pick.body).toBe(200);
    expect(other.statusCode, other.body).toBe(201);
    await t.ctx.availability.refresh();
    for (const o of orders) expect((await workOf(t, o.number)).map((f) => f.units)).toEqual([['SHIRT×1']]);
    const loads = await t.ctx.db.selectFrom('location_pick_load').select(['day', 'units']).where('location_id', '=', 'store-opera').execute();
    for (const l of loads) expect(l.units).toBeLessThanOrEqual(1);
    const over = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stock_position WHERE reserved > on_hand`.execute(t.ctx.db);
    expect(over.rows[0]!.n).toBe(0);
    await expectInventoryConsistent(t);
  });
});
