import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildPromiseNetwork, option, options, promise, reasons, type PromiseBody } from './fixtures.js';

const home = { destination: { postalCode: '75011', country: 'FR' } };
const jumper = { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] };
const FRIDAY = '2026-11-27';

/**
 * Quotes (POST /v1/promise without a hold) read their pick loads, supply, product facts and data version
 * from the `promise-quote-inputs` poll while it is recent; holds always read the database. The poll
 * interval here is 1 s, so a served quote stays within the 4 s bound however slow the test machine is.
 */
describe('quote inputs polled into memory', () => {
  let t: TestApp;
  const poll = () => t.ctx.tasks.find((x) => x.name === 'promise-quote-inputs')!.tick();
  const fillParis = () => t.ctx.db.insertInto('location_pick_load').values({ location_id: 'store-paris', day: FRIDAY, units: 3 }).execute();
  const shipsFromParis = async () => option(await options(t, jumper), 'ship:standard')?.shipments.map((s) => s.locationId);

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDO_POLL_INTERVAL_MS: '1000' } });
    await buildPromiseNetwork(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(`${FRIDAY}T09:00:00Z`);
    await t.ctx.db.deleteFrom('location_pick_load').execute();
    await t.ctx.db.updateTable('promise_hold').set({ expires_at: new Date('2026-01-01T00:00:00Z') }).where('status', '=', 'active').execute();
    await t.ctx.tasks.find((x) => x.name === 'promise-hold-expiry')!.tick();
    await t.ctx.availability.refresh();
    // A first quote names its SKUs; the poll reads them from then on.
    await options(t, jumper);
    await poll();
  });

  it('a quote is served from the last poll: a change by another process counts from the next poll', async () => {
    await fillParis();
    // Paris picks 3 a day and another process just loaded 3: this process's quote has not polled it yet.
    expect(await shipsFromParis()).toEqual(['store-paris']);
    await poll();
    expect(reasons(await options(t, jumper), 'ship:standard')).toEqual(['no_stock']);
  });

  it('a hold and its release through this process are seen by the next quote, with no poll', async () => {
    const held = await promise(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 3 }], hold: { optionId: 'ship:standard' } });
    expect(held.statusCode, held.body).toBe(201);
    expect(reasons(await options(t, jumper), 'ship:standard')).toEqual(['no_stock']);
    const released = await t.app.inject({ method: 'DELETE', url: `/v1/promise/holds/${(held.json() as PromiseBody).hold!.token}`, headers: t.admin });
    expect(released.statusCode, released.body).toBe(200);
    expect(await shipsFromParis()).toEqual(['store-paris']);
  });

  it('a hold never decides from the polled view: it reads the pick loads committed before it', async () => {
    await fillParis();
    expect(await shipsFromParis()).toEqual(['store-paris']);
    const held = await promise(t, { ...jumper, hold: { optionId: 'ship:standard' } });
    expect([held.statusCode, held.json().error.code], held.body).toEqual([409, 'option_unavailable']);
  });

  it('a product change through the API counts from the first poll after its facts are 500 ms old', async () => {
    const product = (active: boolean) => t.app.inject({ method: 'PUT', url: '/v1/products/SKU-1', headers: t.admin, payload: { name: 'Pull marin', weightGrams: 500, active } });
    expect((await product(false)).statusCode).toBeLessThan(300);
    expect(await shipsFromParis()).toEqual(['store-paris']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await poll();
    const refused = await promise(t, jumper);
    expect([refused.statusCode, refused.json().error?.code]).toEqual([422, 'unknown_sku']);
    expect((await product(true)).statusCode).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await poll();
    expect(await shipsFromParis()).toEqual(['store-paris']);
  });

  it('with the poll stopped, every quote reads the database once the last poll is older than the bound', async () => {
    const ordo = await createTestApp({ env: { ORDO_POLL_INTERVAL_MS: '5' } });
    try {
      await buildPromiseNetwork(ordo);
      ordo.clock.set(`${FRIDAY}T09:00:00Z`);
      await ordo.app.inject({ method: 'POST', url: '/v1/promise', headers: ordo.admin, payload: { channel: 'web', ...jumper } });
      await ordo.ctx.tasks.find((x) => x.name === 'promise-quote-inputs')!.tick();
      await ordo.ctx.db.insertInto('location_pick_load').values({ location_id: 'store-paris', day: FRIDAY, units: 3 }).execute();
      // The bound is 4 poll intervals (20 ms): past it, the quote reads for itself and sees the load.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const res = await ordo.app.inject({ method: 'POST', url: '/v1/promise', headers: ordo.admin, payload: { channel: 'web', ...jumper } });
      expect(reasons(res.json() as PromiseBody, 'ship:standard')).toEqual(['no_stock']);
    } finally {
      await ordo.close();
    }
  });
});
