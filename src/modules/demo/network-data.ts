import type { ChannelPool } from '../../domain/inventory/pools.js';
import type { LocationInput } from '../network/location.schemas.js';

/**
 * A whole network in memory, as the demo and the benchmark generator produce it and `writeNetwork`
 * stores it. Shapes follow the public API (camelCase, money in minor units).
 */
export interface NetworkLocation extends LocationInput {
  id: string;
}

export interface NetworkProduct {
  sku: string;
  name: string;
  styleId: string;
  attributes: Record<string, string>;
  /** Minor units per ISO 4217 currency, e.g. { EUR: 2999 }. */
  prices: Record<string, number>;
  weightGrams: number;
  backorderable: boolean;
  preorderable: boolean;
}

export interface NetworkChannel {
  id: string;
  name: string;
  type: 'web' | 'app' | 'pos' | 'callcenter' | 'social' | 'marketplace';
  /** null: every active location. */
  eligibleLocationIds: string[] | null;
  pool: ChannelPool;
}

export interface NetworkStock {
  sku: string;
  locationId: string;
  onHand: number;
}

export interface NetworkData {
  locations: NetworkLocation[];
  products: NetworkProduct[];
  channels: NetworkChannel[];
  stock: NetworkStock[];
}
