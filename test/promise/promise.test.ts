import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildPromiseNetwork, option, options, promise, reasons, type PromiseBody } from './fixtures.js';

// Friday 27 November 2026; Paris is UTC+1.
const FRIDAY_1459 = '2026-11-27T13:59:00Z';
const FRIDAY_1501 = '2026-11-27T14:01:00Z';
const home = { destination: { postalCode: '75011', country: 'FR' } };

describe('POST /v1/promise', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildPromiseNetwork(t);
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(FRIDAY_1459));

  it('a ship-from-store promise at 14:59 and at 15:01 on a Friday differs as the calendar says', async () => {
    const before = option(await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] }), 'ship:standard')!;
    expect(before.shipments[0]).toMatchObject({ locationId: 'store-paris', departureDate: '2026-11-27' });
    expect(before.latest).toBe('2026-11-28'); // leaves Friday, delivered Saturday
    t.clock.set(FRIDAY_1501);
    const after = option(await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] }), 'ship:standard')!;
    // After the store's 15:00 cut-off; the carrier collects Monday to Friday: leaves Monday, delivered Tuesday.
    expect(after.shipments[0]).toMatchObject({ locationId: 'store-paris', departureDate: '2026-11-30' });
    expect(after.latest).toBe('2026-12-01');
    expect(after.confidence).toBe(1);
  });

  it('a store closed on Sunday never promises a Sunday pickup', async () => {
    t.clock.set('2026-11-28T17:30:00Z'); // Saturday 18:30 in Paris, 30 minutes before closing
    const body = await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const cc = option(body, 'click_and_collect:store-paris')!;
    // 30 minutes of preparation on Saturday, the other 90 on Monday from 10:00.
    expect(cc.earliest).toBe('2026-11-30T10:30:00.000Z');
    for (const o of body.options.filter((x) => x.optionId.includes('collect'))) {
      expect(new Date(o.earliest).getUTCDay()).not.toBe(0);
      expect(new Date(o.latest).getUTCDay()).not.toBe(0);
    }
  });

  it('click & collect at a store without the goods is served by a transfer, ready later; reserve & collect is not offered there', async () => {
    const body = await options(t, { pickupLocationId: 'store-lyon', lines: [{ sku: 'SKU-2', quantity: 1 }] });
    const cc = option(body, 'click_and_collect:store-lyon')!;
    expect(cc.shipments[0]).toMatchObject({ locationId: 'wh-lyon', transfer: true });
    expect(cc.earliest > '2026-11-28').toBe(true);
    expect(reasons(body, 'reserve_and_collect:store-lyon')).toEqual(['no_stock']);
    expect(body.options.some((o) => o.optionId.startsWith('ship:'))).toBe(false); // no address, no home delivery
  });

  it('same day appears only where a same-day carrier and stock exist, before its cut-off', async () => {
    t.clock.set('2026-11-27T12:30:00Z'); // 13:30 in Paris
    const paris = await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(option(paris, 'ship:same_day')).toMatchObject({ earliest: '2026-11-27', latest: '2026-11-27' });
    const lyon = await options(t, { destination: { postalCode: '69003', country: 'FR' }, lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(option(lyon, 'ship:same_day')).toBeUndefined();
    expect(reasons(lyon, 'ship:same_day')).toContain('out_of_radius');
    const warehouseOnly = await options(t, { ...home, lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(reasons(warehouseOnly, 'ship:same_day')).toEqual(['no_stock']);
    t.clock.set('2026-11-27T13:30:00Z'); // 14:30: after the 14:00 courier cut-off
    const late = await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(reasons(late, 'ship:same_day')).toContain('after_cutoff');
  });

  it('a multi-line cart gets the sourcing optimum: one parcel per location holding the goods', async () => {
    const std = option(await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }] }), 'ship:standard')!;
    expect(std.shipments.map((s) => s.locationId).sort()).toEqual(['store-paris', 'wh-lyon']);
  });

  it("gives each option's sourcing alternatives only when asked (explain), and always on a held option", async () => {
    const cart = { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }] };
    const plain = await options(t, cart);
    expect(plain.options.length).toBeGreaterThan(1);
    for (const o of plain.options) expect(o.sourcing).not.toHaveProperty('alternatives');
    const explained = await options(t, { ...cart, explain: true });
    expect(explained.options.map((o) => o.optionId)).toEqual(plain.options.map((o) => o.optionId));
    for (const o of explained.options) expect(Array.isArray(o.sourcing.alternatives)).toBe(true);
    // "Everything from one location" and "each line from the nearest" lose to the two-parcel optimum here.
    expect(option(explained, 'ship:standard')!.sourcing.alternatives!.length).toBeGreaterThan(0);
    const held = await promise(t, { ...cart, hold: { optionId: 'ship:standard' } });
    expect(held.statusCode, held.body).toBe(201);
    const body = held.json() as PromiseBody;
    expect(body.hold!.option.sourcing.alternatives).toEqual(option(explained, 'ship:standard')!.sourcing.alternatives);
    const others = body.options.filter((o) => o.optionId !== 'ship:standard');
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(o.sourcing).not.toHaveProperty('alternatives');
    const released = await t.app.inject({ method: 'DELETE', url: `/v1/promise/holds/${body.hold!.token}`, headers: t.admin });
    expect(released.statusCode).toBe(200);
  });

  it('a backorderable product is promised from incoming supply', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/supply',
      headers: t.admin,
      payload: { kind: 'purchase_order', reference: 'PO-1', lines: [{ sku: 'SKU-PRE', locationId: 'wh-lyon', quantity: 20, expectedAt: '2026-12-10T08:00:00Z' }] },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const std = option(await options(t, { ...home, lines: [{ sku: 'SKU-PRE', quantity: 1 }] }), 'ship:standard')!;
    expect(std.preorder).toBe(true);
    expect(std.shipments[0]).toMatchObject({ locationId: 'wh-lyon', availableFrom: '2026-12-10T08:00:00.000Z', departureDate: '2026-12-10' });
    expect(std.latest).toBe('2026-12-11');
  });

  it('transit learned from recorded deliveries moves the latest date, and says how many it rests on', async () => {
    const deliveries = Array.from({ length: 40 }, (_, i) => ({
      shipmentReference: `SHP-${i}`, service: 'standard', originLocationId: 'wh-lyon', destinationCountry: 'FR', destinationPostalCode: '75011',
      departedOn: '2026-11-02', deliveredOn: '2026-11-05', // Monday → Thursday: 3 delivery days
    }));
    const rec = await t.app.inject({ method: 'POST', url: '/v1/carriers/post/deliveries', headers: t.admin, payload: { deliveries } });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json()).toMatchObject({ recorded: 40, duplicates: 0, lanes: [{ service: 'standard', lane: 'FR:any', observations: 40 }] });
    const again = await t.app.inject({ method: 'POST', url: '/v1/carriers/post/deliveries', headers: t.admin, payload: { deliveries } });
    expect(again.json()).toMatchObject({ recorded: 0, duplicates: 40 });
    t.clock.set('2026-11-30T09:00:00Z'); // Monday 10:00
    const std = option(await options(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] }), 'ship:standard')!;
    // Prior {1 day: 1} weighs 30 deliveries, 40 observed at 3 days: P(≤1) = 0.43 < 0.95, so 3 days.
    expect(std.latest).toBe('2026-12-03');
    expect(std.earliest).toBe('2026-12-01');
    expect(std.shipments[0]!.carrier!.observations).toBe(40);
    await t.database.db.deleteFrom('transit_observation').execute();
  });

  it('refuses bad input with a clear 4xx', async () => {
    expect((await promise(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] })).statusCode).toBe(400);
    const unknownCode = await promise(t, { destination: { postalCode: '00000', country: 'FR' }, lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(unknownCode.json().error.code).toBe('unknown_postal_code');
    const unknownSku = await promise(t, { ...home, lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect([unknownSku.statusCode, unknownSku.json().error.code]).toEqual([422, 'unknown_sku']);
    const unknownChannel = await promise(t, { ...home, channel: 'nope', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect([unknownChannel.statusCode, unknownChannel.json().error.code]).toEqual([404, 'channel_not_found']);
    const notPickup = await promise(t, { pickupLocationId: 'wh-lyon', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect([notPickup.statusCode, notPickup.json().error.code]).toEqual([422, 'pickup_location_invalid']);
    const zero = await promise(t, { ...home, lines: [{ sku: 'SKU-1', quantity: 0 }] });
    expect(zero.statusCode).toBe(400);
  });
});
