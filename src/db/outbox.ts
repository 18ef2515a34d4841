import { sql } from 'kysely';
import { insertNowOrLater, type StatementBatch } from './statement-batch.js';
import type { Db, DbOrTx, Tx } from './database.js';

export interface NewEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
}

export interface OutboxEvent {
  position: number;
  eventId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  occurredAt: string;
}

/** Writes events in the caller's transaction: they exist if and only if the change commits. */
export async function appendEvents(tx: Tx, events: NewEvent[], batch?: StatementBatch): Promise<void> {
  const rows = events.map((e) => ({
    type: e.type,
    aggregate_type: e.aggregateType,
    aggregate_id: e.aggregateId,
    payload: JSON.stringify(e.payload),
  }));
  await insertNowOrLater(tx, 'outbox_event', rows, batch);
}

/**
 * Gives committed events their `position`, the cursor readers follow.
 *
 * A row is positioned only once every transaction of this database that took its xid before it has
 * ended, so events keep the order they were written in and an older transaction that commits last is not
 * overtaken by younger ones. The bound is the oldest xid still running here (pg_locks; never other
 * databases of the cluster, whose long transactions would otherwise hold every event back), read in a
 * statement before the one that positions: anything below it had ended by then, so it is visible now.
 * Inside a batch, rows go by insertion id: two transactions touching the same row are serialised by its
 * lock, so the later one inserted its event later and per-aggregate order is kept.
 * One sequencer at a time across all Ordo processes (advisory lock); returns how many rows it positioned.
 * It is one call (`sequence_outbox_events`, migration 0025): it polls every few milliseconds.
 */
export async function sequenceEvents(db: Db, batch = 10_000): Promise<number> {
  const r = await sql<{ positioned: number }>`SELECT sequence_outbox_events(${batch}::int) AS positioned`.execute(db);
  return Number(r.rows[0]?.positioned ?? 0);
}

/** The position of the newest positioned event (0 on an empty log), as a scalar subquery. */
export const OUTBOX_HEAD = sql<string>`(SELECT coalesce(max(position), 0) FROM outbox_event)`;

/**
 * Events after a cursor, in position order: at most `limit`, none past `upTo` (a head read earlier), only
 * of the given `types` when some are given.
 */
export async function readEvents(
  db: DbOrTx,
  opts: { after: number; limit: number; upTo?: number; types?: readonly string[]; aggregateId?: string },
): Promise<OutboxEvent[]> {
  let q = db
    .selectFrom('outbox_event')
    .select(['position', 'event_id', 'type', 'aggregate_type', 'aggregate_id', 'payload', 'occurred_at'])
    .where('position', '>', String(opts.after))
    .orderBy('position')
    .limit(opts.limit);
  if (opts.upTo !== undefined) q = q.where('position', '<=', String(opts.upTo));
  if (opts.types && opts.types.length > 0) q = q.where('type', 'in', opts.types);
  if (opts.aggregateId) q = q.where('aggregate_id', '=', opts.aggregateId);
  return (await q.execute()).map(toOutboxEvent);
}

/** An `outbox_event` row (positioned) as readers see it. */
export function toOutboxEvent(r: {
  position: string | number | null;
  event_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  occurred_at: Date | string;
}): OutboxEvent {
  return {
    position: Number(r.position),
    eventId: r.event_id,
    type: r.type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    payload: r.payload,
    occurredAt: new Date(r.occurred_at).toISOString(),
  };
}
