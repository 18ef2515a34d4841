import type { OutboxEvent } from '../../db/outbox.js';
import { channelsFor, decideDelivery, isEssential, normalizeAddress, type Channel } from '../../domain/notifications/delivery-policy.js';
import { resolveLocale } from '../../domain/notifications/locale.js';
import { isCustomerEventType, render, templateFor, type CustomerEventType } from '../../domain/notifications/render.js';
import type { OrderEventPayloads, OrderRef } from '../../domain/orders/order-events.js';
import { deliverNotification } from './deliver-notification.js';
import { SEND_LEASE_MS, type NotificationDeps } from './notification-deps.js';
import { insertNotification, type NewNotification, type NotificationContent } from './notification.repository.js';
import { suppressionReasons } from './suppression.repository.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';
import { trackingLink } from '../tracking/tracking-token.js';
import { isUuid } from '../../domain/shared/ids.js';

/** State shared by the events of one batch. */
export interface NotifyPass {
  /** Channels whose provider just failed transiently: later messages are queued for retry instead of
   *  each waiting on the same outage (a batch stays short, and the dispatcher's lease with it). */
  downChannels: Set<Channel>;
  signal?: AbortSignal;
}

/**
 * Sends the customer messages an order event calls for, at most once per (event, channel).
 *
 * Each message is recorded before it is sent ('sending', or 'suppressed' by the unsubscribe rule), and a
 * redelivered event finds the record and sends nothing. Crash window: if the process dies after the
 * provider accepted a message but before it was marked 'sent', the row is retried once its send lease
 * (SEND_LEASE_MS) has passed, so that message may arrive twice; it carries the same Message-ID (SMS: the
 * same reference) both times, which lets mail clients and gateways drop the copy. Losing a pickup code
 * would be worse than a duplicate.
 */
export async function notifyCustomer(deps: NotificationDeps, event: OutboxEvent, pass: NotifyPass): Promise<void> {
  if (!isCustomerEventType(event.type) || !isOrderPayload(event.payload)) return;
  const type: CustomerEventType = event.type;
  const payload = event.payload as OrderEventPayloads[typeof type];
  const template = templateFor(type, payload);
  if (template === undefined) return;
  for (const channel of channelsFor(template, payload.customer)) {
    pass.signal?.throwIfAborted();
    const recipient = normalizeAddress(channel, channel === 'email' ? payload.customer.email! : payload.customer.phone!);
    const base = {
      eventId: event.eventId,
      eventType: type,
      orderId: payload.orderId,
      orderNumber: payload.orderNumber,
      channel,
      recipient,
      template,
      essential: isEssential(template),
    };
    const now = deps.clock.now();
    let message: { content: NotificationContent; locale: string };
    try {
      message = await compose(deps, type, payload, event.occurredAt, channel, recipient);
    } catch (err) {
      // A payload the templates cannot format (an unknown currency code...) must not block the stream.
      const locale = resolveLocale(payload.customer.locale).tag;
      const error = `not rendered: ${(err as Error).message}`;
      await insertNotification(deps.db, { ...base, locale, content: { text: '' }, status: 'failed', attempts: 0, nextAttemptAt: null, error, now });
      continue;
    }
    const decision = decideDelivery(template, await suppressionReasons(deps.db, channel, recipient), payload.customer.marketingOptOut === true);
    let row: NewNotification;
    if (!decision.send) {
      row = { ...base, ...message, status: 'suppressed', attempts: 0, nextAttemptAt: null, error: decision.reason, now };
    } else if (pass.downChannels.has(channel)) {
      row = { ...base, ...message, status: 'retrying', attempts: 0, nextAttemptAt: now, error: 'queued: provider unavailable', now };
    } else {
      row = { ...base, ...message, status: 'sending', attempts: 1, nextAttemptAt: new Date(now.getTime() + SEND_LEASE_MS), error: null, now };
    }
    // Nothing inserted: a redelivered event, already handled.
    const inserted = await insertNotification(deps.db, row);
    if (inserted?.status === 'sending' && (await deliverNotification(deps, inserted, pass.signal)) === 'retrying') {
      pass.downChannels.add(channel);
    }
  }
}

async function compose(
  deps: NotificationDeps,
  type: CustomerEventType,
  payload: OrderEventPayloads[CustomerEventType],
  occurredAt: string,
  channel: Channel,
  recipient: string,
): Promise<{ content: NotificationContent; locale: string }> {
  const language = resolveLocale(payload.customer.locale).language;
  const unsubscribeUrl =
    channel === 'email'
      ? `${deps.publicUrl}/v1/notifications/unsubscribe?token=${signUnsubscribeToken({ channel, address: recipient, language }, await deps.unsubscribeSecret())}`
      : undefined;
  // E-mails only: the link would not fit an SMS's one segment next to its text. Every order Ordo stores
  // has a UUID; an event naming anything else (a hand-made sample) gets its message without the link.
  const trackingUrl =
    channel === 'email' && isUuid(payload.orderId) ? trackingLink(deps.publicUrl, payload.orderId, await deps.trackingSecret(), deps.clock.now()) : undefined;
  const out = render(type, payload, { timeZone: deps.timeZone, occurredAt, brand: deps.brand, unsubscribeUrl, trackingUrl });
  const content: NotificationContent =
    channel === 'email'
      ? {
          ...out.email,
          // RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the same link.
          headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        }
      : { text: out.sms };
  return { content, locale: out.locale.tag };
}

/** The parts of the order event contract every template relies on. */
function isOrderPayload(p: unknown): p is OrderRef {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return typeof o.orderId === 'string' && typeof o.orderNumber === 'string' && typeof o.currency === 'string' && typeof o.customer === 'object' && o.customer !== null;
}
