import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { TestApp } from '../support/test-app.js';

/** Master data for the inventory suites, written straight to the database. */
export async function seedNetwork(db: Db, opts: { skus?: string[]; locations?: { id: string; type?: string; reliability?: number }[] } = {}): Promise<void> {
  const skus = opts.skus ?? ['TSHIRT-M', 'TSHIRT-L', 'JEANS-32'];
  const locations = opts.locations ?? [
    { id: 'PAR-1', type: 'store' },
    { id: 'LYO-1', type: 'store' },
    { id: 'DC-1', type: 'warehouse' },
  ];
  await sql`INSERT INTO product (sku, name) SELECT s, s FROM unnest(${skus}::text[]) AS s`.execute(db);
  for (const l of locations) {
    await sql`INSERT INTO location (id, name, type, time_zone, data_reliability) VALUES (${l.id}, ${l.id}, ${l.type ?? 'store'}, 'Europe/Paris', ${l.reliability ?? 1})`.execute(db);
  }
}

export async function position(db: Db, sku: string, locationId: string) {
  const r = await sql<{ on_hand: number; reserved: number; safety_stock: number }>`
    SELECT on_hand, reserved, safety_stock FROM stock_position WHERE sku = ${sku} AND location_id = ${locationId}`.execute(db);
  return r.rows[0];
}

export async function count(db: Db, table: 'inventory_ledger' | 'outbox_event' | 'stock_position' | 'inventory_feed_event' | 'safety_stock_rule' | 'incoming_supply', where = sql`true`): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(db);
  return r.rows[0]!.n;
}

/** An active reservation and the matching `reserved`, as the reservations context would leave them (with its ledger row). */
export async function reserveDirectly(db: Db, sku: string, locationId: string, quantity: number): Promise<void> {
  await sql`INSERT INTO reservation (hold_id, sku, location_id, quantity, expires_at) VALUES (gen_random_uuid(), ${sku}, ${locationId}, ${quantity}, now() + interval '1 hour')`.execute(db);
  await sql`WITH u AS (UPDATE stock_position SET reserved = reserved + ${quantity} WHERE sku = ${sku} AND location_id = ${locationId} RETURNING on_hand, reserved)
    INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, actor)
    SELECT ${sku}, ${locationId}, 'reservation', on_hand, on_hand, reserved - ${quantity}, reserved, 'test' FROM u`.execute(db);
}

export async function storeKey(t: TestApp, locationIds: string[]): Promise<{ authorization: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: `store ${locationIds.join(',')}`, role: 'store', locationIds } });
  if (res.statusCode !== 201) throw new Error(`cannot create store key: ${res.body}`);
  return { authorization: `Bearer ${res.json().secret}` };
}
