import { canAccessLocation, type Actor } from '../shared/actor.js';
import { fail, type Failure } from '../shared/result.js';

/**
 * Cart holds: the pure rules behind POST /v1/reservations (limits, lock order, first-fit granting).
 * No I/O: the repository and the hot-SKU batcher call these with rows they already locked.
 */
export const DEFAULT_TTL_SECONDS = 900;
export const MAX_TTL_SECONDS = 86_400;
export const MAX_LINES = 50;

export type ReservationStatus = 'active' | 'released' | 'expired' | 'consumed';

export interface HoldLineRequest {
  sku: string;
  locationId: string;
  quantity: number;
}

export interface Shortfall {
  sku: string;
  locationId: string;
  requested: number;
  available: number;
}

export const positionKey = (sku: string, locationId: string): string => `${sku}\u0000${locationId}`;

/**
 * The one lock order every writer of stock_position follows: (sku, location_id) in byte order.
 * SKU and location ids are ASCII by schema, so `<` here equals PostgreSQL's "C" order.
 */
export function compareByPosition(a: { sku: string; locationId: string }, b: { sku: string; locationId: string }): number {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  if (a.locationId !== b.locationId) return a.locationId < b.locationId ? -1 : 1;
  return 0;
}

/** Positions that appear more than once in a hold (a hold reserves each position in one line). */
export function duplicatePositions(lines: readonly HoldLineRequest[]): { sku: string; locationId: string }[] {
  const seen = new Set<string>();
  const dup = new Map<string, { sku: string; locationId: string }>();
  for (const l of lines) {
    const key = positionKey(l.sku, l.locationId);
    if (seen.has(key)) dup.set(key, { sku: l.sku, locationId: l.locationId });
    seen.add(key);
  }
  return [...dup.values()];
}

/** The refusal of a hold naming positions that do not exist: every path that reserves stock answers this one. */
export const unknownPosition = (missing: ReadonlyArray<{ sku: string; locationId: string }>): Failure =>
  fail('unknown_position', 'no stock position for these SKUs at these locations', { missing });

/** The refusal of a hold the available stock does not cover, with each line short. */
export const insufficientStock = (shortfalls: readonly Shortfall[]): Failure => fail('insufficient_stock', 'not enough available stock for every line', { shortfalls });

export function holdExpiry(now: Date, ttlSeconds: number): Date {
  return new Date(now.getTime() + ttlSeconds * 1000);
}

/** ATP of a locked row, the quantity a batch may still grant (never below 0). */
export function freeQuantity(p: { onHand: number; reserved: number; safetyStock: number }): number {
  return Math.max(0, p.onHand - p.reserved - p.safetyStock);
}

export type Grant = { granted: true } | { granted: false; available: number };

/**
 * Grants requests in arrival order while stock lasts (first fit): the outcome is exactly what one guarded
 * UPDATE per request, run in the same order, would give, so batching changes throughput, not answers.
 */
export function grantInOrder(available: number, quantities: readonly number[]): { grants: Grant[]; total: number } {
  let left = available;
  let total = 0;
  const grants = quantities.map((q): Grant => {
    if (q > left) return { granted: false, available: left };
    left -= q;
    total += q;
    return { granted: true };
  });
  return { grants, total };
}

/**
 * First fit per position for a batch mixing many positions: each request is granted in arrival order
 * against the ATP of its own row, exactly as `grantInOrder` on that row's requests alone would grant.
 * `free` holds the ATP of every locked row; a request whose row is missing gets `undefined`
 * (unknown position), a `null` request was refused earlier and is skipped. `totals` per position key.
 * This is the rule the batch statement `reserve_single_lines` (migration 0003) applies under its row locks,
 * in one round trip; test/reservations/reservations-batch.test.ts checks the two agree.
 */
export function grantPerPosition(
  free: ReadonlyMap<string, number>,
  requests: readonly (HoldLineRequest | null)[],
): { grants: (Grant | null | undefined)[]; totals: Map<string, number> } {
  const left = new Map(free);
  const totals = new Map<string, number>();
  const grants = requests.map((r): Grant | null | undefined => {
    if (r === null) return null;
    const key = positionKey(r.sku, r.locationId);
    const available = left.get(key);
    if (available === undefined) return undefined;
    if (r.quantity > available) return { granted: false, available };
    left.set(key, available - r.quantity);
    totals.set(key, (totals.get(key) ?? 0) + r.quantity);
    return { granted: true };
  });
  return { grants, totals };
}

/**
 * A hold's lines change status together, except while an expiry batch cut between two of its lines is
 * finishing: a hold is active as long as one line is.
 */
export function holdStatus(lines: readonly { status: ReservationStatus }[]): ReservationStatus {
  if (lines.some((l) => l.status === 'active')) return 'active';
  return lines[0]?.status ?? 'released';
}

/** What can be refused before touching stock: repeated positions and locations outside a store key's scope. */
export function checkHoldRequest(actor: Actor, lines: readonly HoldLineRequest[]): Failure | undefined {
  const duplicates = duplicatePositions(lines);
  if (duplicates.length > 0) {
    return fail('validation_failed', 'each (sku, locationId) may appear once in a hold: add the quantities up', { duplicates });
  }
  const outside = [...new Set(lines.map((l) => l.locationId).filter((id) => !canAccessLocation(actor, id)))];
  if (outside.length > 0) return fail('location_out_of_scope', 'this key may not reserve at these locations', { locationIds: outside });
  return undefined;
}

export interface ChannelEligibility {
  active: boolean;
  eligibleLocationIds: readonly string[] | null;
}

/** A channel restricted to some locations may only hold stock there (NULL = every location). */
export function checkChannel(channelId: string, channel: ChannelEligibility | undefined, locationIds: readonly string[]): Failure | undefined {
  if (!channel || !channel.active) return fail('unknown_channel', `no active channel ${channelId}`, { channel: channelId });
  if (channel.eligibleLocationIds === null) return undefined;
  const eligible = new Set(channel.eligibleLocationIds);
  const outside = [...new Set(locationIds.filter((id) => !eligible.has(id)))];
  if (outside.length > 0) {
    return fail('location_not_eligible', `channel ${channelId} may not sell stock from these locations`, { channel: channelId, locationIds: outside });
  }
  return undefined;
}
