import { availableToPromise } from './safety-stock.js';

/**
 * Channel pools (pools de stock): which share of network stock a channel may sell.
 *
 * - `eligibleLocationIds`: the locations whose stock the channel sells (undefined: every active location).
 * - `maxShare` (0..1): the channel sells at most this share of the eligible network ATP of a SKU.
 * - `maxQuantity`: an absolute cap per SKU.
 * - `protections`: quantities per SKU kept back for priority channels; every *other* channel's
 *   availability is lowered by them (a marketplace cannot sell the last units kept for the web shop).
 */
export interface ChannelPool {
  maxShare?: number;
  maxQuantity?: number;
  protections?: { channelId: string; quantity: number }[];
}

export interface ChannelRules {
  id: string;
  active: boolean;
  eligibleLocationIds?: readonly string[] | null;
  pool: ChannelPool;
}

/** One SKU's stock at one location, with whether the location is active. */
export interface LocationStock {
  locationId: string;
  active: boolean;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

/** Whether the channel sells stock from this location (its own list, or every location when it has none). */
export function isEligibleLocation(channel: ChannelRules, locationId: string): boolean {
  return channel.eligibleLocationIds == null || channel.eligibleLocationIds.includes(locationId);
}

/**
 * Units per SKU kept for the *other* active channels. A protection may be declared on any channel's
 * pool; declaring the same beneficiary twice does not double it (the largest declaration wins), and a
 * protection for an unknown or inactive channel protects nothing (that channel sells nothing anyway).
 */
export function protectedForOthers(channel: ChannelRules, all: readonly ChannelRules[]): number {
  const activeIds = new Set(all.filter((c) => c.active).map((c) => c.id));
  const byBeneficiary = new Map<string, number>();
  for (const declaring of all) {
    if (!declaring.active) continue;
    for (const p of declaring.pool.protections ?? []) {
      if (p.channelId === channel.id || !activeIds.has(p.channelId)) continue;
      byBeneficiary.set(p.channelId, Math.max(byBeneficiary.get(p.channelId) ?? 0, Math.max(0, p.quantity)));
    }
  }
  let total = 0;
  for (const q of byBeneficiary.values()) total += q;
  return total;
}

/**
 * The pool arithmetic once the eligible ATP is summed: minus the protections held for other channels,
 * then capped by `maxShare` × eligible ATP (floored: a share never rounds up into a unit that is not
 * there) and by `maxQuantity`; never below 0. Monotonic in `eligibleAtp`, never above it.
 */
export function capChannelAvailability(eligibleAtp: number, protectedUnits: number, pool: ChannelPool): number {
  let available = eligibleAtp - protectedUnits;
  if (pool.maxShare !== undefined) available = Math.min(available, Math.floor(Math.max(0, Math.min(1, pool.maxShare)) * eligibleAtp));
  if (pool.maxQuantity !== undefined) available = Math.min(available, pool.maxQuantity);
  return Math.max(0, available);
}

/** What a channel may sell of one SKU: eligible active locations' ATP, then the pool rules. */
export function channelAvailability(
  stock: readonly LocationStock[],
  channel: ChannelRules,
  all: readonly ChannelRules[],
): number {
  if (!channel.active) return 0;
  let eligibleAtp = 0;
  for (const s of stock) {
    if (s.active && isEligibleLocation(channel, s.locationId)) eligibleAtp += availableToPromise(s);
  }
  return capChannelAvailability(eligibleAtp, protectedForOthers(channel, all), channel.pool);
}
