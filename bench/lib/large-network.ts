import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type pg from 'pg';
import type { Db } from '../../src/db/database.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { loadNetwork } from '../../src/modules/demo/load-network.js';
import type { NetworkData } from '../../src/modules/demo/network-data.js';

export interface LargeNetwork {
  source: string;
  locations: number;
  skus: number;
  positions: number;
  loadSeconds: number;
  /** SKUs that have stock somewhere, to draw baskets from. */
  sampleSkus: string[];
  /** A channel to query with, when the network has one. */
  channel: string | undefined;
}

type Generator = (opts: { locations: number; skus: number; seed: number }) => NetworkData;

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/modules/demo');

/** The product's generator, wherever in the demo module it is exported from (undefined until it lands). */
async function findGenerator(): Promise<{ fn: Generator; file: string } | undefined> {
  for (const name of fs.readdirSync(demoDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    if (!/export (async )?function generateLargeNetwork\b|export const generateLargeNetwork\b/.test(fs.readFileSync(path.join(demoDir, name), 'utf8'))) continue;
    const mod = (await import(pathToFileURL(path.join(demoDir, name)).href)) as { generateLargeNetwork?: unknown };
    if (typeof mod.generateLargeNetwork === 'function') return { fn: mod.generateLargeNetwork as Generator, file: `src/modules/demo/${name}` };
  }
  return undefined;
}

/**
 * Fills an empty database with a large network: the product's `generateLargeNetwork` written through
 * `loadNetwork` when it exists, else an equivalent made in SQL here (reported as such in `source`).
 */
export async function loadLargeNetwork(db: Db, pool: pg.Pool, opts: { locations: number; skus: number; seed: number }): Promise<LargeNetwork> {
  const started = performance.now();
  const generator = await findGenerator();
  if (generator) {
    const data = generator.fn(opts);
    await loadNetwork(db, systemActor('bench'), data, 'bench-large');
    const stocked = new Set<string>();
    for (const s of data.stock) if (s.onHand > 0) stocked.add(s.sku);
    return {
      source: `generateLargeNetwork (${generator.file}) via loadNetwork`,
      locations: data.locations.length,
      skus: data.products.length,
      positions: data.stock.length,
      loadSeconds: Math.round((performance.now() - started) / 100) / 10,
      sampleSkus: [...stocked].slice(0, 5000),
      channel: data.channels.find((c) => c.type === 'web')?.id ?? data.channels[0]?.id,
    };
  }
  await pool.query('SELECT setseed($1)', [((opts.seed % 1000) / 1000) * 2 - 1]);
  await pool.query(`INSERT INTO location (id, name, type, time_zone, latitude, longitude)
    SELECT 'LOC-' || lpad(g::text, 4, '0'), 'Bench location ' || g, CASE WHEN g <= 10 THEN 'warehouse' ELSE 'store' END,
           'Europe/Paris', 43 + random() * 7.5, -1.5 + random() * 9
    FROM generate_series(1, $1::int) g`, [opts.locations]);
  await pool.query(`INSERT INTO product (sku, name) SELECT 'SKU-' || lpad(g::text, 6, '0'), 'Bench product ' || g FROM generate_series(1, $1::int) g`, [opts.skus]);
  // About a third of the (SKU, location) pairs stocked, as in a store network where not every store carries every SKU.
  const r = await pool.query(`INSERT INTO stock_position (sku, location_id, on_hand)
    SELECT p.sku, l.id, 1 + (random() * 20)::int FROM product p CROSS JOIN location l WHERE random() < 0.33`);
  const skus = await pool.query<{ sku: string }>(`SELECT sku FROM product ORDER BY random() LIMIT 5000`);
  return {
    source: 'bench SQL generator (generateLargeNetwork not exported by src/modules/demo yet)',
    locations: opts.locations,
    skus: opts.skus,
    positions: r.rowCount ?? 0,
    loadSeconds: Math.round((performance.now() - started) / 100) / 10,
    sampleSkus: skus.rows.map((x) => x.sku),
    channel: undefined,
  };
}
