import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { ReservationTable } from '../../db/schema.js';
import { holdStatus, type ReservationStatus } from '../../domain/reservations/hold.js';
import type { NewEvent } from '../../db/outbox.js';
import type { LedgerEntry, PositionState } from '../inventory/ledger.repository.js';
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

export async function findPosition(db: DbOrTx, sku: string, locationId: string, forUpdate = false): Promise<PositionState | undefined> {
  const lock = forUpdate ? sql`FOR UPDATE` : sql``;
  const r = await sql<PositionState>`
    SELECT ${positionColumns} FROM stock_position WHERE sku = ${sku} AND location_id = ${locationId} ${lock}`.execute(db);
  return r.rows[0];
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

/** One multi-row INSERT for all lines of all holds of a transaction. */
export async function insertReservations(tx: Tx, rows: readonly NewReservation[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('reservation')
    .values(
      rows.map((r) => ({
        id: r.id,
        hold_id: r.holdId,
        sku: r.sku,
        location_id: r.locationId,
        channel_id: r.channelId,
        quantity: r.quantity,
        status: 'active',
        reference: r.reference,
        expires_at: r.expiresAt,
        created_at: r.createdAt,
      })),
    )
    .execute();
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

/**
 * Locks many positions with one statement, in (sku, location_id) order: the key columns are COLLATE "C",
 * so this is the order `compareByPosition` gives and every other writer follows (no deadlock).
 */
export async function lockPositions(tx: Tx, keys: readonly { sku: string; locationId: string }[]): Promise<PositionState[]> {
  if (keys.length === 0) return [];
  const r = await sql<PositionState>`
    SELECT ${positionColumns} FROM stock_position
    WHERE (sku, location_id) IN (SELECT * FROM unnest(${keys.map((k) => k.sku)}::text[], ${keys.map((k) => k.locationId)}::text[]))
    ORDER BY sku, location_id FOR UPDATE`.execute(tx);
  return r.rows;
}

export interface BatchWrite {
  /** Units to add to reserved, one entry per position (already locked by the caller). */
  deltas: readonly { sku: string; locationId: string; quantity: number }[];
  reservations: readonly NewReservation[];
  ledger: readonly LedgerEntry[];
  /** In insertion order (outbox ids follow it). */
  events: readonly NewEvent[];
}

/**
 * All writes of a reservation batch in ONE statement (data-modifying CTEs over unnest arrays, so a few
 * bind parameters whatever the batch size): guarded UPDATE of every position, reservations, ledger rows
 * and outbox events. Returns how many positions the guarded UPDATE changed; the caller holds the row
 * locks, so anything but `deltas.length` means a bug and must roll back.
 */
export async function writeReservationBatch(tx: Tx, w: BatchWrite): Promise<number> {
  const { deltas: d, reservations: r, ledger: l, events: e } = w;
  const res = await sql<{ updated: number }>`
    WITH delta AS (
      SELECT * FROM unnest(${d.map((x) => x.sku)}::text[], ${d.map((x) => x.locationId)}::text[], ${d.map((x) => x.quantity)}::int[]) AS t(sku, location_id, quantity)
    ), updated AS (
      UPDATE stock_position sp SET reserved = sp.reserved + delta.quantity FROM delta
      WHERE sp.sku = delta.sku AND sp.location_id = delta.location_id AND sp.on_hand - sp.reserved - sp.safety_stock >= delta.quantity
      RETURNING sp.sku
    ), reservations AS (
      INSERT INTO reservation (id, hold_id, sku, location_id, channel_id, quantity, reference, expires_at, created_at)
      SELECT * FROM unnest(${r.map((x) => x.id)}::uuid[], ${r.map((x) => x.holdId)}::uuid[], ${r.map((x) => x.sku)}::text[],
        ${r.map((x) => x.locationId)}::text[], ${r.map((x) => x.channelId)}::text[], ${r.map((x) => x.quantity)}::int[],
        ${r.map((x) => x.reference)}::text[], ${r.map((x) => x.expiresAt.toISOString())}::timestamptz[], ${r.map((x) => x.createdAt.toISOString())}::timestamptz[])
      RETURNING 1
    ), ledger AS (
      INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, reference, actor)
      SELECT * FROM unnest(${l.map((x) => x.sku)}::text[], ${l.map((x) => x.locationId)}::text[], ${l.map((x) => x.cause)}::text[],
        ${l.map((x) => x.onHandBefore)}::int[], ${l.map((x) => x.onHandAfter)}::int[], ${l.map((x) => x.reservedBefore)}::int[],
        ${l.map((x) => x.reservedAfter)}::int[], ${l.map((x) => x.source ?? null)}::text[], ${l.map((x) => x.reference ?? null)}::text[], ${l.map((x) => x.actor)}::text[])
      RETURNING 1
    ), events AS (
      INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
      SELECT type, aggregate_type, aggregate_id, payload::jsonb
      FROM unnest(${e.map((x) => x.type)}::text[], ${e.map((x) => x.aggregateType)}::text[], ${e.map((x) => x.aggregateId)}::text[],
        ${e.map((x) => JSON.stringify(x.payload))}::text[]) WITH ORDINALITY AS t(type, aggregate_type, aggregate_id, payload, ord)
      ORDER BY ord
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM updated)::int AS updated,
           (SELECT count(*) FROM reservations)::int AS r, (SELECT count(*) FROM ledger)::int AS l, (SELECT count(*) FROM events)::int AS e`.execute(tx);
  return res.rows[0]!.updated;
}
