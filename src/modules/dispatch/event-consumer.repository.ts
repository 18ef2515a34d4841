import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { OUTBOX_HEAD } from '../../db/outbox.js';

// Leases and retry times use the database clock (clock_timestamp()): it is the one clock every Ordo
// process shares, so a lease means the same thing to all of them.
const after = (ms: number) => sql`clock_timestamp() + make_interval(secs => ${ms / 1000})`;

/** Creates the cursor of consumers seen for the first time (an existing cursor is never touched). */
export async function registerConsumers(db: Db, consumers: readonly { name: string; startFrom?: 'beginning' | 'head' }[]): Promise<void> {
  for (const c of consumers) {
    const start = c.startFrom === 'head' ? OUTBOX_HEAD : sql`0`;
    await sql`INSERT INTO event_consumer (name, position) VALUES (${c.name}, ${start}) ON CONFLICT (name) DO NOTHING`.execute(db);
  }
}

/**
 * A read-only look before taking the lease: the last position of the log when there is anything after the
 * consumer's cursor, undefined otherwise, so an idle tick writes nothing (leases of idle consumers simply
 * lapse; whoever sees work first takes it). The tick reads no further than this head.
 */
export async function pendingHead(db: Db, name: string): Promise<number | undefined> {
  const result = await sql<{ head: string | number }>`
    SELECT h.head FROM event_consumer c, (SELECT ${OUTBOX_HEAD} AS head) h WHERE c.name = ${name} AND h.head > c.position`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : Number(row.head);
}

/**
 * Takes (or renews) the consumer's lease if it is free, expired or already ours, and the consumer is not
 * backing off after a failure; returns its cursor, or undefined when another process holds it.
 */
export async function acquireLease(db: Db, name: string, owner: string, leaseMs: number): Promise<number | undefined> {
  const result = await sql<{ position: string | number }>`
    UPDATE event_consumer SET lease_owner = ${owner}, lease_until = ${after(leaseMs)}
    WHERE name = ${name}
      AND (lease_owner = ${owner} OR lease_owner IS NULL OR lease_until < clock_timestamp())
      AND (retry_at IS NULL OR retry_at <= clock_timestamp())
    RETURNING position`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : Number(row.position);
}

/** Extends a lease we still hold; false once another process took it over. */
export async function renewLease(db: Db, name: string, owner: string, leaseMs: number): Promise<boolean> {
  const result = await sql`UPDATE event_consumer SET lease_owner = ${owner}, lease_until = ${after(leaseMs)}
    WHERE name = ${name} AND lease_owner = ${owner}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/**
 * Moves the cursor past a handled batch, fenced by the lease and the cursor it started from: a process
 * that lost its lease meanwhile changes nothing (the new holder redoes the batch: at-least-once).
 */
export async function advanceCursor(db: Db, name: string, owner: string, from: number, to: number, leaseMs: number): Promise<boolean> {
  const result = await sql`
    UPDATE event_consumer SET position = ${to}, lease_until = ${after(leaseMs)}, failures = 0, retry_at = NULL, updated_at = clock_timestamp()
    WHERE name = ${name} AND lease_owner = ${owner} AND position = ${from}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Records a failed batch; the consumer is retried (by any process) after `retryMs(consecutive failures)`. */
export async function recordFailure(db: Db, name: string, owner: string, error: string, retryMs: (failures: number) => number): Promise<void> {
  const current = await db.selectFrom('event_consumer').select('failures').where('name', '=', name).where('lease_owner', '=', owner).executeTakeFirst();
  if (!current) return;
  const failures = current.failures + 1;
  await sql`
    UPDATE event_consumer SET failures = ${failures}, retry_at = ${after(retryMs(failures))}, last_error = ${error.slice(0, 2_000)},
      last_error_at = clock_timestamp(), updated_at = clock_timestamp()
    WHERE name = ${name} AND lease_owner = ${owner}`.execute(db);
}

/** Gives up our leases at shutdown, so another process takes over at once instead of after expiry. */
export async function releaseLeases(db: Db, owner: string): Promise<void> {
  await db.updateTable('event_consumer').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).execute();
}

export interface ConsumerStatus {
  name: string;
  position: number;
  /** Positioned events the consumer has not handled yet. */
  lag: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  failures: number;
  retryAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export async function listConsumers(db: Db): Promise<ConsumerStatus[]> {
  const rows = await sql<{
    name: string; position: string | number; head: string | number; lease_owner: string | null; lease_until: Date | null;
    failures: number; retry_at: Date | null; last_error: string | null; last_error_at: Date | null;
  }>`
    SELECT c.name, c.position, h.head, c.lease_owner, c.lease_until, c.failures, c.retry_at, c.last_error, c.last_error_at
    FROM event_consumer c, (SELECT ${OUTBOX_HEAD} AS head) h
    ORDER BY c.name`.execute(db);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.rows.map((r) => ({
    name: r.name,
    position: Number(r.position),
    lag: Math.max(0, Number(r.head) - Number(r.position)),
    leaseOwner: r.lease_owner,
    leaseUntil: iso(r.lease_until),
    failures: r.failures,
    retryAt: iso(r.retry_at),
    lastError: r.last_error,
    lastErrorAt: iso(r.last_error_at),
  }));
}
