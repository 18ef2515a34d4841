import { sql, type Selectable } from 'kysely';
import type { Db, DbOrTx } from '../../db/database.js';
import { OUTBOX_HEAD } from '../../db/outbox.js';
import type { WebhookSubscriptionTable } from '../../db/schema.js';

export type SubscriptionStatus = 'active' | 'paused';

export interface WebhookSubscription {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: SubscriptionStatus;
  maxAttempts: number;
  timeoutMs: number;
  /** Live delivery covers events positioned after this (the head of the log at creation). */
  startAfter: number;
  /** A replay in progress: events in (after, until] are being re-enqueued. */
  replay: { after: number; until: number } | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

type Row = Selectable<WebhookSubscriptionTable>;

function toSubscription(r: Row): WebhookSubscription {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    status: r.status as SubscriptionStatus,
    maxAttempts: r.max_attempts,
    timeoutMs: r.timeout_ms,
    startAfter: Number(r.start_after),
    replay: r.replay_after === null || r.replay_until === null ? null : { after: Number(r.replay_after), until: Number(r.replay_until) },
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const columns = [
  'id', 'url', 'description', 'event_types', 'secret', 'status', 'max_attempts', 'timeout_ms', 'start_after',
  'replay_after', 'replay_until', 'created_by', 'created_at', 'updated_at',
] as const;

/** The position of the newest positioned event (0 on an empty log). */
export async function headPosition(db: DbOrTx): Promise<number> {
  const r = await sql<{ head: string | number }>`SELECT ${OUTBOX_HEAD} AS head`.execute(db);
  return Number(r.rows[0]!.head);
}

export interface NewSubscription {
  url: string;
  description: string | null;
  eventTypes: string[];
  secret: string;
  maxAttempts: number;
  timeoutMs: number;
  createdBy: string;
  now: Date;
}

/** Inserts a subscription that starts after the current head of the log. */
export async function insertSubscription(db: DbOrTx, s: NewSubscription): Promise<WebhookSubscription> {
  const row = await db
    .insertInto('webhook_subscription')
    .values({
      url: s.url,
      description: s.description,
      event_types: s.eventTypes,
      secret: s.secret,
      max_attempts: s.maxAttempts,
      timeout_ms: s.timeoutMs,
      start_after: OUTBOX_HEAD,
      created_by: s.createdBy,
      created_at: s.now,
      updated_at: s.now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toSubscription(row);
}

export async function findSubscription(db: DbOrTx, id: string): Promise<WebhookSubscription | undefined> {
  const row = await db.selectFrom('webhook_subscription').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toSubscription(row);
}

/** Oldest first, keyset-paginated by (created_at, id). */
export async function listSubscriptions(db: Db, opts: { after?: { createdAt: string; id: string }; limit: number }): Promise<WebhookSubscription[]> {
  let q = db.selectFrom('webhook_subscription').select(columns).orderBy('created_at').orderBy('id').limit(opts.limit);
  if (opts.after) {
    const { createdAt, id } = opts.after;
    q = q.where((eb) => eb.or([eb('created_at', '>', new Date(createdAt)), eb.and([eb('created_at', '=', new Date(createdAt)), eb('id', '>', id)])]));
  }
  return (await q.execute()).map(toSubscription);
}

export interface SubscriptionPatch {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  status?: SubscriptionStatus;
  maxAttempts?: number;
  timeoutMs?: number;
}

export async function updateSubscription(db: Db, id: string, patch: SubscriptionPatch, now: Date): Promise<WebhookSubscription | undefined> {
  const row = await db
    .updateTable('webhook_subscription')
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.eventTypes !== undefined && { event_types: patch.eventTypes }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.maxAttempts !== undefined && { max_attempts: patch.maxAttempts }),
      ...(patch.timeoutMs !== undefined && { timeout_ms: patch.timeoutMs }),
      updated_at: now,
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && toSubscription(row);
}

/** Deletes a subscription with its deliveries and their attempt log. */
export async function deleteSubscription(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_subscription').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Starts (or restarts) a replay of the events in (after, until]. */
export async function startReplay(db: Db, id: string, after: number, until: number, now: Date): Promise<WebhookSubscription | undefined> {
  const row = await db
    .updateTable('webhook_subscription')
    .set({ replay_after: after, replay_until: until, updated_at: now })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && toSubscription(row);
}

/** Whether any subscription exists (paused ones count: their deliveries wait until resumed). */
export async function hasSubscriptions(db: DbOrTx): Promise<boolean> {
  return (await db.selectFrom('webhook_subscription').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** What fan-out needs of every subscription (paused ones too: their deliveries wait until resumed). */
export async function listFanOutTargets(db: DbOrTx): Promise<{ id: string; eventTypes: string[]; startAfter: number }[]> {
  const rows = await db.selectFrom('webhook_subscription').select(['id', 'event_types', 'start_after']).execute();
  return rows.map((r) => ({ id: r.id, eventTypes: r.event_types, startAfter: Number(r.start_after) }));
}
