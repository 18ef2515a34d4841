import { sql } from 'kysely';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoNetwork } from '../../src/modules/demo/demo-network.js';
import { DEMO_KEY_STORES, isDatabaseEmpty, loadDemoNetwork } from '../../src/modules/demo/load-demo-network.js';
import { DatabaseNotEmptyError } from '../../src/modules/demo/load-network.js';
import { LocationInput } from '../../src/modules/network/location.schemas.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo network', () => {
  let t: TestApp;
  let keys: Record<string, string>;
  let loadMs: number;

  beforeAll(async () => {
    t = await createTestApp();
    expect(await isDatabaseEmpty(t.ctx.db)).toBe(true);
    const started = performance.now();
    ({ keys } = await loadDemoNetwork(t.ctx));
    loadMs = performance.now() - started;
  });
  afterAll(async () => t?.close());

  const bearer = (name: string) => ({ authorization: `Bearer ${keys[name]}` });

  it('loads quickly and leaves the database non-empty', async () => {
    // Generous bound: the suite shares 2 cores with the server; alone it takes ~1.5 s on PGlite.
    expect(loadMs).toBeLessThan(20_000);
    expect(await isDatabaseEmpty(t.ctx.db)).toBe(false);
  });

  it('has the expected network shape', async () => {
    const byType = await t.ctx.db.selectFrom('location').select(['type', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('type').execute();
    const count = Object.fromEntries(byType.map((r) => [r.type, Number(r.n)]));
    expect(count.store).toBeGreaterThanOrEqual(40);
    expect(count).toMatchObject({ warehouse: 2, supplier: 3, marketplace_seller: 1 });
    const zones = await t.ctx.db.selectFrom('location').select('time_zone').distinct().execute();
    expect(zones.map((z) => z.time_zone).sort()).toEqual(expect.arrayContaining(['America/Martinique', 'Europe/Paris', 'Indian/Reunion']));
    const products = await t.ctx.db.selectFrom('product').select(['sku', 'attributes', 'prices', 'style_id', 'backorderable', 'preorderable']).execute();
    expect(products.length).toBeGreaterThanOrEqual(450);
    expect(products.length).toBeLessThanOrEqual(550);
    for (const p of products) {
      expect(p.attributes).toHaveProperty('size');
      expect(p.attributes).toHaveProperty('colour');
      expect(Number.isInteger(p.prices.EUR) && p.prices.EUR! > 0).toBe(true);
      expect(p.style_id).toBeTruthy();
    }
    expect(products.some((p) => p.backorderable)).toBe(true);
    expect(products.some((p) => p.preorderable)).toBe(true);
  });

  it('every demo location is valid input for the locations API', () => {
    for (const { id: _id, ...location } of buildDemoNetwork().locations) expect(Value.Errors(LocationInput, location)).toEqual([]);
  });

  it('has realistic coordinates: mainland stores inside France, overseas stores where they belong', async () => {
    const rows = await t.ctx.db.selectFrom('location').select(['id', 'latitude', 'longitude', 'time_zone']).where('type', '=', 'store').execute();
    for (const r of rows) {
      if (r.time_zone === 'Europe/Paris') {
        expect(r.latitude).toBeGreaterThan(41.3);
        expect(r.latitude).toBeLessThan(51.1);
        expect(r.longitude).toBeGreaterThan(-5.2);
        expect(r.longitude).toBeLessThan(9.6);
      }
    }
    expect(rows.find((r) => r.time_zone === 'Indian/Reunion')?.latitude).toBeLessThan(-20);
    expect(rows.find((r) => r.time_zone === 'America/Martinique')?.longitude).toBeLessThan(-60);
  });

  it('stocks warehouses deeply, stores shallowly, with sizes missing in some stores', async () => {
    const perType = await sql<{ type: string; avg: number }>`
      SELECT l.type, avg(sp.on_hand)::float AS avg FROM stock_position sp JOIN location l ON l.id = sp.location_id GROUP BY l.type`.execute(t.ctx.db);
    const avg = Object.fromEntries(perType.rows.map((r) => [r.type, r.avg]));
    expect(avg.warehouse).toBeGreaterThan(10 * avg.store!);
    const zeros = await t.ctx.db
      .selectFrom('stock_position as sp')
      .innerJoin('location as l', 'l.id', 'sp.location_id')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('l.type', '=', 'store')
      .where('sp.on_hand', '=', 0)
      .executeTakeFirstOrThrow();
    expect(Number(zeros.n)).toBeGreaterThan(0);
    // Safety stock follows each location's data reliability (no rules exist in the demo).
    const wrongSafety = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM stock_position sp JOIN location l ON l.id = sp.location_id
      WHERE sp.safety_stock <> ceil((1 - l.data_reliability) * 5 - 1e-9)::int`.execute(t.ctx.db);
    expect(wrongSafety.rows[0]?.n).toBe(0);
  });

  it('writes a ledger that sums to the positions', async () => {
    const mismatches = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM stock_position sp
      FULL JOIN (SELECT sku, location_id, sum(on_hand_after - on_hand_before) AS delta FROM inventory_ledger GROUP BY sku, location_id) l
        USING (sku, location_id)
      WHERE coalesce(sp.on_hand, -1) <> coalesce(l.delta, 0)`.execute(t.ctx.db);
    expect(mismatches.rows[0]?.n).toBe(0);
    const causes = await t.ctx.db.selectFrom('inventory_ledger').select('cause').distinct().execute();
    expect(causes.map((c) => c.cause)).toEqual(['set']);
  });

  it('configures the channels and emits demo.loaded', async () => {
    const channels = await t.ctx.db.selectFrom('channel').selectAll().orderBy('id').execute();
    expect(channels.map((c) => c.id)).toEqual(['app', 'callcenter', 'marketplace:zalando', 'pos', 'web']);
    const zalando = channels.find((c) => c.id === 'marketplace:zalando')!;
    expect([...(zalando.eligible_location_ids ?? [])].sort()).toEqual(['wh-reau', 'wh-saint-priest']);
    expect(zalando.pool).toEqual({ maxShare: 0.3, protections: [{ channelId: 'web', quantity: 2 }] });
    // Read the outbox table itself: the sequencer waits for every older transaction on the server,
    // including other suites' ones, so positions may lag behind the commit.
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('type', '=', 'demo.loaded').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ network: 'demo', locations: 57, products: 497 });
  });

  it('returns API keys that work with their roles and scopes', async () => {
    expect(Object.keys(keys).sort()).toEqual(['admin', 'integration', 'ops', 'service', ...DEMO_KEY_STORES.map((s) => `store:${s}`)].sort());
    for (const role of ['admin', 'integration', 'ops', 'service']) {
      const me = await t.app.inject({ url: '/v1/me', headers: bearer(role) });
      expect(me.statusCode).toBe(200);
      expect(me.json().role).toBe(role);
    }
    const [store, other] = DEMO_KEY_STORES;
    const own = await t.app.inject({ url: `/v1/locations/${store}`, headers: bearer(`store:${store}`) });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: store, type: 'store', timeZone: 'Europe/Paris' });
    const foreign = await t.app.inject({ url: `/v1/locations/${other}`, headers: bearer(`store:${store}`) });
    expect(foreign.statusCode).toBe(403);
    const list = await t.app.inject({ url: '/v1/locations?type=warehouse', headers: bearer('ops') });
    expect(list.json().items.map((l: { id: string }) => l.id)).toEqual(['wh-reau', 'wh-saint-priest']);
    expect((await t.app.inject({ url: '/v1/me', headers: { authorization: 'Bearer ordo_wrong' } })).statusCode).toBe(401);
  });

  it('refuses to load twice and leaves the data untouched', async () => {
    const before = await t.ctx.db.selectFrom('stock_position').select(({ fn }) => fn.sum<number>('on_hand').as('units')).executeTakeFirstOrThrow();
    await expect(loadDemoNetwork(t.ctx)).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    const after = await t.ctx.db.selectFrom('stock_position').select(({ fn }) => fn.sum<number>('on_hand').as('units')).executeTakeFirstOrThrow();
    expect(Number(after.units)).toBe(Number(before.units));
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildDemoNetwork())).toBe(JSON.stringify(buildDemoNetwork()));
  });
});
