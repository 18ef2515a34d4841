/**
 * Payloads of the order events written to the outbox. They are the public contract for webhooks, NATS
 * and customer notifications: each carries what a consumer needs (customer contact and locale, order
 * number, amounts in minor units with currency, dates as ISO-8601 UTC), so no consumer reads Ordo's tables.
 * Add fields freely; never rename or remove one.
 */

export interface CustomerContact {
  customerId?: string;
  email?: string;
  phone?: string;
  name?: string;
  /** BCP 47, e.g. 'fr-FR', 'en-GB'; notifications fall back to French when absent or unsupported. */
  locale?: string;
  /** The customer opted out of non-essential messages (transactional ones about this order still go). */
  marketingOptOut?: boolean;
  /** IANA zone the customer's delivery dates are shown in; notifications default to Europe/Paris. */
  timeZone?: string;
}

export interface OrderRef {
  orderId: string;
  /** Human order number shown to the customer, e.g. 'ORD-2026-000123'. */
  orderNumber: string;
  channelId: string;
  channelType: 'web' | 'app' | 'pos' | 'callcenter' | 'social' | 'marketplace';
  customer: CustomerContact;
  currency: string;
}

export interface EventLine {
  lineId: string;
  sku: string;
  name?: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface PromiseWindow {
  /** Earliest and latest delivery (or ready-for-pickup) instants. */
  earliest: string;
  latest: string;
  /** Probability the latest date is met, e.g. 0.97. */
  confidence?: number;
}

export interface LocationRef {
  locationId: string;
  name: string;
  address?: { line1?: string; postalCode?: string; city?: string; country?: string };
  /** IANA zone of the location: pickup times are shown in it. */
  timeZone?: string;
}

export interface OrderConfirmed extends OrderRef {
  lines: EventLine[];
  totals: { subtotalMinor: number; discountMinor: number; shippingMinor: number; totalMinor: number };
  delivery: { method: 'ship' | 'pickup' | 'reserve_and_collect' | 'carry_out'; service?: string; pickupLocation?: LocationRef };
  promise?: PromiseWindow;
  /** POS orders: the store and associate; notifications send a digital receipt instead of a confirmation. */
  origin?: { storeId: string; associate?: string; storeName?: string };
}

export interface OrderReadyForPickup extends OrderRef {
  pickupCode: string;
  pickupLocation: LocationRef;
  /** The hold ends at this instant; after it the order is cancelled. */
  holdUntil: string;
}

/** The hold of a ready pickup ends soon: the same facts as when it became ready, sent once. */
export type OrderPickupReminder = OrderReadyForPickup;

export interface OrderShipped extends OrderRef {
  fulfillmentId: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  lines: Array<{ lineId: string; sku: string; name?: string; quantity: number }>;
  promise?: PromiseWindow;
}

/** `order.at_risk` (the promise is in danger) and `order.delayed` (its latest instant passed undelivered). */
export interface OrderDelayed extends OrderRef {
  /** The dates the customer was last given: the order's promise, or the last estimate that moved them. */
  previousPromise: PromiseWindow;
  /** The recomputed estimate. */
  newEta: PromiseWindow;
  reason: string;
}

/**
 * Whether the customer hears of this event: exactly when the estimate ends after the date they were last
 * given. An event that confirms that date (or brings it forward) says nothing to them.
 * @example previousPromise.latest Tue, newEta.latest Wed → true; both Wed → false
 */
export const movesCustomerDate = (p: Pick<OrderDelayed, 'previousPromise' | 'newEta'>): boolean => Date.parse(p.newEta.latest) > Date.parse(p.previousPromise.latest);

export interface OrderCancelled extends OrderRef {
  /** Codes with their own customer sentence: customer_request, not_collected, out_of_stock. */
  reason: string;
  /** Only some lines are cancelled; the rest of the order goes on. */
  partial?: boolean;
  /** Lines cancelled (all of them when the whole order is). */
  lines: Array<{ lineId: string; sku: string; name?: string; quantity: number }>;
}

export interface OrderRefunded extends OrderRef {
  refundId: string;
  amountMinor: number;
  reason?: string;
}

/** Event type → payload, for the types consumers switch on. */
export interface OrderEventPayloads {
  'order.confirmed': OrderConfirmed;
  'order.ready_for_pickup': OrderReadyForPickup;
  'order.pickup_reminder': OrderPickupReminder;
  'order.shipped': OrderShipped;
  'order.at_risk': OrderDelayed;
  'order.delayed': OrderDelayed;
  'order.cancelled': OrderCancelled;
  'order.refunded': OrderRefunded;
}
