import { FULFILLMENT_EVENT_TYPES } from '../fulfillment/fulfillment-events.js';
import type { OrderEventPayloads } from '../orders/order-events.js';
import { RETURN_EVENT_TYPES } from '../returns/return-events.js';

const ORDER_EVENT_TYPES: readonly (keyof OrderEventPayloads)[] = [
  'order.confirmed',
  'order.ready_for_pickup',
  'order.pickup_reminder',
  'order.shipped',
  'order.at_risk',
  'order.delayed',
  'order.cancelled',
  'order.refunded',
];

/**
 * Every event type Ordo writes to its outbox: subscriptions are checked against it, so a typo in a
 * filter is a 400 instead of a webhook that silently never fires. A context that emits a new type adds it here.
 */
export const EVENT_TYPES: readonly string[] = [
  ...ORDER_EVENT_TYPES,
  ...FULFILLMENT_EVENT_TYPES,
  ...RETURN_EVENT_TYPES,
  'order.delivery_changed',
  'order.replanned',
  'channel.upserted',
  'demo.loaded',
  'inventory.safety_stock_changed',
  'inventory.shortfall_resolved',
  'location.upserted',
  'product.upserted',
  'products.imported',
  'reservation.created',
  'reservation.released',
  'reservation.reduced',
  'reservation.expired',
  'reservation.consumed',
  'stock.changed',
  'supply.recorded',
  'supply.received',
  'supply.cancelled',
];

const SEGMENT = '[a-z][a-z0-9_]*';
const PATTERN = new RegExp(`^(\\*|${SEGMENT}(\\.${SEGMENT})*(\\.\\*)?)$`);

/**
 * Whether an event type matches a subscription filter: an exact type (`order.shipped`), a family
 * (`order.*` matches `order.shipped` and `order.line.cancelled`, not `orders.imported`) or `*` (everything).
 */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

export interface EventTypePatternProblems {
  /** Not of the form `*`, `family.*` or `family.name`. */
  malformed: string[];
  /** Well formed, but no known event type matches it. */
  unknown: string[];
}

/** Checks subscription filters against the known types; both lists empty means valid. */
export function checkEventTypePatterns(patterns: readonly string[], known: readonly string[] = EVENT_TYPES): EventTypePatternProblems {
  const malformed = patterns.filter((p) => !PATTERN.test(p));
  const unknown = patterns.filter((p) => PATTERN.test(p) && !known.some((type) => matchesEventType([p], type)));
  return { malformed, unknown };
}
