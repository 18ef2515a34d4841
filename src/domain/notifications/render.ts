import { movesCustomerDate, type OrderEventPayloads } from '../orders/order-events.js';
import { type EmailParts, layoutEmail } from './message-layout.js';
import { resolveLocale, type Language, type MessageLocale } from './locale.js';
import { en } from './messages.en.js';
import { fr } from './messages.fr.js';
import type { Messages } from './messages.js';
import * as templates from './templates.js';
import type { TemplateContext, TemplateOutput } from './templates.js';

const MESSAGES: Record<Language, Messages> = { fr, en };

/** The messages customers get; `store_receipt` replaces `order_confirmation` for orders taken at a POS. */
export const TEMPLATES = [
  'order_confirmation',
  'store_receipt',
  'pickup_ready',
  'pickup_reminder',
  'order_shipped',
  'order_delayed',
  'order_cancelled',
  'order_refunded',
] as const;
export type TemplateId = (typeof TEMPLATES)[number];

/** Event types customers may hear about (`templateFor` says which of their events do). */
export const CUSTOMER_EVENT_TYPES = [
  'order.confirmed',
  'order.ready_for_pickup',
  'order.pickup_reminder',
  'order.shipped',
  'order.at_risk',
  'order.delayed',
  'order.cancelled',
  'order.refunded',
] as const;
export type CustomerEventType = (typeof CUSTOMER_EVENT_TYPES)[number];

export const isCustomerEventType = (type: string): type is CustomerEventType => (CUSTOMER_EVENT_TYPES as readonly string[]).includes(type);

/**
 * Which template an event uses, undefined when it says nothing to the customer. An order confirmed at a
 * point of sale gets a digital receipt. A delay, at risk or already late, is told exactly when it moves the
 * customer's date (`movesCustomerDate`): the late event that only confirms the date they were given, or an
 * order at risk still expected on time, stays internal.
 */
export function templateFor<T extends CustomerEventType>(type: T, payload: OrderEventPayloads[T]): TemplateId | undefined {
  switch (type) {
    case 'order.confirmed': {
      const p = payload as OrderEventPayloads['order.confirmed'];
      return p.channelType === 'pos' || p.origin !== undefined ? 'store_receipt' : 'order_confirmation';
    }
    case 'order.ready_for_pickup':
      return 'pickup_ready';
    case 'order.pickup_reminder':
      return 'pickup_reminder';
    case 'order.shipped':
      return 'order_shipped';
    case 'order.at_risk':
    case 'order.delayed':
      return movesCustomerDate(payload as OrderEventPayloads['order.delayed']) ? 'order_delayed' : undefined;
    case 'order.cancelled':
      return 'order_cancelled';
    default:
      return 'order_refunded';
  }
}

export interface RenderOptions {
  /** The customer's BCP 47 locale; French when absent or not a language we write. */
  locale?: string;
  /** Zone for dates when the payload carries none, e.g. 'Europe/Paris'. */
  timeZone: string;
  /** When the event happened (ISO-8601). */
  occurredAt: string;
  /** Retailer name shown in the messages. */
  brand: string;
  /** Signed link that stops optional messages to this recipient. */
  unsubscribeUrl?: string;
  /** Signed link to the order's tracking page, shown in the messages about its progress (`showsTracking`). */
  trackingUrl?: string;
}

export interface RenderedNotification {
  template: TemplateId;
  locale: MessageLocale;
  email: EmailParts;
  /** Short text for SMS. */
  sms: string;
}

/**
 * Renders the customer message for an order event, in the customer's language, with amounts and dates
 * formatted for their locale and time zone. Pure: same input, same output. Only for an event `templateFor`
 * gives a template (a bug otherwise).
 *
 * @example render('order.shipped', payload, { locale: 'en-GB', timeZone: 'Europe/Paris', occurredAt, brand: 'Maison' })
 *   → { template: 'order_shipped', email: { subject: 'Your order ORD-1 has shipped', text, html }, sms }
 */
export function render<T extends CustomerEventType>(type: T, payload: OrderEventPayloads[T], opts: RenderOptions): RenderedNotification {
  const locale = resolveLocale(opts.locale ?? payload.customer.locale);
  const template = templateFor(type, payload);
  if (template === undefined) throw new Error(`${type} of ${payload.orderNumber} has no customer message`);
  const ctx: TemplateContext = { t: MESSAGES[locale.language], locale, defaultTimeZone: opts.timeZone, occurredAt: opts.occurredAt, brand: opts.brand };
  const out = build(template, payload, ctx);
  if (opts.unsubscribeUrl) out.doc.unsubscribe = { label: ctx.t.unsubscribe, url: opts.unsubscribeUrl };
  if (opts.trackingUrl && showsTracking(template, payload)) out.doc.orderLink = { label: ctx.t.trackOrder, url: opts.trackingUrl };
  return { template, locale, email: layoutEmail(out.doc, locale.language), sms: out.sms };
}

/**
 * Messages about an order still on its way link its tracking page: confirmation, ready for pickup (and
 * the reminder), shipped, delayed, and a store receipt when the goods are delivered or collected later.
 * Cancellations, refunds and a carry-out receipt have nothing left to follow.
 */
export function showsTracking(template: TemplateId, payload: unknown): boolean {
  if (template === 'store_receipt') return (payload as OrderEventPayloads['order.confirmed']).delivery.method !== 'carry_out';
  return template !== 'order_cancelled' && template !== 'order_refunded';
}

function build(template: TemplateId, payload: unknown, c: TemplateContext): TemplateOutput {
  switch (template) {
    case 'order_confirmation':
      return templates.orderConfirmation(c, payload as OrderEventPayloads['order.confirmed']);
    case 'store_receipt':
      return templates.storeReceipt(c, payload as OrderEventPayloads['order.confirmed']);
    case 'pickup_ready':
      return templates.pickupReady(c, payload as OrderEventPayloads['order.ready_for_pickup']);
    case 'pickup_reminder':
      return templates.pickupReminder(c, payload as OrderEventPayloads['order.pickup_reminder']);
    case 'order_shipped':
      return templates.orderShipped(c, payload as OrderEventPayloads['order.shipped']);
    case 'order_delayed':
      return templates.orderDelayed(c, payload as OrderEventPayloads['order.delayed']);
    case 'order_cancelled':
      return templates.orderCancelled(c, payload as OrderEventPayloads['order.cancelled']);
    case 'order_refunded':
      return templates.orderRefunded(c, payload as OrderEventPayloads['order.refunded']);
  }
}
