import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { HoldClaim } from '../../domain/inventory/stock-shortfall.js';
import type { PositionKey } from './stock.repository.js';

/** A position as the shortfall resolver sees it: `shortfall` = reserved − on hand (> 0: oversold). */
export interface ShortfallState extends PositionKey {
  onHand: number;
  reserved: number;
  safetyStock: number;
  shortfall: number;
  /** The transaction that last wrote the position (xid8 as text): what "changed since" compares. */
  xid: string;
}

const columns = sql`sku, location_id AS "locationId", on_hand AS "onHand", reserved, safety_stock AS "safetyStock", reserved - on_hand AS shortfall, updated_xid::text AS xid`;

/**
 * Oversold positions (reserved > on hand, through the partial index of migration 0018) the resolver
 * has not looked at since they last changed, in (sku, location) order.
 */
export async function listOversoldPositions(db: DbOrTx, limit: number): Promise<ShortfallState[]> {
  const r = await sql<ShortfallState>`
    SELECT ${columns} FROM stock_position p
    WHERE p.reserved > p.on_hand
      AND NOT EXISTS (SELECT 1 FROM stock_shortfall s WHERE s.sku = p.sku AND s.location_id = p.location_id AND s.checked_xid = p.updated_xid)
    ORDER BY p.sku, p.location_id
    LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** The position now; with `tx` and `lock`, locked FOR UPDATE (the resolver's re-check under lock). */
export async function readShortfall(db: DbOrTx, key: PositionKey, lock = false): Promise<ShortfallState | undefined> {
  const r = await sql<ShortfallState>`
    SELECT ${columns} FROM stock_position WHERE sku = ${key.sku} AND location_id = ${key.locationId} ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  return r.rows[0];
}

/** Locks positions FOR UPDATE in (sku, location) order, the order every stock writer follows. */
export async function lockPositionsInOrder(tx: Tx, keys: readonly PositionKey[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    SELECT 1 FROM stock_position
    WHERE (sku, location_id) IN (SELECT * FROM unnest(${keys.map((k) => k.sku)}::text[], ${keys.map((k) => k.locationId)}::text[]))
    ORDER BY sku, location_id FOR UPDATE`.execute(tx);
}

/** Remembers that the position, as `state` shows it, has nothing left the resolver may take (once per change). */
export async function recordUnresolvable(tx: Tx, state: ShortfallState, at: Date): Promise<void> {
  await sql`
    INSERT INTO stock_shortfall (sku, location_id, checked_xid, on_hand, reserved, checked_at)
    VALUES (${state.sku}, ${state.locationId}, ${state.xid}::xid8, ${state.onHand}, ${state.reserved}, ${at})
    ON CONFLICT (sku, location_id) DO UPDATE SET checked_xid = EXCLUDED.checked_xid, on_hand = EXCLUDED.on_hand,
      reserved = EXCLUDED.reserved, checked_at = EXCLUDED.checked_at`.execute(tx);
}

interface HoldClaimRow {
  id: string;
  hold_id: string;
  token: string | null;
  quantity: number;
  expires_at: Date | string;
  created_at: Date | string;
}

/**
 * Active cart and promise holds at the position. A promise hold is a reservation whose hold is the
 * stock of a promise token (its reference is `promise:<token>`, checked against promise_hold: a cart
 * whose client chose such a reference stays a cart hold).
 */
export async function listHoldClaims(db: DbOrTx, key: PositionKey): Promise<HoldClaim[]> {
  const r = await sql<HoldClaimRow>`
    SELECT r.id::text, r.hold_id::text, ph.token::text AS token, r.quantity, r.expires_at, r.created_at
    FROM reservation r
    LEFT JOIN promise_hold ph ON ph.hold_id = r.hold_id
      AND ph.token = CASE WHEN r.reference ~ '^promise:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN substr(r.reference, 9)::uuid END
    WHERE r.sku = ${key.sku} AND r.location_id = ${key.locationId} AND r.status = 'active'`.execute(db);
  return r.rows.map((row) => ({
    kind: row.token ? 'promise' : 'cart',
    reservationId: row.id,
    holdId: row.hold_id,
    token: row.token,
    quantity: row.quantity,
    expiresAt: new Date(row.expires_at),
    createdAt: new Date(row.created_at),
  }));
}
