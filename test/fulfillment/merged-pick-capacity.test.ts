import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { workOf } from './batch-fixtures.js';
import { auth } from './ship-fixtures.js';
import { buildScarcePickNetwork, mergedParcelAt } from './merged-fixtures.js';

/**
 * A short pick of a merged parcel re-sources each order's missing units in one command, older orders
 * first: a later plan counts the pick capacity the earlier plans will use, as it counts their stock, so
 * two orders never both count on a location's last pick of the day (the step would fail and the store
 * would have to scan again).
 */
describe('re-plans of one merged pick compete for pick capacity', () => {
  let t: TestApp;
  let rivoli: string;
  beforeAll(async () => {
    t = await createTestApp();
    rivoli = await buildScarcePickNetwork(t);
  });
  afterAll(() => t?.close());

  it("Opéra's last pick of the day goes to the older order; the newer one is re-sourced elsewhere in the same step", async () => {
    const { lead, orders } = await mergedParcelAt(t, rivoli, [[['SHIRT', 1]], [['SHIRT', 1]]]);
    const [a, b] = orders as [{ id: string; number: string }, { id: string; number: string }];
    const picked = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead.id}/pick`, headers: auth(rivoli), payload: { lines: [{ sku: 'SHIRT', quantity: 0 }] } });
    expect(picked.statusCode, picked.body).toBe(200);
    // Nothing of the parcel was found: the answer is the lead, ended (no fulfillment carries the parcel on).
    expect(picked.json()).toMatchObject({ id: lead.id, status: 'cancelled' });
    await t.ctx.availability.refresh();
    const [aWork] = await workOf(t, a.number);
    const [bWork] = await workOf(t, b.number);
    expect(aWork).toMatchObject({ locationId: 'store-opera', units: ['SHIRT×1'] });
    // B is served from Bastille (dearer to handle), not cancelled, and the step did not fail.
    expect(bWork).toMatchObject({ locationId: 'store-bastille', units: ['SHIRT×1'] });
    const bOrder = (await t.app.inject({ method: 'GET', url: `/v1/orders/${b.id}`, headers: t.admin })).json();
    expect(bOrder.status).not.toBe('cancelled');
    const loads = await t.ctx.db.selectFrom('location_pick_load').select(['day', 'units']).where('location_id', '=', 'store-opera').execute();
    for (const l of loads) expect(l.units).toBeLessThanOrEqual(1);
    expect(loads.reduce((n, l) => n + l.units, 0)).toBe(1);
    await expectInventoryConsistent(t);
  });
});
