import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { StockPositionTable } from '../../db/schema.js';
import { availableToPromise } from '../../domain/inventory/safety-stock.js';
import { positionKey } from '../../domain/inventory/apply-movements.js';
import type { LedgerRow, Position } from './inventory.schemas.js';
import { resolvedSafetyStockSql } from './safety-stock.repository.js';

export interface PositionKey {
  sku: string;
  locationId: string;
}

export interface PositionRow extends Position {
  lastSetAtDate: Date | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toPosition(r: Pick<Selectable<StockPositionTable>, 'sku' | 'location_id' | 'on_hand' | 'reserved' | 'safety_stock' | 'last_set_at'>): PositionRow {
  const p = { onHand: r.on_hand, reserved: r.reserved, safetyStock: r.safety_stock };
  return { sku: r.sku, locationId: r.location_id, ...p, atp: availableToPromise(p), lastSetAt: iso(r.last_set_at), lastSetAtDate: r.last_set_at ? new Date(r.last_set_at) : null };
}

export const publicPosition = ({ lastSetAtDate: _d, ...p }: PositionRow): Position => p;

const unnestKeys = (keys: readonly PositionKey[]) =>
  sql`unnest(${keys.map((k) => k.sku)}::text[], ${keys.map((k) => k.locationId)}::text[])`;

/** SKUs and locations a command names that do not exist: the command is refused before any write. */
export async function findUnknownMasterData(db: DbOrTx, skus: readonly string[], locationIds: readonly string[]) {
  const [unknownSkus, unknownLocations] = await Promise.all([
    sql<{ v: string }>`SELECT DISTINCT v FROM unnest(${[...new Set(skus)]}::text[]) AS u(v)
      WHERE NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = u.v) ORDER BY v LIMIT 100`.execute(db),
    sql<{ v: string }>`SELECT DISTINCT v FROM unnest(${[...new Set(locationIds)]}::text[]) AS u(v)
      WHERE NOT EXISTS (SELECT 1 FROM location l WHERE l.id = u.v) ORDER BY v LIMIT 100`.execute(db),
  ]);
  return { unknownSkus: unknownSkus.rows.map((r) => r.v), unknownLocations: unknownLocations.rows.map((r) => r.v) };
}

/**
 * Creates the positions that do not exist yet (on hand 0, safety stock resolved from the rules), in
 * (sku, location) order so that concurrent creators wait on each other instead of deadlocking.
 */
export async function ensurePositions(tx: Tx, keys: readonly PositionKey[]): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await sql`
    INSERT INTO stock_position (sku, location_id, safety_stock)
    SELECT k.sku, k.location_id, ${resolvedSafetyStockSql('k.sku', 'k.location_id')}
    FROM (SELECT DISTINCT sku, location_id FROM ${unnestKeys(keys)} AS u(sku, location_id)) k
    ORDER BY k.sku, k.location_id
    ON CONFLICT (sku, location_id) DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** Locks the positions in the fixed (sku, location_id) order every stock writer uses; returns them by key. */
export async function lockPositions(tx: Tx, keys: readonly PositionKey[]): Promise<Map<string, PositionRow>> {
  const rows = await sql<Selectable<StockPositionTable>>`
    SELECT sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock, sp.last_set_at
    FROM stock_position sp
    WHERE (sp.sku, sp.location_id) IN (SELECT sku, location_id FROM ${unnestKeys(keys)} AS u(sku, location_id))
    ORDER BY sp.sku, sp.location_id
    FOR UPDATE`.execute(tx);
  return new Map(rows.rows.map((r) => [positionKey(r.sku, r.location_id), toPosition(r)]));
}

/** Writes new on-hand figures of locked positions in one statement; returns the positions as written. */
export async function writeOnHand(tx: Tx, updates: readonly (PositionKey & { onHand: number })[]): Promise<PositionRow[]> {
  if (updates.length === 0) return [];
  const rows = await sql<Selectable<StockPositionTable>>`
    UPDATE stock_position sp SET on_hand = u.on_hand
    FROM unnest(${updates.map((u) => u.sku)}::text[], ${updates.map((u) => u.locationId)}::text[], ${updates.map((u) => u.onHand)}::int[]) AS u(sku, location_id, on_hand)
    WHERE sp.sku = u.sku AND sp.location_id = u.location_id
    RETURNING sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock, sp.last_set_at`.execute(tx);
  return rows.rows.map(toPosition);
}

/**
 * The absolute set, guarded by its source time in ONE statement: the row is locked by the CTE (which
 * also yields the values before), and only a message newer than `last_set_at` updates it.
 * Undefined means the message is stale.
 */
export async function setOnHandIfNewer(tx: Tx, key: PositionKey, onHand: number, asOf: Date) {
  const result = await sql<{ on_hand_before: number; reserved_before: number } & Selectable<StockPositionTable>>`
    WITH before AS (
      SELECT sku, location_id, on_hand, reserved FROM stock_position
      WHERE sku = ${key.sku} AND location_id = ${key.locationId} FOR UPDATE
    )
    UPDATE stock_position sp SET on_hand = ${onHand}, last_set_at = ${asOf}
    FROM before b
    WHERE sp.sku = b.sku AND sp.location_id = b.location_id AND (sp.last_set_at IS NULL OR sp.last_set_at < ${asOf})
    RETURNING b.on_hand AS on_hand_before, b.reserved AS reserved_before,
      sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock, sp.last_set_at`.execute(tx);
  const row = result.rows[0];
  return row ? { onHandBefore: row.on_hand_before, reservedBefore: row.reserved_before, position: toPosition(row) } : undefined;
}

/** Adds a received quantity to a position (locked by the UPDATE itself); returns before and after. */
export async function addOnHand(tx: Tx, key: PositionKey, quantity: number) {
  const result = await sql<{ on_hand_before: number } & Selectable<StockPositionTable>>`
    UPDATE stock_position sp SET on_hand = sp.on_hand + ${quantity}
    WHERE sp.sku = ${key.sku} AND sp.location_id = ${key.locationId}
    RETURNING sp.on_hand - ${quantity} AS on_hand_before, sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock, sp.last_set_at`.execute(tx);
  const row = result.rows[0]!;
  return { onHandBefore: row.on_hand_before, position: toPosition(row) };
}

export async function readPosition(db: DbOrTx, key: PositionKey): Promise<PositionRow | undefined> {
  const row = await db
    .selectFrom('stock_position')
    .select(['sku', 'location_id', 'on_hand', 'reserved', 'safety_stock', 'last_set_at'])
    .where('sku', '=', key.sku)
    .where('location_id', '=', key.locationId)
    .executeTakeFirst();
  return row ? toPosition(row) : undefined;
}

export async function productExists(db: DbOrTx, sku: string): Promise<boolean> {
  return (await db.selectFrom('product').select('sku').where('sku', '=', sku).executeTakeFirst()) !== undefined;
}

/** Positions of a SKU across locations; `locationIds` restricts them (a store key's scope). */
export async function listPositionsOfSku(db: DbOrTx, sku: string, locationIds?: readonly string[]): Promise<Position[]> {
  let q = db.selectFrom('stock_position').select(['sku', 'location_id', 'on_hand', 'reserved', 'safety_stock', 'last_set_at']).where('sku', '=', sku).orderBy('location_id');
  if (locationIds) q = q.where('location_id', 'in', locationIds.length > 0 ? [...locationIds] : ['']);
  return (await q.execute()).map((r) => publicPosition(toPosition(r)));
}

export async function listPositionsOfLocation(db: DbOrTx, locationId: string, after: string | undefined, limit: number): Promise<Position[]> {
  let q = db
    .selectFrom('stock_position')
    .select(['sku', 'location_id', 'on_hand', 'reserved', 'safety_stock', 'last_set_at'])
    .where('location_id', '=', locationId)
    .orderBy('sku')
    .limit(limit);
  if (after !== undefined) q = q.where('sku', '>', after);
  return (await q.execute()).map((r) => publicPosition(toPosition(r)));
}

export interface LedgerFilter {
  sku: string;
  locationId?: string;
  locationIds?: readonly string[];
  beforeId?: number;
  limit: number;
}

/** A SKU's stock history, newest first (keyset on the ledger id). */
export async function listLedger(db: DbOrTx, f: LedgerFilter): Promise<LedgerRow[]> {
  let q = db.selectFrom('inventory_ledger').selectAll().where('sku', '=', f.sku).orderBy('id', 'desc').limit(f.limit);
  if (f.locationId) q = q.where('location_id', '=', f.locationId);
  if (f.locationIds) q = q.where('location_id', 'in', f.locationIds.length > 0 ? [...f.locationIds] : ['']);
  if (f.beforeId !== undefined) q = q.where('id', '<', String(f.beforeId));
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    sku: r.sku,
    locationId: r.location_id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    cause: r.cause,
    onHandBefore: r.on_hand_before,
    onHandAfter: r.on_hand_after,
    reservedBefore: r.reserved_before,
    reservedAfter: r.reserved_after,
    source: r.source,
    reference: r.reference,
    actor: r.actor,
  }));
}
