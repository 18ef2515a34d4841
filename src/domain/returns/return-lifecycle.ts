import { fail, type Failure } from '../shared/result.js';

/**
 * A return's lifecycle as data. requested (the customer announced it; a mail return has its label) ->
 * received (the location counted the units and their condition) -> refunded (money went back through the
 * payments) | closed (settled otherwise: store credit, an exchange, or nothing owed); requested ->
 * cancelled (by the customer or service, or because the units never arrived by `return_by`).
 */
export const RETURN_STATUSES = ['requested', 'received', 'refunded', 'closed', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, readonly ReturnStatus[]>> = {
  requested: ['received', 'cancelled'],
  received: ['refunded', 'closed'],
  refunded: [],
  closed: [],
  cancelled: [],
};

export const RESOLUTIONS = ['refund', 'exchange', 'store_credit'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const DESTINATION_KINDS = ['store', 'warehouse', 'mail'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export const RETURN_REASONS = ['wrong_size', 'wrong_colour', 'damaged', 'defective', 'not_as_described', 'changed_mind', 'arrived_late', 'other'] as const;

export const CONDITIONS = ['resellable', 'damaged', 'missing'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** A Failure (code `invalid_return_transition`) when `from -> to` is not in the table; undefined when allowed. */
export function assertReturnTransition(from: string, to: string, number: string): Failure | undefined {
  const allowed = RETURN_TRANSITIONS[from as ReturnStatus];
  if (allowed?.includes(to as ReturnStatus)) return undefined;
  return fail('invalid_return_transition', `return ${number} cannot go from ${from} to ${to}`, { from, to, allowed: allowed ?? [] });
}

/** The status a settled return ends in: refunded when money went back through the payments. */
export const settledStatus = (refundedMinor: number): ReturnStatus => (refundedMinor > 0 ? 'refunded' : 'closed');
