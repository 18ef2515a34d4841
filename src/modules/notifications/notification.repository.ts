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
 * Records a notification unless one exists for the same event and channel (a redelivered event);
 * returns the new row, or undefined when it was already there.
 */
export async function insertNotification(db: DbOrTx, n: NewNotification): Promise<NotificationRow | undefined> {
  const row = await db
    .insertInto('notification')
    .values({
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
    })
    .onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
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

export async function markSent(db: DbOrTx, row: NotificationRow, receipt: SendReceipt, now: Date): Promise<void> {
  await db
    .updateTable('notification')
    .set({
      status: 'sent',
      next_attempt_at: null,
      provider: receipt.provider,
      provider_message_id: receipt.providerMessageId,
      provider_response: receipt.response ?? null,
      error: null,
      sent_at: now,
      updated_at: now,
    })
    .where(ofAttempt(row))
    .execute();
}

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
