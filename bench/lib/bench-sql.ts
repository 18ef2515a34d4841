/**
 * SQL shared by the baselines. Each statement runs unchanged on PostgreSQL and PGlite, so a ratio
 * between engines compares engines, not queries.
 */

/** Runs one SQL text without parameters (pg Pool/Client `query`, PGlite `exec`). */
export type ExecSql = (text: string) => Promise<unknown>;

export const BENCH_LOCATION = 'BENCH-W1';
export const benchSku = (i: number): string => `BENCH-${String(i).padStart(6, '0')}`;

/** One warehouse and `skus` products, each with `onHand` units there (nothing reserved, no safety stock). */
export async function seedBenchStock(exec: ExecSql, opts: { skus: number; onHand: number; locationId?: string }): Promise<void> {
  const location = opts.locationId ?? BENCH_LOCATION;
  await exec(`INSERT INTO location (id, name, type, time_zone, latitude, longitude)
    VALUES ('${location}', 'Bench warehouse', 'warehouse', 'Europe/Paris', 48.8566, 2.3522) ON CONFLICT (id) DO NOTHING`);
  await exec(`INSERT INTO product (sku, name)
    SELECT 'BENCH-' || lpad(g::text, 6, '0'), 'Bench product ' || g FROM generate_series(1, ${opts.skus}) g
    ON CONFLICT (sku) DO NOTHING`);
  await exec(`INSERT INTO stock_position (sku, location_id, on_hand)
    SELECT 'BENCH-' || lpad(g::text, 6, '0'), '${location}', ${opts.onHand} FROM generate_series(1, ${opts.skus}) g
    ON CONFLICT (sku, location_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = 0`);
}

/**
 * One single-line hold with every write the product makes for it, in ONE round trip: the guarded
 * decrement (never oversells), the reservation row, its ledger row and the stock.changed outbox row.
 * $1 sku, $2 location, $3 quantity. Returns the reservation id, or no row when ATP does not cover it.
 */
export const RESERVE_ONE_SQL = `
WITH s AS (
  UPDATE stock_position SET reserved = reserved + $3
  WHERE sku = $1 AND location_id = $2 AND on_hand - reserved - safety_stock >= $3
  RETURNING sku, location_id, on_hand, reserved, safety_stock
), r AS (
  INSERT INTO reservation (hold_id, sku, location_id, quantity, reference, expires_at)
  SELECT gen_random_uuid(), sku, location_id, $3, 'bench', now() + interval '15 minutes' FROM s
  RETURNING id
), l AS (
  INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, actor)
  SELECT s.sku, s.location_id, 'reservation', s.on_hand, s.on_hand, s.reserved - $3, s.reserved, r.id::text, 'bench' FROM s, r
), o AS (
  INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
  SELECT 'stock.changed', 'stock_position', s.sku || '@' || s.location_id,
         jsonb_build_object('sku', s.sku, 'locationId', s.location_id, 'onHand', s.on_hand, 'reserved', s.reserved,
                            'safetyStock', s.safety_stock, 'atp', greatest(s.on_hand - s.reserved - s.safety_stock, 0))
  FROM s
)
SELECT id FROM r`;

/** The textbook naive hold, as separate statements in one transaction (the row lock is held across all of them). */
export const NAIVE_UPDATE_SQL = `UPDATE stock_position SET reserved = reserved + $3
  WHERE sku = $1 AND location_id = $2 AND on_hand - reserved - safety_stock >= $3`;
export const NAIVE_INSERT_SQL = `INSERT INTO reservation (hold_id, sku, location_id, quantity, reference, expires_at)
  VALUES (gen_random_uuid(), $1, $2, $3, 'bench-naive', now() + interval '15 minutes')`;
