import { sql } from 'kysely';
import { chunks, rowsPerInsert } from '../../db/chunks.js';
import type { Db, DbOrTx, Tx } from '../../db/database.js';
import { toOutboxEvent, type OutboxEvent } from '../../db/outbox.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface NewDelivery {
  subscriptionId: string;
  event: OutboxEvent;
}

/** Deliveries of one aggregate go out one at a time, in position order (see claimDueDeliveries). */
export const aggregateKey = (e: Pick<OutboxEvent, 'aggregateType' | 'aggregateId'>): string => `${e.aggregateType}:${e.aggregateId}`;

const DELIVERIES_PER_INSERT = rowsPerInsert(6);

/**
 * Enqueues deliveries, once per (subscription, event): a redelivered batch changes nothing (at-least-once
 * fan-out is idempotent). With `reset` (replay), a delivery already delivered or dead goes back to pending
 * with a fresh round of attempts; one still pending is left as it is.
 */
export async function enqueueDeliveries(db: DbOrTx, deliveries: readonly NewDelivery[], now: Date, reset: boolean): Promise<void> {
  for (const part of chunks(deliveries, DELIVERIES_PER_INSERT)) {
    const values = part.map((d) => ({
      subscription_id: d.subscriptionId,
      event_id: d.event.eventId,
      position: d.event.position,
      event_type: d.event.type,
      aggregate_key: aggregateKey(d.event),
      next_attempt_at: now,
    }));
    await db
      .insertInto('webhook_delivery')
      .values(values)
      .onConflict((oc) =>
        reset
          ? oc
              .columns(['subscription_id', 'event_id'])
              .doUpdateSet({ status: 'pending', attempts: 0, next_attempt_at: now, delivered_at: null, dead_at: null })
              .where('webhook_delivery.status', '<>', 'pending')
          : oc.columns(['subscription_id', 'event_id']).doNothing(),
      )
      .execute();
  }
}

export async function anyReplayInProgress(db: Db): Promise<boolean> {
  const row = await db.selectFrom('webhook_subscription').select('id').where('replay_after', 'is not', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Subscriptions with a replay in progress, locked so one process advances each (others skip them). */
export async function lockReplays(tx: Tx, limit: number): Promise<{ id: string; eventTypes: string[]; after: number; until: number }[]> {
  const rows = await sql<{ id: string; event_types: string[]; replay_after: string | number; replay_until: string | number }>`
    SELECT id, event_types, replay_after, replay_until FROM webhook_subscription
    WHERE replay_after IS NOT NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
  return rows.rows.map((r) => ({ id: r.id, eventTypes: r.event_types, after: Number(r.replay_after), until: Number(r.replay_until) }));
}

export async function moveReplayCursor(tx: Tx, id: string, after: number | null): Promise<void> {
  await tx
    .updateTable('webhook_subscription')
    .set(after === null ? { replay_after: null, replay_until: null } : { replay_after: after })
    .where('id', '=', id)
    .execute();
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  url: string;
  secret: string;
  timeoutMs: number;
  maxAttempts: number;
  /** Attempts already made in this round / in total. */
  attempts: number;
  totalAttempts: number;
  event: OutboxEvent;
}

/**
 * Claims deliveries that are due, for this process, until `timeout + marginMs` (database clock). Only the
 * oldest pending delivery of each (subscription, aggregate) is eligible: a delivery that keeps failing
 * holds back the later events of its aggregate for that subscription, and nothing else. SKIP LOCKED lets
 * several processes claim side by side; a claim left by a killed process expires and is taken again.
 */
export async function claimDueDeliveries(db: Db, owner: string, now: Date, limit: number, marginMs: number): Promise<ClaimedDelivery[]> {
  const result = await sql<{
    id: string | number; subscription_id: string; url: string; secret: string; timeout_ms: number; max_attempts: number;
    attempts: number; total_attempts: number; event_id: string; position: string | number; type: string;
    aggregate_type: string; aggregate_id: string; payload: unknown; occurred_at: Date | string;
  }>`
    WITH due AS (
      SELECT d.id FROM webhook_delivery d
      JOIN webhook_subscription s ON s.id = d.subscription_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= ${now} AND s.status = 'active'
        AND (d.claimed_until IS NULL OR d.claimed_until < clock_timestamp())
        AND NOT EXISTS (
          SELECT 1 FROM webhook_delivery p
          WHERE p.subscription_id = d.subscription_id AND p.aggregate_key = d.aggregate_key
            AND p.status = 'pending' AND p.position < d.position)
      ORDER BY d.next_attempt_at, d.position
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_delivery w
    SET claimed_by = ${owner}, claimed_until = clock_timestamp() + make_interval(secs => (s.timeout_ms + ${marginMs}::integer) / 1000.0)
    FROM due, webhook_subscription s, outbox_event e
    WHERE w.id = due.id AND s.id = w.subscription_id AND e.event_id = w.event_id
    RETURNING w.id, w.subscription_id, s.url, s.secret, s.timeout_ms, s.max_attempts, w.attempts, w.total_attempts,
      e.event_id, e.position, e.type, e.aggregate_type, e.aggregate_id, e.payload, e.occurred_at`.execute(db);
  return result.rows
    .map((r) => ({
      id: String(r.id),
      subscriptionId: r.subscription_id,
      url: r.url,
      secret: r.secret,
      timeoutMs: r.timeout_ms,
      maxAttempts: r.max_attempts,
      attempts: r.attempts,
      totalAttempts: r.total_attempts,
      event: toOutboxEvent(r),
    }))
    .sort((a, b) => a.event.position - b.event.position);
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  /** delivered, retry at a time, or dead. */
  outcome: { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'dead' };
}

/**
 * Records an attempt and its outcome in one statement, if this process still holds the claim (a
 * process whose claim expired and was taken over leaves the row to the new holder).
 */
export async function recordAttempt(db: Db, deliveryId: string, owner: string, a: AttemptRecord, now: Date): Promise<boolean> {
  const o = a.outcome;
  const result = await sql`
    WITH updated AS (
      UPDATE webhook_delivery SET
        status = ${o.status},
        attempts = attempts + 1,
        total_attempts = total_attempts + 1,
        next_attempt_at = ${o.status === 'pending' ? o.nextAttemptAt : now},
        claimed_by = NULL, claimed_until = NULL,
        last_attempt_at = ${a.startedAt}, last_status_code = ${a.statusCode}::integer, last_error = ${a.error}::text,
        last_duration_ms = ${a.durationMs}::integer,
        delivered_at = ${o.status === 'delivered' ? now : null}::timestamptz,
        dead_at = ${o.status === 'dead' ? now : null}::timestamptz
      WHERE id = ${deliveryId} AND claimed_by = ${owner}
      RETURNING id, total_attempts
    )
    INSERT INTO webhook_attempt (delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt)
    SELECT id, total_attempts, ${a.startedAt}::timestamptz, ${a.durationMs}::integer, ${a.statusCode}::integer, ${a.error}::text, ${a.responseExcerpt}::text
    FROM updated`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Dead letters back to pending for a fresh round of attempts (all of the subscription's, or the listed ones). */
export async function requeueDeadLetters(db: Db, subscriptionId: string, deliveryIds: readonly string[] | undefined, now: Date): Promise<number> {
  let q = db
    .updateTable('webhook_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, dead_at: null })
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'dead');
  if (deliveryIds) q = q.where('id', 'in', deliveryIds);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface DeliveryView {
  id: string;
  eventId: string;
  position: number;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  status: DeliveryStatus;
  attempts: number;
  totalAttempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: string | null;
  deadAt: string | null;
  createdAt: string;
}

export interface AttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

const deliveryColumns = [
  'id', 'event_id', 'position', 'event_type', 'aggregate_key', 'status', 'attempts', 'total_attempts', 'next_attempt_at',
  'last_attempt_at', 'last_status_code', 'last_error', 'last_duration_ms', 'delivered_at', 'dead_at', 'created_at',
] as const;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toDeliveryView(r: {
  id: string | number; event_id: string; position: string | number; event_type: string; aggregate_key: string; status: string;
  attempts: number; total_attempts: number; next_attempt_at: Date; last_attempt_at: Date | null; last_status_code: number | null;
  last_error: string | null; last_duration_ms: number | null; delivered_at: Date | null; dead_at: Date | null; created_at: Date;
}): DeliveryView {
  const colon = r.aggregate_key.indexOf(':');
  return {
    id: String(r.id),
    eventId: r.event_id,
    position: Number(r.position),
    eventType: r.event_type,
    aggregateType: r.aggregate_key.slice(0, colon),
    aggregateId: r.aggregate_key.slice(colon + 1),
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    totalAttempts: r.total_attempts,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    lastAttemptAt: iso(r.last_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastDurationMs: r.last_duration_ms,
    deliveredAt: iso(r.delivered_at),
    deadAt: iso(r.dead_at),
    createdAt: iso(r.created_at)!,
  };
}

/** The delivery log of a subscription, newest first, keyset-paginated by id. */
export async function listDeliveries(
  db: Db,
  subscriptionId: string,
  opts: { status?: DeliveryStatus; before?: string; limit: number },
): Promise<DeliveryView[]> {
  let q = db.selectFrom('webhook_delivery').select(deliveryColumns).where('subscription_id', '=', subscriptionId).orderBy('id', 'desc').limit(opts.limit);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.before) q = q.where('id', '<', opts.before);
  return (await q.execute()).map(toDeliveryView);
}

export async function findDelivery(db: Db, subscriptionId: string, deliveryId: string): Promise<(DeliveryView & { attemptLog: AttemptView[] }) | undefined> {
  const row = await db.selectFrom('webhook_delivery').select(deliveryColumns).where('subscription_id', '=', subscriptionId).where('id', '=', deliveryId).executeTakeFirst();
  if (!row) return undefined;
  const attempts = await db
    .selectFrom('webhook_attempt')
    .select(['attempt', 'started_at', 'duration_ms', 'status_code', 'error', 'response_excerpt'])
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute();
  return {
    ...toDeliveryView(row),
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: iso(a.started_at)!,
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      responseExcerpt: a.response_excerpt,
    })),
  };
}
