import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { SnapshotItem } from './inventory.schemas.js';
import { resolvedSafetyStockSql } from './safety-stock.repository.js';

export interface SnapshotMeta {
  locationId: string;
  asOf: Date;
  source: string | null;
  actor: string;
}

/**
 * The 'snapshot' ledger rows and stock.changed events (same payload as `stockChanged`) of the positions
 * a previous CTE `written(sku, location_id, before, on_hand, reserved, safety_stock)` changed.
 */
function ledgerAndEvents(meta: SnapshotMeta): RawBuilder<unknown> {
  return sql`ledger AS (
      INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, reference, actor)
      SELECT sku, location_id, 'snapshot', before, on_hand, reserved, reserved, ${meta.source}, ${meta.asOf.toISOString()}, ${meta.actor}
      FROM written WHERE before <> on_hand ORDER BY sku
    ), events AS (
      INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
      SELECT 'stock.changed', 'stock_position', location_id || '/' || sku,
        jsonb_build_object('sku', sku, 'locationId', location_id, 'onHand', on_hand, 'reserved', reserved, 'safetyStock', safety_stock,
          'atp', greatest(0, on_hand - reserved - safety_stock), 'cause', 'snapshot')
      FROM written WHERE before <> on_hand ORDER BY sku
    )`;
}

/** Loads the snapshot into a temporary table: one statement for any number of rows. */
export async function loadSnapshot(tx: Tx, items: readonly SnapshotItem[]): Promise<void> {
  await sql`CREATE TEMPORARY TABLE snapshot_item (sku text PRIMARY KEY, on_hand integer NOT NULL) ON COMMIT DROP`.execute(tx);
  await sql`INSERT INTO snapshot_item (sku, on_hand)
    SELECT * FROM unnest(${items.map((i) => i.sku)}::text[], ${items.map((i) => i.onHand)}::int[])`.execute(tx);
  await sql`ANALYZE snapshot_item`.execute(tx);
}

/**
 * Creates, already at their snapshot figure, the positions the snapshot names that do not exist yet
 * (in SKU order, so concurrent creators wait instead of deadlocking); one ledger row and event each
 * when they hold stock. A position created concurrently meanwhile is left to `applySnapshot`.
 */
export async function createSnapshotPositions(tx: Tx, meta: SnapshotMeta): Promise<{ created: number; changed: number }> {
  const result = await sql<{ created: number; changed: number }>`
    WITH written AS (
      INSERT INTO stock_position (sku, location_id, on_hand, safety_stock, last_set_at)
      SELECT k.sku, k.location_id, k.on_hand, ${resolvedSafetyStockSql('k.sku', 'k.location_id')}, ${meta.asOf}
      FROM (SELECT s.sku, s.on_hand, ${meta.locationId}::text AS location_id FROM snapshot_item s
            WHERE NOT EXISTS (SELECT 1 FROM stock_position p WHERE p.sku = s.sku AND p.location_id = ${meta.locationId})) k
      ORDER BY k.sku
      ON CONFLICT (sku, location_id) DO NOTHING
      RETURNING sku, location_id, 0 AS before, on_hand, reserved, safety_stock
    ), ${ledgerAndEvents(meta)}
    SELECT count(*)::int AS created, (count(*) FILTER (WHERE on_hand <> 0))::int AS changed FROM written`.execute(tx);
  return result.rows[0]!;
}

/** Locks every position of the location in SKU order (the fixed (sku, location) order); returns how many. */
export async function lockLocationPositions(tx: Tx, locationId: string): Promise<number> {
  const locked = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM stock_position WHERE location_id = ${locationId} ORDER BY sku FOR UPDATE) l`.execute(tx);
  return locked.rows[0]!.n;
}

/**
 * Applies the staged snapshot to the existing, locked positions in one statement: each position not set
 * by a count at least as new takes the snapshot figure (0 when absent from it); `reserved` is left whole.
 * The values before come from the same statement (the rows are locked, so they are current).
 */
export async function applySnapshot(tx: Tx, meta: SnapshotMeta): Promise<{ updated: number; changed: number; zeroed: number }> {
  const result = await sql<{ updated: number; changed: number; zeroed: number }>`
    WITH target AS (
      SELECT p.sku, coalesce(s.on_hand, 0) AS on_hand, p.on_hand AS before, s.sku IS NULL AS absent
      FROM stock_position p LEFT JOIN snapshot_item s ON s.sku = p.sku
      WHERE p.location_id = ${meta.locationId}
    ), written AS (
      UPDATE stock_position sp SET on_hand = t.on_hand, last_set_at = ${meta.asOf}
      FROM target t
      WHERE sp.location_id = ${meta.locationId} AND sp.sku = t.sku AND (sp.last_set_at IS NULL OR sp.last_set_at < ${meta.asOf})
      RETURNING sp.sku, sp.location_id, t.before, t.absent, sp.on_hand, sp.reserved, sp.safety_stock
    ), ${ledgerAndEvents(meta)}
    SELECT count(*)::int AS updated,
      (count(*) FILTER (WHERE before <> on_hand))::int AS changed,
      (count(*) FILTER (WHERE absent AND before <> on_hand))::int AS zeroed
    FROM written`.execute(tx);
  return result.rows[0]!;
}

/** Positions of a location whose open reservations exceed on hand (kept whole, reported). */
export async function findOversold(tx: Tx, locationId: string, limit: number) {
  const [rows, count] = await Promise.all([
    tx.selectFrom('stock_position').select(['sku', 'on_hand', 'reserved']).where('location_id', '=', locationId).whereRef('reserved', '>', 'on_hand').orderBy('sku').limit(limit).execute(),
    tx.selectFrom('stock_position').select((eb) => eb.fn.countAll<number>().as('n')).where('location_id', '=', locationId).whereRef('reserved', '>', 'on_hand').executeTakeFirstOrThrow(),
  ]);
  return { count: Number(count.n), positions: rows.map((r) => ({ sku: r.sku, onHand: r.on_hand, reserved: r.reserved })) };
}
