import type { Db } from '../../src/db/database.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { generateLargeNetwork, type LargeNetworkOptions } from '../../src/modules/demo/large-network.js';
import { loadNetwork } from '../../src/modules/demo/load-network.js';

export interface LargeNetwork {
  locations: number;
  skus: number;
  positions: number;
  loadSeconds: number;
  /** SKUs that have stock somewhere, to draw baskets from. */
  sampleSkus: string[];
  /** The web channel (pool rules applied), when the network has one. */
  channel: string | undefined;
  /** Postal codes of the stores, where customers live. */
  storePostalCodes: string[];
}

/** Fills an empty database with the product's benchmark network, written by the same loader as the demo. */
export async function loadLargeNetwork(db: Db, opts: LargeNetworkOptions): Promise<LargeNetwork> {
  const started = performance.now();
  const data = generateLargeNetwork(opts);
  await loadNetwork(db, systemActor('bench'), data, 'bench-large');
  const stocked = new Set<string>();
  for (const s of data.stock) if (s.onHand > 0) stocked.add(s.sku);
  return {
    locations: data.locations.length,
    skus: data.products.length,
    positions: data.stock.length,
    loadSeconds: Math.round((performance.now() - started) / 100) / 10,
    sampleSkus: [...stocked],
    channel: data.channels.find((c) => c.type === 'web')?.id,
    storePostalCodes: data.locations.flatMap((l) => (l.type === 'store' && l.address?.postalCode ? [l.address.postalCode] : [])),
  };
}
