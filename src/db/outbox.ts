import { sql } from 'kysely';
import { writeNowOrLater, type StatementBatch } from './statement-batch.js';
import { chunks, rowsPerInsert } from './chunks.js';
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

const EVENTS_PER_INSERT = rowsPerInsert(4);

/** Writes events in the caller's transaction: they exist if and only if the change commits. */
export async function appendEvents(tx: Tx, events: NewEvent[], batch?: StatementBatch): Promise<void> {
  for (const part of chunks(events, EVENTS_PER_INSERT)) {
    const insert = tx
      .insertInto('outbox_event')
      .values(
        part.map((e) => ({
          type: e.type,
          aggregate_type: e.aggregateType,
          aggregate_id: e.aggregateId,
          payload: JSON.stringify(e.payload),
        })),
      );
    await writeNowOrLater(insert, batch);
  }
}

const SEQUENCER_LOCK = 7_242_002;

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
 */
export async function sequenceEvents(db: Db, batch = 10_000): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) AS ok`.execute(tx);
    if (!lock.rows[0]?.ok) return 0;
    const bound = await oldestRunningXidHere(tx);
    if (bound === undefined) return 0;
    const result = await sql`
      WITH pending AS (
        SELECT id, row_number() OVER (ORDER BY id) AS rn
        FROM (SELECT id FROM outbox_event
              WHERE position IS NULL AND xid < ${bound}::xid8
              ORDER BY id LIMIT ${batch}) p
      ), base AS (SELECT coalesce(max(position), 0) AS b FROM outbox_event)
      UPDATE outbox_event o SET position = base.b + pending.rn
      FROM pending, base WHERE o.id = pending.id`.execute(tx);
    return Number(result.numAffectedRows ?? 0);
  });
}

/**
 * The oldest xid (as xid8 text) of a transaction still running in this database other than ours, or the
 * next xid to be assigned when none is; undefined when no event waits for a position (nothing to do).
 * pg_locks holds 32-bit xids: they are widened with the epoch of the current snapshot (an xid above the
 * current one's low bits belongs to the previous epoch). Prepared transactions (no pid) count too.
 */
async function oldestRunningXidHere(tx: Tx): Promise<string | undefined> {
  const result = await sql<{ bound: string | null }>`
    WITH snap AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax),
    running AS (
      SELECT l.transactionid::text::bigint AS x
      FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'transactionid' AND l.pid IS DISTINCT FROM pg_backend_pid()
        AND (a.pid IS NULL OR a.datname IS NULL OR a.datname = current_database()))
    SELECT CASE WHEN EXISTS (SELECT 1 FROM outbox_event WHERE position IS NULL) THEN
      coalesce((SELECT min(CASE WHEN r.x <= (s.xmax & 4294967295) THEN ((s.xmax >> 32) << 32) | r.x
                                ELSE (((s.xmax >> 32) - 1) << 32) | r.x END) FROM running r), s.xmax)::text
    END AS bound
    FROM snap s`.execute(tx);
  return result.rows[0]?.bound ?? undefined;
}

/** Events after a cursor, in position order. */
export async function readEvents(
  db: DbOrTx,
  opts: { after: number; limit: number; types?: string[]; aggregateId?: string },
): Promise<OutboxEvent[]> {
  let q = db
    .selectFrom('outbox_event')
    .select(['position', 'event_id', 'type', 'aggregate_type', 'aggregate_id', 'payload', 'occurred_at'])
    .where('position', '>', String(opts.after))
    .orderBy('position')
    .limit(opts.limit);
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
