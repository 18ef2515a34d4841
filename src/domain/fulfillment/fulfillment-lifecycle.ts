import { fail, type Failure } from '../shared/result.js';

/**
 * A fulfillment order's lifecycle, per kind, as data (DESIGN §7.6). `ship` goes to the customer (a
 * warehouse, a store shipping from its shelves, or a drop-ship supplier); `transfer` sends units to the
 * pickup store, where they are `received`; `pickup` is prepared at the pickup store and handed over.
 *
 * ship:            held → pending (released after the re-optimisation hold) | cancelled
 * ship / transfer: pending → accepted → picked → packed → shipped → delivered | received
 * pickup:          pending → accepted → picked → ready_for_pickup → collected (picked → accepted when
 *                  re-routed units from the store's own shelves join it)
 * Rejecting is possible until the pick is done; cancelling until the units leave (or, for a pickup, until
 * they are collected: a hold that ran out, an order cancelled, a pickup store switched).
 */
export const FULFILLMENT_KINDS = ['ship', 'pickup', 'transfer'] as const;
export type FulfillmentKind = (typeof FULFILLMENT_KINDS)[number];

export const FULFILLMENT_STATUSES = [
  'held',
  'pending',
  'accepted',
  'picked',
  'packed',
  'shipped',
  'delivered',
  'ready_for_pickup',
  'collected',
  'received',
  'rejected',
  'cancelled',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

type Table = Readonly<Partial<Record<FulfillmentStatus, readonly FulfillmentStatus[]>>>;

const SHIP: Table = {
  pending: ['accepted', 'rejected', 'cancelled'],
  accepted: ['picked', 'rejected', 'cancelled'],
  picked: ['packed', 'cancelled'],
  packed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
};

export const FULFILLMENT_TRANSITIONS: Readonly<Record<FulfillmentKind, Table>> = {
  // Only shipments to a customer are held before release (stores never see held work).
  ship: { held: ['pending', 'cancelled'], ...SHIP },
  transfer: { ...SHIP, shipped: ['received'] },
  pickup: {
    pending: ['accepted', 'rejected', 'cancelled'],
    accepted: ['picked', 'rejected', 'cancelled'],
    // back to accepted: re-routed units from the store's own shelves joined it and must be picked too
    picked: ['ready_for_pickup', 'accepted', 'cancelled'],
    ready_for_pickup: ['collected', 'cancelled'],
  },
};

/** Statuses after which nothing happens to a fulfillment any more. */
export const ENDED_STATUSES: ReadonlySet<FulfillmentStatus> = new Set(['delivered', 'collected', 'received', 'rejected', 'cancelled']);

/** Statuses in which the location is still working on it (its queue). */
export const OPEN_STATUSES: readonly FulfillmentStatus[] = ['pending', 'accepted', 'picked', 'packed', 'ready_for_pickup'];

export function canTransitionFulfillment(kind: FulfillmentKind, from: FulfillmentStatus, to: FulfillmentStatus): boolean {
  return FULFILLMENT_TRANSITIONS[kind][from]?.includes(to) ?? false;
}

/** A Failure (code `invalid_transition`, a 409) when the step is not allowed for this kind and status. */
export function assertFulfillmentTransition(kind: FulfillmentKind, from: FulfillmentStatus, to: FulfillmentStatus, number?: string): Failure | undefined {
  if (canTransitionFulfillment(kind, from, to)) return undefined;
  const allowed = FULFILLMENT_TRANSITIONS[kind][from] ?? [];
  return fail('invalid_transition', `${kind} fulfillment ${number ?? ''} cannot go from ${from} to ${to}`.replace('  ', ' '), { level: 'fulfillment', kind, from, to, allowed });
}
