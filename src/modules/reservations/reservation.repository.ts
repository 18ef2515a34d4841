import { sql, type Selectable } from 'kysely';
import { insertNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import type { ContendedWrite } from '../../db/contended-writes.js';
import type { Db, DbOrTx, Tx } from '../../db/database.js';
import { BusinessError } from '../../domain/shared/result.js';
import type { ReservationTable } from '../../db/schema.js';
import { holdStatus, insufficientStock, unknownPosition, type ReservationStatus } from '../../domain/reservations/hold.js';
import type { PositionState } from '../inventory/ledger.repository.js';
import type { Hold } from './reservation.schemas.js';

export type ReservationRow = Selectable<ReservationTable>;

const iso = (d: Date | string): string => new Date(d).toISOString();

/** One hold = the reservation rows sharing a hold_id, shown in lock order. */
export function toHold(rows: readonly ReservationRow[]): Hold {
  const first = rows[0]!;
  const sorted = [...rows].sort((a, b) => (a.sku === b.sku ? (a.location_id < b.location_id ? -1 : 1) : a.sku < b.sku ? -1 : 1));
  const ended = rows.find((r) => r.ended_at !== null);
  return {
    id: first.hold_id,
    status: holdStatus(rows.map((r) => ({ status: r.status as ReservationStatus }))),
    channel: first.channel_id,
    reference: first.reference,
    expiresAt: iso(first.expires_at),
    createdAt: iso(first.created_at),
    endedAt: ended?.ended_at ? iso(ended.ended_at) : null,
    endedBy: ended?.ended_by ?? null,
    lines: sorted.map((r) => ({ id: r.id, sku: r.sku, locationId: r.location_id, quantity: r.quantity, status: r.status as ReservationStatus })),
  };
}

const positionColumns = sql`sku, location_id AS "locationId", on_hand AS "onHand", reserved, safety_stock AS "safetyStock"`;

/**
 * The guarded write: adds `quantity` to reserved only if ATP covers it, in one statement (the row lock
 * and the re-check after a lock wait make it race-free). Undefined: no such position, or not enough stock.
 */
export async function addReservedGuarded(tx: Tx, sku: string, locationId: string, quantity: number): Promise<PositionState | undefined> {
  const r = await sql<PositionState>`
    UPDATE stock_position SET reserved = reserved + ${quantity}
    WHERE sku = ${sku} AND location_id = ${locationId} AND on_hand - reserved - safety_stock >= ${quantity}
    RETURNING ${positionColumns}`.execute(tx);
  return r.rows[0];
}

/** A line of reserveLines: the position after the write (granted) or as it stood when refused; undefined: no such position. */
export type ReserveOutcome = { granted: boolean; position: PositionState } | undefined;

/**
 * The guarded write of several lines in one round trip (migration 0022), in the order given: pass them in
 * (sku, location) order. Each line is granted or refused on its own, as addReservedGuarded would.
 */
export async function reserveLines(tx: Tx, lines: ReadonlyArray<{ sku: string; locationId: string; quantity: number }>): Promise<ReserveOutcome[]> {
  const r = await sql<{ line: number; sku: string; location_id: string; on_hand: number; reserved: number; safety_stock: number; granted: boolean }>`
    SELECT * FROM reserve_lines(${JSON.stringify(lines.map((l) => ({ sku: l.sku, location_id: l.locationId, quantity: l.quantity })))}::json)`.execute(tx);
  const out: ReserveOutcome[] = lines.map(() => undefined);
  for (const row of r.rows) {
    out[row.line] = { granted: row.granted, position: { sku: row.sku, locationId: row.location_id, onHand: row.on_hand, reserved: row.reserved, safetyStock: row.safety_stock } };
  }
  return out;
}

/**
 * A hold's guarded reservations, with their ledger rows and stock.changed events, as one call of
 * take_stock_lines (migration 0024) kept for the end of the caller's transaction (ContendedWrites): pass
 * the lines in (sku, location) order. Its refusal is the BusinessError reserveLines' caller would throw
 * (insufficient_stock with the shortfall, unknown_position), for the first line refused; a position that
 * does not exist is met by the reservation rows' foreign key first, in the same message.
 */
export function takeStockLinesWrite(lines: ReadonlyArray<{ id: string; sku: string; locationId: string; quantity: number }>, reference: string, actor: string): ContendedWrite {
  const doc = { reference, actor, lines: lines.map((l) => ({ sku: l.sku, location_id: l.locationId, quantity: l.quantity, source: l.id })) };
  return {
    fn: 'take_stock_lines',
    jsonArgument: JSON.stringify(doc),
    refusal: (err) => {
      const e = err as { code?: string; message?: string; detail?: string; constraint?: string };
      // The batch's reservation rows, before the call, meet a missing position first: "Key (sku, location_id)=(A, W9) is not present".
      if (e?.code === '23503' && e.constraint === 'reservation_sku_location_id_fkey') {
        const missing = lines.filter((l) => e.detail?.includes(`=(${l.sku}, ${l.locationId})`)).map((l) => ({ sku: l.sku, locationId: l.locationId }));
        return BusinessError.of(unknownPosition(missing));
      }
      if (e?.code !== 'P0001' || !e.detail) return undefined;
      if (e.message === 'insufficient_stock') return BusinessError.of(insufficientStock([JSON.parse(e.detail)]));
      if (e.message === 'unknown_position') return BusinessError.of(unknownPosition([JSON.parse(e.detail)]));
      return undefined;
    },
  };
}

/** Gives back reserved units (release, expiry); the CHECK (reserved >= 0) guards the arithmetic. */
export async function subtractReserved(tx: Tx, sku: string, locationId: string, quantity: number): Promise<PositionState> {
  const r = await sql<PositionState>`
    UPDATE stock_position SET reserved = reserved - ${quantity}
    WHERE sku = ${sku} AND location_id = ${locationId}
    RETURNING ${positionColumns}`.execute(tx);
  const row = r.rows[0];
  if (!row) throw new Error(`stock position ${locationId}/${sku} of an active reservation is missing`);
  return row;
}

export interface ChannelScope {
  id: string;
  active: boolean;
  eligibleLocationIds: string[] | null;
}

export async function findChannels(db: DbOrTx, ids: readonly string[]): Promise<Map<string, ChannelScope>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('channel').select(['id', 'active', 'eligible_location_ids']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, active: r.active, eligibleLocationIds: r.eligible_location_ids }]));
}

export interface NewReservation {
  id: string;
  holdId: string;
  sku: string;
  locationId: string;
  channelId: string | null;
  quantity: number;
  reference: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * One multi-row INSERT for all lines of all holds of a transaction; `ended` writes them already ended
 * (a hold an order consumes in the transaction that placed it).
 */
export async function insertReservations(
  tx: Tx,
  rows: readonly NewReservation[],
  ended?: { status: ReservationStatus; endedAt: Date; endedBy: string },
  batch?: StatementBatch,
): Promise<void> {
  const stored = rows.map((r) => ({
    id: r.id,
    hold_id: r.holdId,
    sku: r.sku,
    location_id: r.locationId,
    channel_id: r.channelId,
    quantity: r.quantity,
    status: ended?.status ?? 'active',
    reference: r.reference,
    expires_at: r.expiresAt,
    created_at: r.createdAt,
    ended_at: ended?.endedAt ?? null,
    ended_by: ended?.endedBy ?? null,
  }));
  await insertNowOrLater(tx, 'reservation', stored, batch);
}

export async function findHoldRows(db: DbOrTx, holdId: string): Promise<ReservationRow[]> {
  return db.selectFrom('reservation').selectAll().where('hold_id', '=', holdId).orderBy('id').execute();
}

/** Locks every line of a hold (in id order, so two writers of one hold queue instead of deadlocking). */
export async function lockHoldRows(tx: Tx, holdId: string): Promise<ReservationRow[]> {
  return tx.selectFrom('reservation').selectAll().where('hold_id', '=', holdId).orderBy('id').forUpdate().execute();
}

/**
 * Active reservations due at `now`, locked; rows another Ordo process is expiring are skipped, so
 * several processes share the work without waiting on each other.
 */
export async function lockDueReservations(tx: Tx, now: Date, limit: number): Promise<ReservationRow[]> {
  return tx
    .selectFrom('reservation')
    .selectAll()
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .orderBy('hold_id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function endReservations(
  tx: Tx,
  ids: readonly string[],
  status: Exclude<ReservationStatus, 'active'>,
  at: Date,
  by: string,
): Promise<ReservationRow[]> {
  if (ids.length === 0) return [];
  return tx
    .updateTable('reservation')
    .set({ status, ended_at: at, ended_by: by })
    .where('id', 'in', [...ids])
    .where('status', '=', 'active')
    .returningAll()
    .execute();
}


export interface SingleLineBatch {
  /** Distinct positions of the batch, in lock order. */
  keys: readonly { sku: string; locationId: string }[];
  /** Per request, in arrival order: index into `keys`, and the rows to write if granted. */
  requests: readonly { position: number; reservation: NewReservation; actor: string; hold: unknown }[];
  createdAt: Date;
}

export type SingleLineOutcome = { outcome: 'granted' } | { outcome: 'insufficient'; available: number } | { outcome: 'missing' };

/**
 * One statement, one round trip, its own transaction: `reserve_single_lines` (migration 0003) locks the
 * batch's rows in lock order, grants first fit per row in arrival order, and writes the guarded UPDATEs,
 * reservations, ledger rows and outbox events. Outcomes come back in request order.
 */
export async function reserveSingleLines(db: Db, b: SingleLineBatch): Promise<SingleLineOutcome[]> {
  const q = b.requests;
  const r = await sql<{ outcome: SingleLineOutcome['outcome']; available: number | null }>`
    SELECT outcome, available FROM reserve_single_lines(
      ${b.keys.map((k) => k.sku)}::text[], ${b.keys.map((k) => k.locationId)}::text[],
      ${q.map((x) => x.position + 1)}::int[], ${q.map((x) => x.reservation.quantity)}::int[],
      ${q.map((x) => x.reservation.id)}::uuid[], ${q.map((x) => x.reservation.holdId)}::uuid[],
      ${q.map((x) => x.reservation.channelId)}::text[], ${q.map((x) => x.reservation.reference)}::text[],
      ${q.map((x) => x.reservation.expiresAt.toISOString())}::timestamptz[], ${b.createdAt.toISOString()}::timestamptz,
      ${q.map((x) => x.actor)}::text[], ${q.map((x) => JSON.stringify(x.hold))}::jsonb[])`.execute(db);
  return r.rows.map((row) => (row.outcome === 'insufficient' ? { outcome: 'insufficient', available: row.available ?? 0 } : { outcome: row.outcome }) as SingleLineOutcome);
}

/** One reservation line, locked (waiting for a command consuming, releasing or expiring it: lines are locked before positions). */
export async function lockReservation(tx: Tx, id: string): Promise<ReservationRow | undefined> {
  return tx.selectFrom('reservation').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Lowers an active line's quantity by `units` (fewer than it holds: the CHECK keeps it > 0); the caller gives the units back to the position. */
export async function shortenReservation(tx: Tx, id: string, units: number): Promise<void> {
  await tx.updateTable('reservation').set((eb) => ({ quantity: eb('quantity', '-', units) })).where('id', '=', id).where('status', '=', 'active').execute();
}
