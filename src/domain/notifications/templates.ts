import type {
  EventLine,
  LocationRef,
  OrderCancelled,
  OrderConfirmed,
  OrderDelayed,
  OrderPickupReminder,
  OrderReadyForPickup,
  OrderRefunded,
  OrderShipped,
  PromiseWindow,
} from '../orders/order-events.js';
import { formatDateTime, formatDayRange, formatMoney, formatShortDateTime, validTimeZone } from './format.js';
import type { MessageLocale } from './locale.js';
import type { MessageDoc } from './message-layout.js';
import type { Messages } from './messages.js';

/** Everything a template needs besides its payload. */
export interface TemplateContext {
  t: Messages;
  locale: MessageLocale;
  /** Zone for dates when the payload names none (customer's or store's). */
  defaultTimeZone: string;
  /** When the event happened (the receipt's date of purchase). */
  occurredAt: string;
  brand: string;
}

/** A message in one language: the e-mail's content and the SMS text. */
export interface TemplateOutput {
  doc: MessageDoc;
  sms: string;
}

const money = (c: TemplateContext, minor: number, currency: string) => formatMoney(minor, currency, c.locale.tag);
const customerZone = (c: TemplateContext, zone: string | undefined) => validTimeZone(zone, c.defaultTimeZone);
const windowText = (c: TemplateContext, w: PromiseWindow, zone: string) => formatDayRange(w.earliest, w.latest, c.locale.tag, zone);

function place(l: LocationRef): string {
  const a = l.address;
  const street = [a?.line1, [a?.postalCode, a?.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return street ? `${l.name} – ${street}` : l.name;
}

function base(c: TemplateContext, p: { orderNumber: string; customer: { name?: string } }, subject: string, preheader: string): MessageDoc {
  return {
    subject,
    preheader,
    greeting: c.t.greeting(p.customer.name?.trim() || undefined),
    paragraphs: [],
    facts: [{ label: c.t.labels.orderNumber, value: p.orderNumber }],
    closing: [],
    signoff: c.t.signoff(c.brand),
    footer: [c.t.footer(p.orderNumber, c.brand)],
  };
}

function pricedItems(c: TemplateContext, lines: EventLine[], currency: string): MessageDoc['items'] {
  return {
    heading: c.t.labels.items,
    rows: lines.map((l) => ({ name: l.name ?? l.sku, quantity: String(l.quantity), amount: money(c, l.lineTotalMinor, currency) })),
  };
}

function items(heading: string, lines: Array<{ sku: string; name?: string; quantity: number }>): MessageDoc['items'] {
  return { heading, rows: lines.map((l) => ({ name: l.name ?? l.sku, quantity: String(l.quantity) })) };
}

function totals(c: TemplateContext, p: OrderConfirmed): NonNullable<MessageDoc['totals']> {
  const { labels } = c.t;
  const rows: NonNullable<MessageDoc['totals']> = [{ label: labels.subtotal, value: money(c, p.totals.subtotalMinor, p.currency) }];
  if (p.totals.discountMinor !== 0) rows.push({ label: labels.discount, value: money(c, -Math.abs(p.totals.discountMinor), p.currency) });
  if (p.delivery.method === 'ship') {
    rows.push({ label: labels.shipping, value: p.totals.shippingMinor === 0 ? labels.free : money(c, p.totals.shippingMinor, p.currency) });
  }
  rows.push({ label: labels.total, value: money(c, p.totals.totalMinor, p.currency), strong: true });
  return rows;
}

function deliveryFacts(c: TemplateContext, p: OrderConfirmed): MessageDoc['facts'] {
  const { labels } = c.t;
  const facts: MessageDoc['facts'] = [{ label: labels.delivery, value: c.t.deliveryMethods[p.delivery.method] }];
  const pickup = p.delivery.pickupLocation;
  if (pickup) facts.push({ label: labels.store, value: place(pickup) });
  if (p.promise && p.delivery.method === 'ship') {
    facts.push({ label: labels.estimatedDelivery, value: windowText(c, p.promise, customerZone(c, p.customer.timeZone)) });
  } else if (p.promise && p.delivery.method !== 'carry_out') {
    const zone = customerZone(c, pickup?.timeZone ?? p.customer.timeZone);
    facts.push({ label: labels.readyFrom, value: formatDateTime(p.promise.earliest, c.locale.tag, zone) });
  }
  return facts;
}

export function orderConfirmation(c: TemplateContext, p: OrderConfirmed): TemplateOutput {
  const m = c.t.confirmation;
  const doc = base(c, p, m.subject(p.orderNumber), m.intro);
  doc.paragraphs.push(m.intro);
  doc.facts.push(...deliveryFacts(c, p));
  doc.items = pricedItems(c, p.lines, p.currency);
  doc.totals = totals(c, p);
  doc.closing.push(m.closing);
  return { doc, sms: m.sms(c.brand, p.orderNumber, money(c, p.totals.totalMinor, p.currency)) };
}

export function storeReceipt(c: TemplateContext, p: OrderConfirmed): TemplateOutput {
  const m = c.t.receipt;
  const store = p.origin?.storeName ?? p.origin?.storeId ?? c.brand;
  const doc = base(c, p, m.subject(p.orderNumber), m.intro(store));
  doc.paragraphs.push(m.intro(store));
  doc.facts.push({ label: c.t.labels.purchaseDate, value: formatDateTime(c.occurredAt, c.locale.tag, customerZone(c, p.customer.timeZone)) });
  if (p.delivery.method !== 'carry_out') doc.facts.push(...deliveryFacts(c, p));
  doc.items = pricedItems(c, p.lines, p.currency);
  doc.totals = totals(c, p);
  doc.closing.push(m.closing);
  return { doc, sms: m.sms(c.brand, p.orderNumber, money(c, p.totals.totalMinor, p.currency)) };
}

export function pickupReady(c: TemplateContext, p: OrderReadyForPickup): TemplateOutput {
  return pickupMessage(c, p, c.t.pickupReady);
}

/** The same facts as pickupReady (code, store, deadline), worded as a reminder before the hold ends. */
export function pickupReminder(c: TemplateContext, p: OrderPickupReminder): TemplateOutput {
  return pickupMessage(c, p, c.t.pickupReminder);
}

function pickupMessage(c: TemplateContext, p: OrderReadyForPickup, m: TemplateContext['t']['pickupReady']): TemplateOutput {
  const zone = customerZone(c, p.pickupLocation.timeZone ?? p.customer.timeZone);
  const doc = base(c, p, m.subject(p.orderNumber), m.intro(p.pickupLocation.name));
  doc.paragraphs.push(m.intro(p.pickupLocation.name));
  doc.highlight = { label: c.t.labels.pickupCode, value: p.pickupCode };
  doc.facts.push(
    { label: c.t.labels.store, value: place(p.pickupLocation) },
    { label: c.t.labels.collectBefore, value: formatDateTime(p.holdUntil, c.locale.tag, zone) },
  );
  doc.closing.push(m.closing);
  const until = formatShortDateTime(p.holdUntil, c.locale.tag, zone);
  return { doc, sms: m.sms(c.brand, p.orderNumber, p.pickupLocation.name, p.pickupCode, until) };
}

export function orderShipped(c: TemplateContext, p: OrderShipped): TemplateOutput {
  const m = c.t.shipped;
  const doc = base(c, p, m.subject(p.orderNumber), m.intro);
  doc.paragraphs.push(m.intro);
  doc.facts.push(
    { label: c.t.labels.carrier, value: p.service ? `${p.carrier} (${p.service})` : p.carrier },
    { label: c.t.labels.trackingNumber, value: p.trackingNumber },
  );
  if (p.promise) doc.facts.push({ label: c.t.labels.estimatedDelivery, value: windowText(c, p.promise, customerZone(c, p.customer.timeZone)) });
  if (p.trackingUrl) doc.action = { label: m.track, url: p.trackingUrl };
  doc.items = items(m.itemsHeading, p.lines);
  return { doc, sms: m.sms(c.brand, p.orderNumber, p.carrier, p.trackingUrl ?? p.trackingNumber) };
}

export function orderDelayed(c: TemplateContext, p: OrderDelayed): TemplateOutput {
  const m = c.t.delayed;
  const zone = customerZone(c, p.customer.timeZone);
  const eta = windowText(c, p.newEta, zone);
  const doc = base(c, p, m.subject(p.orderNumber), m.intro);
  doc.paragraphs.push(m.intro);
  doc.highlight = { label: c.t.labels.newEstimate, value: eta };
  doc.facts.push({ label: c.t.labels.previousEstimate, value: windowText(c, p.previousPromise, zone) });
  doc.closing.push(m.closing);
  return { doc, sms: m.sms(c.brand, p.orderNumber, eta) };
}

export function orderCancelled(c: TemplateContext, p: OrderCancelled): TemplateOutput {
  const m = c.t.cancelled;
  const partial = p.partial === true;
  const reason = (Object.hasOwn(m.reasons, p.reason) ? m.reasons[p.reason]! : m.genericReason)(partial);
  const doc = base(c, p, m.subject(p.orderNumber, partial), reason);
  doc.paragraphs.push(reason);
  if (p.lines.length > 0) doc.items = items(m.itemsHeading, p.lines);
  doc.closing.push(m.closing);
  return { doc, sms: m.sms(c.brand, p.orderNumber, partial) };
}

export function orderRefunded(c: TemplateContext, p: OrderRefunded): TemplateOutput {
  const m = c.t.refunded;
  const amount = money(c, p.amountMinor, p.currency);
  const doc = base(c, p, m.subject(p.orderNumber, amount), m.intro(amount));
  doc.paragraphs.push(m.intro(amount));
  doc.facts.push({ label: c.t.labels.refundAmount, value: amount }, { label: c.t.labels.refundReference, value: p.refundId });
  doc.closing.push(m.closing);
  return { doc, sms: m.sms(c.brand, p.orderNumber, amount) };
}
