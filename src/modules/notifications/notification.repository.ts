import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { DB, NotificationTable } from '../../db/schema.js';
import type { Channel } from '../../domain/notifications/delivery-policy.js';
import type { SendReceipt } from './delivery-error.js';

export type NotificationStatus = 'sending' | 'retrying' | 'sent' | 'failed' | 'suppressed';

/** What is sent, kept on the row so a retry sends exactly the same message. */
export type NotificationContent =
  | { subject: string; text: string; html: string; headers: Record<string, string> }
  | { text: string };

export interface NotificationRow {
  id: string;
  eventId: string;
  channel: Channel;
  recipient: string;
  status: NotificationStatus;
  attempts: number;
  content: NotificationContent;
}

/** A notification as the order timeline and the API show it. */
export interface NotificationRecord {
  id: string;
  orderId: string;
  orderNumber: string | null;
  eventId: string;
  eventType: string;
  channel: Channel;
  recipient: string;
  template: string;
  locale: string;
  essential: boolean;
  status: NotificationStatus;
  /** E-mail subject, or the SMS text. */
  summary: string;
  attempts: number;
  nextAttemptAt: string | null;
  provider: string | null;
  providerMessageId: string | null;
  providerResponse: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface NewNotification {
  eventId: string;
  eventType: string;
  orderId: string;
  orderNumber: string;
  channel: Channel;
  recipient: string;
  template: string;
  locale: string;
  essential: boolean;
  status: 'sending' | 'retrying' | 'suppressed' | 'failed';
  content: NotificationContent;
  attempts: number;
  nextAttemptAt: Date | null;
  error: string | null;
  now: Date;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toRow(r: Selectable<NotificationTable>): NotificationRow {
  return {
    id: String(r.id),
    eventId: r.event_id,
    channel: r.channel as Channel,
    recipient: r.recipient,
    status: r.status as NotificationStatus,
    attempts: r.attempts,
    content: r.content as NotificationContent,
  };
}

function toRecord(r: Selectable<NotificationTable>): NotificationRecord {
  const content = r.content as NotificationContent;
  return {
    id: String(r.id),
    orderId: r.order_id,
    orderNumber: r.order_number,
    eventId: r.event_id,
    eventType: r.event_type,
    channel: r.channel as Channel,
    recipient: r.recipient,
    template: r.template,
    locale: r.locale,
    essential: r.essential,
    status: r.status as NotificationStatus,
    summary: 'subject' in content ? content.subject : content.text,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    provider: r.provider,
    providerMessageId: r.provider_message_id,
    providerResponse: r.provider_response,
    error: r.error,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    sentAt: iso(r.sent_at),
  };
}

/**
 * Records notifications in one statement, except those that exist for the same event and channel (a
 * redelivered event); returns the new rows in the order given (ids are assigned in that order).
 */
export async function insertNotifications(db: DbOrTx, notifications: readonly NewNotification[]): Promise<NotificationRow[]> {
  if (notifications.length === 0) return [];
  const rows = await db
    .insertInto('notification')
    .values(
      notifications.map((n) => ({
        event_id: n.eventId,
        event_type: n.eventType,
        order_id: n.orderId,
        order_number: n.orderNumber,
        channel: n.channel,
        recipient: n.recipient,
        template: n.template,
        locale: n.locale,
        essential: n.essential,
        status: n.status,
        content: JSON.stringify(n.content),
        attempts: n.attempts,
        next_attempt_at: n.nextAttemptAt,
        error: n.error,
        created_at: n.now,
        updated_at: n.now,
      })),
    )
    .onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing())
    // Only the keys come back: the rest is what was just written (a message's content is kilobytes).
    .returning(['id', 'event_id', 'channel'])
    .execute();
  const given = new Map(notifications.map((n) => [`${n.eventId} ${n.channel}`, n]));
  return rows
    .map((r): NotificationRow => {
      const n = given.get(`${r.event_id} ${r.channel}`)!;
      return { id: String(r.id), eventId: r.event_id, channel: n.channel, recipient: n.recipient, status: n.status, attempts: n.attempts, content: n.content };
    })
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/**
 * Claims the notification whose retry (or send lease) is due first, skipping rows another process holds
 * and channels known to be down in this pass: the row becomes 'sending' under a new lease, one more attempt.
 */
export async function claimDueNotification(db: DbOrTx, now: Date, leaseUntil: Date, skipChannels: readonly Channel[]): Promise<NotificationRow | undefined> {
  const skip = skipChannels.length > 0 ? sql`AND channel NOT IN (${sql.join(skipChannels)})` : sql``;
  const result = await sql<Selectable<NotificationTable>>`
    UPDATE notification SET status = 'sending', attempts = attempts + 1, next_attempt_at = ${leaseUntil}, updated_at = ${now}
    WHERE id = (SELECT id FROM notification
                WHERE status IN ('sending', 'retrying') AND next_attempt_at <= ${now} ${skip}
                ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  const row = result.rows[0];
  return row ? toRow(row) : undefined;
}

// Every outcome is fenced by the attempt it belongs to: if a lease ran out and another process took the
// row over, the late outcome of the old attempt changes nothing.
const ofAttempt = (row: NotificationRow) => (eb: ExpressionBuilder<DB, 'notification'>) => eb.and([eb('id', '=', row.id), eb('attempts', '=', row.attempts), eb('status', '=', 'sending')]);

/** A provider accepted the message of this attempt. */
export interface SentMark {
  row: NotificationRow;
  receipt: SendReceipt;
}

/** Records accepted messages, many in one statement (each fenced by its attempt, as `ofAttempt`). */
export async function markSent(db: DbOrTx, sent: readonly SentMark[], now: Date): Promise<void> {
  if (sent.length === 0) return;
  const marks = sent.map(({ row, receipt }) => ({ id: row.id, attempts: row.attempts, provider: receipt.provider, message_id: receipt.providerMessageId, response: receipt.response ?? null }));
  await sql`
    UPDATE notification n
    SET status = 'sent', next_attempt_at = NULL, provider = m.provider, provider_message_id = m.message_id,
        provider_response = m.response, error = NULL, sent_at = ${now}, updated_at = ${now}
    FROM json_to_recordset(${JSON.stringify(marks)}::json) AS m(id bigint, attempts int, provider text, message_id text, response text)
    WHERE n.id = m.id AND n.attempts = m.attempts AND n.status = 'sending'`.execute(db);
}

/** A message not tried because its provider failed moments ago in the same pass: the retry task sends it. */
export async function markQueued(db: DbOrTx, row: NotificationRow, now: Date): Promise<void> {
  await db
    .updateTable('notification')
    .set({ status: 'retrying', attempts: 0, next_attempt_at: now, error: QUEUED_ERROR, updated_at: now })
    .where(ofAttempt(row))
    .execute();
}

/** Why a message waits for the retry task without having been tried. */
export const QUEUED_ERROR = 'queued: provider unavailable';

export async function markRetrying(db: DbOrTx, row: NotificationRow, provider: string, error: string, retryAt: Date, now: Date): Promise<void> {
  await db
    .updateTable('notification')
    .set({ status: 'retrying', next_attempt_at: retryAt, provider, error, updated_at: now })
    .where(ofAttempt(row))
    .execute();
}

export async function markFailed(db: DbOrTx, row: NotificationRow, provider: string, error: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('notification')
    .set({ status: 'failed', next_attempt_at: null, provider, error, updated_at: now })
    .where(ofAttempt(row))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Every notification about an order, oldest first: what the order timeline shows. */
export async function listNotificationsForOrder(db: DbOrTx, orderId: string): Promise<NotificationRecord[]> {
  const rows = await db.selectFrom('notification').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map(toRecord);
}
