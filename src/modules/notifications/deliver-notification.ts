import { MAX_ATTEMPTS, retryDelayMs } from '../../domain/notifications/delivery-policy.js';
import { DeliveryError, type SendReceipt } from './delivery-error.js';
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
  const provider = row.channel === 'email' ? deps.email.provider : deps.sms.provider;
  let receipt: SendReceipt;
  try {
    receipt = await send(deps, row, signal);
  } catch (err) {
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
  if (sent) sent.push({ row, receipt });
  else await markSent(deps.db, [{ row, receipt }], deps.clock.now());
  return 'sent';
}

function send(deps: NotificationDeps, row: NotificationRow, signal?: AbortSignal): Promise<SendReceipt> {
  const content = row.content;
  const reference = `${row.eventId}.${row.channel}`;
  if (row.channel === 'sms') return deps.sms.send(row.recipient, content.text, { reference, signal });
  if (!('subject' in content)) throw new Error(`notification ${row.id}: e-mail without a subject`);
  return deps.email.send(
    { to: row.recipient, subject: content.subject, text: content.text, html: content.html, headers: content.headers, messageId: `<${reference}@${deps.mailDomain}>` },
    signal,
  );
}
