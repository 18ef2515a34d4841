import { MAX_ATTEMPTS, retryDelayMs } from '../../domain/notifications/delivery-policy.js';
import { DeliveryError, type SendReceipt } from './delivery-error.js';
import type { EmailMessage } from './mail-transport.js';
import type { NotificationDeps } from './notification-deps.js';
import { markFailed, markRetrying, markSent, type NotificationRow, type SentMark } from './notification.repository.js';
import { addSuppression } from './suppression.repository.js';

export type DeliveryOutcome = 'sent' | 'retrying' | 'failed';

/**
 * Hands a claimed ('sending') notification to its provider and records the outcome. A transient refusal
 * schedules the next attempt with backoff until MAX_ATTEMPTS; a permanent one fails the notification, and an
 * address the provider says does not exist is suppressed (hard bounce) so it is not tried again.
 * With `sent`, an accepted message is added there for the caller to record with others (`markSent`);
 * otherwise it is recorded at once.
 */
export async function deliverNotification(deps: NotificationDeps, row: NotificationRow, signal?: AbortSignal, sent?: SentMark[]): Promise<DeliveryOutcome> {
  let receipt: SendReceipt;
  try {
    receipt = row.channel === 'sms' ? await deps.sms.send(row.recipient, row.content.text, { reference: referenceOf(row), signal }) : await deps.email.send(emailOf(deps, row), signal);
  } catch (err) {
    return recordFailure(deps, row, err);
  }
  if (sent) sent.push({ row, receipt });
  else await markSent(deps.db, [{ row, receipt }], deps.clock.now());
  return 'sent';
}

/**
 * Claimed e-mails handed to the transport together, sent in order up to the first the provider refuses,
 * whose failure is recorded as `deliverNotification` records it: the same outcomes as delivering them one
 * by one and stopping there, with one hand-off to the mail thread instead of one per message. The accepted
 * ones are added to `sent`. Returns how many rows were handled (sent, plus the one that failed) and the
 * last one's outcome; the rows after it are the caller's to deliver or queue.
 */
export async function deliverEmails(deps: NotificationDeps, rows: readonly NotificationRow[], signal: AbortSignal | undefined, sent: SentMark[]): Promise<{ handled: number; last: DeliveryOutcome }> {
  const mails: EmailMessage[] = [];
  try {
    for (const row of rows) mails.push(emailOf(deps, row));
  } catch (err) {
    // A row that is no e-mail ends the batch before it; alone, it fails as it would one by one.
    if (mails.length === 0) return { handled: 1, last: await recordFailure(deps, rows[0]!, err) };
  }
  const { receipts, failure } = await deps.email.sendBatch(mails, signal);
  receipts.forEach((receipt, i) => sent.push({ row: rows[i]!, receipt }));
  if (!failure) return { handled: receipts.length, last: 'sent' };
  return { handled: receipts.length + 1, last: await recordFailure(deps, rows[receipts.length]!, failure) };
}

/** A refused send: retried with backoff while transient and attempts are left, failed otherwise (a hard bounce also suppresses the address). */
async function recordFailure(deps: NotificationDeps, row: NotificationRow, err: unknown): Promise<'retrying' | 'failed'> {
  const provider = row.channel === 'email' ? deps.email.provider : deps.sms.provider;
  const failure = err instanceof DeliveryError ? err : new DeliveryError(String((err as Error)?.message ?? err), 'transient');
  const now = deps.clock.now();
  const error = failure.message.slice(0, 2_000);
  if (failure.kind === 'transient' && row.attempts < MAX_ATTEMPTS) {
    const retryAt = new Date(now.getTime() + retryDelayMs(row.attempts, deps.random()));
    await markRetrying(deps.db, row, provider, error, retryAt, now);
    return 'retrying';
  }
  await deps.db.transaction().execute(async (tx) => {
    const failed = await markFailed(tx, row, provider, error, now);
    if (failed && failure.kind === 'invalid_recipient') {
      await addSuppression(tx, { channel: row.channel, address: row.recipient, reason: 'hard_bounce', note: error.slice(0, 500), createdBy: `system:${provider}`, now });
    }
  });
  return 'failed';
}

const referenceOf = (row: NotificationRow): string => `${row.eventId}.${row.channel}`;

function emailOf(deps: NotificationDeps, row: NotificationRow): EmailMessage {
  const content = row.content;
  if (!('subject' in content)) throw new Error(`notification ${row.id}: e-mail without a subject`);
  return { to: row.recipient, subject: content.subject, text: content.text, html: content.html, headers: content.headers, messageId: `<${referenceOf(row)}@${deps.mailDomain}>` };
}
