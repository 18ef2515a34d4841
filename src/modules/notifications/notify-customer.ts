import { setImmediate } from 'node:timers/promises';
import type { OutboxEvent } from '../../db/outbox.js';
import { channelsFor, decideDelivery, isEssential, normalizeAddress, type Channel } from '../../domain/notifications/delivery-policy.js';
import { resolveLocale } from '../../domain/notifications/locale.js';
import { isCustomerEventType, render, templateFor, type CustomerEventType, type TemplateId } from '../../domain/notifications/render.js';
import type { OrderEventPayloads, OrderRef } from '../../domain/orders/order-events.js';
import { deliverEmails, deliverNotification } from './deliver-notification.js';
import { SEND_LEASE_MS, type NotificationDeps } from './notification-deps.js';
import { insertNotifications, markQueued, markSent, QUEUED_ERROR, type NewNotification, type NotificationContent, type NotificationRow, type SentMark } from './notification.repository.js';
import { suppressionKey, suppressionReasonsOf } from './suppression.repository.js';
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

/** Events whose messages are recorded and sent together (three statements, two commits per chunk). */
const CHUNK_EVENTS = 100;
/** Events rendered between two turns of the event loop. */
const RENDER_SLICE = 10;

/**
 * Sends the customer messages the order events call for, at most once per (event, channel), in event order
 * on each channel.
 *
 * Each message is recorded before it is sent ('sending', or 'suppressed' by the unsubscribe rule), and a
 * redelivered event finds the record and sends nothing. The events go by chunks: one read of the
 * recipients' suppressions, one insert of the chunk's messages, the sends (the e-mails handed to the mail
 * thread in one batch), then one update recording the accepted ones. Crash window: if the process dies after a provider accepted messages but before they were
 * marked 'sent', those rows are retried once their send lease (SEND_LEASE_MS) has passed, so they may
 * arrive twice (at most one chunk's); each carries the same Message-ID (SMS: the same reference) both
 * times, which lets mail clients and gateways drop the copy. Losing a pickup code would be worse than a
 * duplicate.
 */
export async function notifyCustomers(deps: NotificationDeps, events: readonly OutboxEvent[], pass: NotifyPass): Promise<void> {
  for (let i = 0; i < events.length; i += CHUNK_EVENTS) await notifyChunk(deps, events.slice(i, i + CHUNK_EVENTS), pass);
}

type Draft = Omit<NewNotification, 'status' | 'attempts' | 'nextAttemptAt' | 'error' | 'now' | 'template'> & { template: TemplateId; marketingOptOut: boolean; renderError?: string };

async function notifyChunk(deps: NotificationDeps, events: readonly OutboxEvent[], pass: NotifyPass): Promise<void> {
  pass.signal?.throwIfAborted();
  const drafts: Draft[] = [];
  for (const [i, event] of events.entries()) {
    // Rendering is CPU work whose awaits resolve at once: a chunk's 100 events would hold the event loop
    // that answers the API for ~10 ms (a consumer catching up on a backlog renders full chunks).
    if (i > 0 && i % RENDER_SLICE === 0) await setImmediate();
    drafts.push(...(await draftsOf(deps, event)));
  }
  if (drafts.length === 0) return;
  const suppressions = await suppressionReasonsOf(deps.db, drafts.map((d) => ({ channel: d.channel, address: d.recipient })));
  const now = deps.clock.now();
  const rows = drafts.map((d): NewNotification => {
    const { marketingOptOut, renderError, ...base } = d;
    // A payload the templates cannot format (an unknown currency code...) must not block the stream.
    if (renderError !== undefined) return { ...base, status: 'failed', attempts: 0, nextAttemptAt: null, error: renderError, now };
    const decision = decideDelivery(d.template, suppressions.get(suppressionKey(d.channel, d.recipient)) ?? [], marketingOptOut);
    if (!decision.send) return { ...base, status: 'suppressed', attempts: 0, nextAttemptAt: null, error: decision.reason, now };
    if (pass.downChannels.has(d.channel)) return { ...base, status: 'retrying', attempts: 0, nextAttemptAt: now, error: QUEUED_ERROR, now };
    return { ...base, status: 'sending', attempts: 1, nextAttemptAt: new Date(now.getTime() + SEND_LEASE_MS), error: null, now };
  });
  // Only new rows come back: a redelivered event's messages were handled.
  const inserted = await insertNotifications(deps.db, rows);
  // The e-mails first, in event order, so they go to the mail thread together (each channel keeps its order).
  const sending = inserted.filter((row) => row.status === 'sending').sort((a, b) => Number(b.channel === 'email') - Number(a.channel === 'email'));
  const sent: SentMark[] = [];
  try {
    for (let i = 0; i < sending.length; ) {
      const row = sending[i]!;
      pass.signal?.throwIfAborted();
      if (pass.downChannels.has(row.channel)) {
        // Its provider just failed transiently: queued for the retry task instead of waiting on the same outage.
        await markQueued(deps.db, row, deps.clock.now());
        i++;
        continue;
      }
      // This e-mail and the ones after it in one hand-off to the mail thread, in order, up to a refusal.
      const { handled, last } =
        row.channel === 'email'
          ? await deliverEmails(deps, emailsFrom(sending, i), pass.signal, sent)
          : { handled: 1, last: await deliverNotification(deps, row, pass.signal, sent) };
      if (last === 'retrying') pass.downChannels.add(row.channel);
      i += handled;
    }
  } finally {
    await markSent(deps.db, sent, deps.clock.now());
  }
}

/** The e-mails of `rows` from index `from` up to the next row of another channel. */
function emailsFrom(rows: readonly NotificationRow[], from: number): NotificationRow[] {
  let to = from;
  while (to < rows.length && rows[to]!.channel === 'email') to++;
  return rows.slice(from, to);
}

/** The messages one event calls for, one per channel, rendered (or with why it could not be). */
async function draftsOf(deps: NotificationDeps, event: OutboxEvent): Promise<Draft[]> {
  if (!isCustomerEventType(event.type) || !isOrderPayload(event.payload)) return [];
  const type: CustomerEventType = event.type;
  const payload = event.payload as OrderEventPayloads[typeof type];
  const template = templateFor(type, payload);
  if (template === undefined) return [];
  const drafts: Draft[] = [];
  for (const channel of channelsFor(template, payload.customer)) {
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
      marketingOptOut: payload.customer.marketingOptOut === true,
    };
    try {
      drafts.push({ ...base, ...(await compose(deps, type, payload, event.occurredAt, channel, recipient)) });
    } catch (err) {
      drafts.push({ ...base, locale: resolveLocale(payload.customer.locale).tag, content: { text: '' }, renderError: `not rendered: ${(err as Error).message}` });
    }
  }
  return drafts;
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
