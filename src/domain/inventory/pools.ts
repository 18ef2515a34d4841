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
