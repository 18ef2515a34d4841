import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/shared/actor.js';
import { generateLargeNetwork } from '../../src/modules/demo/large-network.js';
import { loadNetwork, type NetworkCounts } from '../../src/modules/demo/load-network.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('generateLargeNetwork', () => {
  it('produces the requested sizes, with unique SKUs and unique positions', () => {
    const n = generateLargeNetwork({ locations: 40, skus: 1_234, seed: 3 });
    expect(n.locations).toHaveLength(40);
    expect(n.products).toHaveLength(1_234);
    expect(new Set(n.products.map((p) => p.sku)).size).toBe(1_234);
    expect(new Set(n.locations.map((l) => l.id)).size).toBe(40);
    expect(new Set(n.stock.map((s) => `${s.sku}@${s.locationId}`)).size).toBe(n.stock.length);
    // Warehouses hold the whole catalogue; 34 stores hold about 10% of it each.
    expect(n.stock.filter((s) => s.locationId === 'wh-reau')).toHaveLength(1_234);
    const storeRows = n.stock.filter((s) => s.locationId.startsWith('store-')).length;
    expect(storeRows).toBeGreaterThan(34 * 1_234 * 0.07);
    expect(storeRows).toBeLessThan(34 * 1_234 * 0.13);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify(generateLargeNetwork({ locations: 20, skus: 300, seed: 1 }));
    expect(JSON.stringify(generateLargeNetwork({ locations: 20, skus: 300, seed: 1 }))).toBe(a);
    expect(JSON.stringify(generateLargeNetwork({ locations: 20, skus: 300, seed: 2 }))).not.toBe(a);
  });
});

describe('loadNetwork with a generated network', () => {
  let database: TestDatabase;
  let counts: NetworkCounts;
  const network = generateLargeNetwork({ locations: 60, skus: 2_000, seed: 11 });

  beforeAll(async () => {
    database = await createTestDatabase();
    counts = await loadNetwork(database.db, systemActor('bench'), network, 'benchmark');
  });
  afterAll(async () => database?.close());

  it('writes every row, and the ledger replays to the positions', async () => {
    expect(counts).toMatchObject({ locations: 60, products: 2_000, channels: 5, positions: network.stock.length });
    const positions = await database.db.selectFrom('stock_position').select(({ fn }) => [fn.countAll<number>().as('n'), fn.sum<number>('on_hand').as('units')]).executeTakeFirstOrThrow();
    expect(Number(positions.n)).toBe(network.stock.length);
    expect(Number(positions.units)).toBe(counts.units);
    const mismatches = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM stock_position sp
      LEFT JOIN (SELECT sku, location_id, sum(on_hand_after - on_hand_before) AS delta FROM inventory_ledger GROUP BY sku, location_id) l
        USING (sku, location_id)
      WHERE sp.on_hand <> coalesce(l.delta, 0)`.execute(database.db);
    expect(mismatches.rows[0]?.n).toBe(0);
  });
});
