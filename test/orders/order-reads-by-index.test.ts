import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { findOrderFacts } from '../../src/modules/orders/order.repository.js';
import { readPromiseInputs } from '../../src/modules/promise/promise-inputs.repository.js';
import { createTestDatabase } from '../support/test-db.js';

const PRODUCTS = 20_000;
const CUSTOMERS = 20_000;

/** Scans of a table by the current transaction so far (pg_stat_xact_user_tables: no wait for the stats to be flushed). */
async function scans(db: Database['db'], table: string): Promise<{ seq: number; idx: number }> {
  const r = await sql<{ seq: string; idx: string }>`SELECT seq_scan::text AS seq, coalesce(idx_scan, 0)::text AS idx FROM pg_stat_xact_user_tables WHERE relname = ${table}`.execute(db);
  return { seq: Number(r.rows[0]!.seq), idx: Number(r.rows[0]!.idx) };
}

// Every order reads the products, locations and customers it names before its transaction (the facts)
// and the promise's inputs. Both must look them up by index: planned as `IN (SELECT json_array_elements…)`
// PostgreSQL assumed 100 names and hashed them against a scan of the whole catalogue and customer base,
// a cost per order growing with the retailer's size.
describe('an order reads what it names by index, whatever the size of the catalogue and customer base', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    await sql`INSERT INTO product (sku, name, prices, weight_grams) SELECT 'SKU-' || i, 'Product ' || i, '{"EUR": 1000}', 500 FROM generate_series(1, ${PRODUCTS}::int) i`.execute(db);
    await sql`INSERT INTO customer (email, email_key, phone, phone_key, name) SELECT 'c' || i || '@example.com', 'c' || i || '@example.com', '+3360000' || i, '+3360000' || i, 'Customer ' || i FROM generate_series(1, ${CUSTOMERS}::int) i`.execute(db);
    await sql`ANALYZE product`.execute(db);
    await sql`ANALYZE customer`.execute(db);
  }, 120_000);
  afterAll(() => database.close());

  it('the order facts: products and customers found by index, not by a scan', async () => {
    await database.db.transaction().execute(async (tx) => {
      const facts = await findOrderFacts(tx, {
        channelIds: ['web'],
        skus: ['SKU-7', 'SKU-19999', 'SKU-404'],
        locationIds: [],
        emails: ['c42@example.com'],
        phones: ['+33600007'],
        idempotencyKeys: [],
        numbers: 1,
      });
      expect([...facts.products.keys()].sort()).toEqual(['SKU-19999', 'SKU-404', 'SKU-7']);
      expect(facts.customers.map((c) => c.email).sort()).toEqual(['c42@example.com', 'c7@example.com']);
      const product = await scans(tx, 'product');
      expect(product.seq).toBe(0);
      expect(product.idx).toBeGreaterThan(0);
      expect((await scans(tx, 'customer')).seq).toBe(0);
    });
  });

  it('the promise inputs: products found by index, not by a scan', async () => {
    await database.db.transaction().execute(async (tx) => {
      const inputs = await readPromiseInputs(tx, ['SKU-7', 'SKU-19999'], '2026-11-24');
      expect(inputs.products.map((p) => p.sku).sort()).toEqual(['SKU-19999', 'SKU-7']);
      const product = await scans(tx, 'product');
      expect(product.seq).toBe(0);
      expect(product.idx).toBeGreaterThan(0);
    });
  });
});
