import { fail, type Failure } from '../shared/result.js';

/**
 * Order and order-line lifecycles as data: a transition table per level, `assertTransition` to refuse an
 * impossible change (a 409 at the API), and `deriveOrderStatus`, which computes an order's status from
 * its lines so the two levels never disagree.
 *
 * Line: pending -> allocated (stock reserved) | backordered (awaiting supply) | completed (carried out at
 * the counter); allocated -> in_fulfillment -> shipped | ready_for_pickup -> completed. Cancelling is
 * possible until a location starts fulfilling the line, and for an uncollected pickup.
 */

export const LINE_STATUSES = ['pending', 'backordered', 'allocated', 'in_fulfillment', 'shipped', 'ready_for_pickup', 'completed', 'cancelled'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export const ORDER_STATUSES = [
  'pending',
  'backordered',
  'allocated',
  'in_fulfillment',
  'partially_shipped',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const LINE_TRANSITIONS: Readonly<Record<LineStatus, readonly LineStatus[]>> = {
  pending: ['allocated', 'backordered', 'completed', 'cancelled'],
  backordered: ['allocated', 'cancelled'],
  // back to backordered: the reserved units were lost (a feed lowered on hand) and re-sourcing waits for supply
  // shipped at once: a drop-ship supplier confirms its shipment without the store steps
  allocated: ['in_fulfillment', 'backordered', 'ready_for_pickup', 'shipped', 'cancelled'],
  // back to allocated / backordered: the location rejected or short-picked and the line is re-sourced;
  // cancelled / completed: units found nowhere else are cancelled, leaving nothing or only delivered units
  in_fulfillment: ['allocated', 'backordered', 'shipped', 'ready_for_pickup', 'completed', 'cancelled'],
  shipped: ['completed'],
  ready_for_pickup: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/**
 * Exactly the order status changes `deriveOrderStatus` produces when one line takes one allowed step
 * (the lifecycle test derives them and compares both ways), so a line change never yields an order
 * change this table refuses.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  // pending lines exist only while an order is being placed (or a line is re-sourced)
  pending: ['allocated', 'backordered', 'in_fulfillment', 'partially_shipped', 'completed', 'cancelled'],
  backordered: ['pending', 'allocated', 'in_fulfillment', 'partially_shipped', 'cancelled'],
  allocated: ['backordered', 'in_fulfillment', 'partially_shipped', 'shipped', 'ready_for_pickup', 'cancelled'],
  in_fulfillment: ['pending', 'allocated', 'backordered', 'partially_shipped', 'shipped', 'ready_for_pickup', 'completed', 'cancelled'],
  partially_shipped: ['shipped', 'completed'],
  shipped: ['completed'],
  ready_for_pickup: ['partially_shipped', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const canTransitionLine = (from: LineStatus, to: LineStatus): boolean => LINE_TRANSITIONS[from].includes(to);
export const canTransitionOrder = (from: OrderStatus, to: OrderStatus): boolean => ORDER_TRANSITIONS[from].includes(to);

/** A Failure (code `invalid_transition`) when `from -> to` is not in the table; undefined when allowed. */
export function assertTransition(level: 'order' | 'line', from: string, to: string, subject?: string): Failure | undefined {
  const allowed = level === 'order' ? ORDER_TRANSITIONS[from as OrderStatus] : LINE_TRANSITIONS[from as LineStatus];
  if (allowed?.includes(to as never)) return undefined;
  const what = subject ? `${level} ${subject}` : `the ${level}`;
  return fail('invalid_transition', `${what} cannot go from ${from} to ${to}`, { level, from, to, ...(subject ? { subject } : {}), allowed: allowed ?? [] });
}

const SHIPPED_OR_DONE: ReadonlySet<LineStatus> = new Set(['shipped', 'completed']);

/**
 * An order's status from its lines. Cancelled lines do not count unless every line is cancelled.
 * Precedence, first match: all completed; all shipped or completed (shipped); some shipped or completed
 * (partially_shipped); all ready for pickup; any being fulfilled or ready (in_fulfillment); any
 * backordered; any pending; otherwise allocated.
 *
 * Example: [allocated, backordered] -> backordered; [shipped, cancelled] -> shipped.
 */
export function deriveOrderStatus(lines: readonly LineStatus[]): OrderStatus {
  const live = lines.filter((s) => s !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.every((s) => s === 'completed')) return 'completed';
  if (live.every((s) => SHIPPED_OR_DONE.has(s))) return 'shipped';
  if (live.some((s) => SHIPPED_OR_DONE.has(s))) return 'partially_shipped';
  if (live.every((s) => s === 'ready_for_pickup')) return 'ready_for_pickup';
  if (live.some((s) => s === 'in_fulfillment' || s === 'ready_for_pickup')) return 'in_fulfillment';
  if (live.some((s) => s === 'backordered')) return 'backordered';
  if (live.some((s) => s === 'pending')) return 'pending';
  return 'allocated';
}

const CANCELLABLE: ReadonlySet<LineStatus> = new Set(['pending', 'backordered', 'allocated', 'ready_for_pickup']);

/**
 * Lines a customer or an agent may still cancel: before a location starts fulfilling them, or
 * uncollected. (A line being fulfilled is cancelled only by the system, for units found nowhere.)
 */
export const isCancellable = (s: LineStatus): boolean => CANCELLABLE.has(s);

/** Lines whose delivery can still change: nothing has left or started leaving a location yet. */
export const isBeforeFulfillment = (s: LineStatus): boolean => s === 'pending' || s === 'backordered' || s === 'allocated' || s === 'cancelled';
