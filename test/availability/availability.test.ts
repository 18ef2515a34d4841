import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeriodicTask } from '../../src/background.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { insertLocations, insertProducts, setPosition, upsertChannel } from './fixtures.js';

interface Item {
  sku: string;
  known: boolean;
  networkAtp: number;
  locations: { locationId: string; atp: number; distanceKm: number | null; type: string; name: string }[];
}

describe('GET /v1/availability', () => {
  let t: TestApp;
  let viewTask: PeriodicTask;

  const get = async (query: string, headers = t.admin) => t.app.inject({ url: `/v1/availability?${query}`, headers });
  const items = async (query: string): Promise<Item[]> => {
    const res = await get(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };

  beforeAll(async () => {
    t = await createTestApp();
    viewTask = t.ctx.tasks.find((task) => task.name === 'availability-view')!;
    const db = t.ctx.db;
    await insertLocations(db, [
      { id: 'PAR-11', lat: 48.8589, lng: 2.3801 }, // Paris 11e, ~0.1 km from the 75011 centre
      { id: 'PAR-RIVOLI', lat: 48.8606, lng: 2.3376 }, // ~3 km
      { id: 'LYON-WH', type: 'warehouse', lat: 45.764, lng: 4.8357 }, // ~390 km
      { id: 'MRS-1', lat: 43.2965, lng: 5.3698 }, // ~660 km
      { id: 'PAR-CLOSED', lat: 48.8595, lng: 2.3788, active: false },
      { id: 'NOWHERE', type: 'warehouse' },
    ]);
    await insertProducts(db, ['SKU-A', 'SKU-B', 'SKU-C', 'SKU-NEW']);
    // ATP: PAR-11 3, PAR-RIVOLI 4, LYON-WH 40, MRS-1 0 (all reserved), PAR-CLOSED 50 (inactive), NOWHERE 6.
    await setPosition(db, 'SKU-A', 'PAR-11', 5, 1, 1);
    await setPosition(db, 'SKU-A', 'PAR-RIVOLI', 4);
    await setPosition(db, 'SKU-A', 'LYON-WH', 50, 10);
    await setPosition(db, 'SKU-A', 'MRS-1', 2, 2);
    await setPosition(db, 'SKU-A', 'PAR-CLOSED', 50);
    await setPosition(db, 'SKU-A', 'NOWHERE', 6);
    await setPosition(db, 'SKU-B', 'LYON-WH', 7);
    await upsertChannel(db, 'web', { pool: { protections: [{ channelId: 'web', quantity: 5 }] } });
    await upsertChannel(db, 'app', { pool: { protections: [{ channelId: 'app', quantity: 2 }] } });
    await upsertChannel(db, 'marketplace:amazon', { eligible: ['LYON-WH', 'PAR-CLOSED'], pool: { maxShare: 0.5 } });
    await upsertChannel(db, 'pos', { eligible: ['PAR-11', 'PAR-RIVOLI'], pool: { maxQuantity: 5 } });
  });
  afterAll(async () => t?.close());

  it('answers 503 until the view has loaded, then serves from memory', async () => {
    const early = await get('skus=SKU-A');
    expect(early.statusCode).toBe(503);
    expect(early.json().error.code).toBe('availability_not_ready');
    await viewTask.tick();
    expect(t.ctx.availability.loaded).toBe(true);
    expect(t.ctx.availability.position('SKU-A', 'LYON-WH')).toEqual({ onHand: 50, reserved: 10, safetyStock: 0, atp: 40 });
  });

  it('lists eligible active locations with stock, nearest first from a Paris postal code', async () => {
    const [a] = await items('skus=SKU-A&postalCode=75011&country=FR');
    expect(a!.known).toBe(true);
    expect(a!.networkAtp).toBe(3 + 4 + 40 + 6);
    expect(a!.locations.map((l) => l.locationId)).toEqual(['PAR-11', 'PAR-RIVOLI', 'LYON-WH', 'NOWHERE']);
    expect(a!.locations.map((l) => l.atp)).toEqual([3, 4, 40, 6]);
    const [d11, rivoli, lyon, nowhere] = a!.locations.map((l) => l.distanceKm);
    expect(d11).toBeLessThan(0.5);
    expect(rivoli).toBeGreaterThan(2.5);
    expect(rivoli).toBeLessThan(3.5);
    expect(lyon).toBeGreaterThan(380);
    expect(lyon).toBeLessThan(400);
    expect(nowhere).toBeNull();
    expect(a!.locations[0]).toMatchObject({ name: 'Location PAR-11', type: 'store' });
  });

  it('ranks from lat/lon too, honours radiusKm and limit', async () => {
    // From Marseille: MRS-1 has no ATP, so Lyon comes first, then Paris (the 11e lies east of Rivoli).
    const [fromMarseille] = await items('skus=SKU-A&lat=43.2965&lon=5.3698');
    expect(fromMarseille!.locations.map((l) => l.locationId)).toEqual(['LYON-WH', 'PAR-11', 'PAR-RIVOLI', 'NOWHERE']);
    const [near] = await items('skus=SKU-A&postalCode=75011&country=FR&radiusKm=10');
    expect(near!.locations.map((l) => l.locationId)).toEqual(['PAR-11', 'PAR-RIVOLI']);
    expect(near!.networkAtp).toBe(53); // the radius narrows the list, not the network figure
    const [one] = await items('skus=SKU-A&postalCode=75011&country=FR&limit=1');
    expect(one!.locations.map((l) => l.locationId)).toEqual(['PAR-11']);
    const [noOrigin] = await items('skus=SKU-A');
    expect(noOrigin!.locations.map((l) => l.locationId)).toEqual(['LYON-WH', 'NOWHERE', 'PAR-RIVOLI', 'PAR-11']);
  });

  it('applies channel pools: eligibility, protections for other channels, share and quantity caps', async () => {
    const byChannel = async (channel: string) => (await items(`skus=SKU-A&channel=${channel}&postalCode=75011&country=FR`))[0]!;
    // web: 53 minus the 2 kept for app (its own 5 do not count against it).
    expect((await byChannel('web')).networkAtp).toBe(51);
    expect((await byChannel('app')).networkAtp).toBe(48);
    // marketplace: only LYON-WH (PAR-CLOSED is inactive) = 40; minus 5 + 2 protected = 33; 50% of 40 = 20.
    const mp = await byChannel('marketplace:amazon');
    expect(mp.networkAtp).toBe(20);
    expect(mp.locations).toEqual([expect.objectContaining({ locationId: 'LYON-WH', atp: 20 })]);
    // pos: the two Paris stores (7) minus 7 protected = 0: nothing to list either.
    expect(await byChannel('pos')).toMatchObject({ networkAtp: 0, locations: [] });
  });

  it('follows committed stock changes, new positions, new locations and channel changes after a poll', async () => {
    const db = t.ctx.db;
    await sql`UPDATE stock_position SET reserved = reserved + 30 WHERE sku = 'SKU-A' AND location_id = 'LYON-WH'`.execute(db);
    await setPosition(db, 'SKU-NEW', 'PAR-RIVOLI', 9);
    await insertLocations(db, [{ id: 'PAR-NEW', lat: 48.87, lng: 2.38 }]);
    await setPosition(db, 'SKU-A', 'PAR-NEW', 8);
    await upsertChannel(db, 'marketplace:amazon', { eligible: ['LYON-WH', 'PAR-NEW'], pool: {} });

    const before = await items('skus=SKU-A,SKU-NEW&postalCode=75011&country=FR');
    expect(before[0]!.networkAtp).toBe(53);
    expect(before[1]!.known).toBe(false);

    await viewTask.tick();
    const [a, fresh] = await items('skus=SKU-A,SKU-NEW&postalCode=75011&country=FR');
    expect(a!.networkAtp).toBe(53 - 30 + 8);
    expect(a!.locations.map((l) => l.locationId)).toEqual(['PAR-11', 'PAR-NEW', 'PAR-RIVOLI', 'LYON-WH', 'NOWHERE']);
    expect(fresh).toMatchObject({ known: true, networkAtp: 9, locations: [{ locationId: 'PAR-RIVOLI', atp: 9 }] });
    const [mp] = await items('skus=SKU-A&channel=marketplace:amazon');
    expect(mp!.networkAtp).toBe(10 + 8 - 7);

    // A channel switched off sells nothing.
    await upsertChannel(db, 'marketplace:amazon', { eligible: ['LYON-WH'], active: false });
    await viewTask.tick();
    expect((await items('skus=SKU-A&channel=marketplace:amazon'))[0]!.networkAtp).toBe(0);
  });

  it('lists an unknown SKU as not known with 0, beside the known ones, in request order', async () => {
    const list = await items('skus=NOPE-1,SKU-B,SKU-C');
    expect(list).toEqual([
      { sku: 'NOPE-1', known: false, networkAtp: 0, locations: [] },
      expect.objectContaining({ sku: 'SKU-B', known: true, networkAtp: 7 }),
      // A product never stocked anywhere has no position either.
      { sku: 'SKU-C', known: false, networkAtp: 0, locations: [] },
    ]);
  });

  it.each([
    ['an unknown postal code', 'skus=SKU-A&postalCode=00000&country=FR', 400, 'unknown_postal_code'],
    ['a country without postal data', 'skus=SKU-A&postalCode=75011&country=DE', 400, 'unknown_postal_code'],
    ['a postal code without country', 'skus=SKU-A&postalCode=75011', 400, 'validation_failed'],
    ['lat without lon', 'skus=SKU-A&lat=48.8', 400, 'validation_failed'],
    ['both a postal code and a point', 'skus=SKU-A&postalCode=75011&country=FR&lat=48.8&lon=2.3', 400, 'validation_failed'],
    ['an out-of-range latitude', 'skus=SKU-A&lat=123&lon=2', 400, 'validation_failed'],
    ['an unknown channel', 'skus=SKU-A&channel=teleshopping', 404, 'channel_not_found'],
    ['a malformed SKU', 'skus=SKU-A,bad%20sku', 400, 'validation_failed'],
    ['no SKU', 'skus=,,', 400, 'validation_failed'],
    ['more than 100 SKUs', `skus=${Array.from({ length: 101 }, (_, i) => `S${i}`).join(',')}`, 400, 'too_many_skus'],
    ['a zero limit', 'skus=SKU-A&limit=0', 400, 'validation_failed'],
    ['an unknown parameter', 'skus=SKU-A&colour=red', 400, 'validation_failed'],
  ])('refuses %s', async (_label, query, status, code) => {
    const res = await get(query);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('gives a store key the network view, and needs a key', async () => {
    expect((await t.app.inject({ url: '/v1/availability?skus=SKU-A' })).statusCode).toBe(401);
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'tablet', role: 'store', locationIds: ['PAR-11'] } });
    const res = await get('skus=SKU-B&postalCode=75011&country=FR', { authorization: `Bearer ${key.json().secret}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].locations.map((l: { locationId: string }) => l.locationId)).toEqual(['LYON-WH']);
  });
});
