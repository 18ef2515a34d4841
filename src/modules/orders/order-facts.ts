import type { Db } from '../../db/database.js';
import { nextRead } from '../promise/next-read.js';
import { findOrderFacts, type LocationFacts, type OrderFacts, type ProductFacts } from './order.repository.js';

/** What one order request names. */
export interface FactsAsk {
  channelId: string;
  skus: readonly string[];
  locationIds: readonly string[];
}

export interface FactsOf {
  channel: { id: string; type: string; active: boolean } | undefined;
  products: Map<string, ProductFacts>;
  locations: Map<string, LocationFacts>;
}

const readers = new WeakMap<Db, (ask: FactsAsk) => Promise<OrderFacts>>();

/**
 * The facts an order request is checked against, read fresh: the requests that arrive during one round
 * trip share the next statement (`nextRead`: each still sees everything committed before it asked), so
 * under load N orders cost one read instead of N. One reader per database.
 */
export async function orderFactsOf(db: Db, ask: FactsAsk): Promise<FactsOf> {
  let read = readers.get(db);
  if (!read) {
    read = nextRead((asks: FactsAsk[]) =>
      findOrderFacts(db, [...new Set(asks.map((a) => a.channelId))], [...new Set(asks.flatMap((a) => a.skus))], [...new Set(asks.flatMap((a) => a.locationIds))]),
    );
    readers.set(db, read);
  }
  const all = await read(ask);
  // Only what this request named: a product another request of the batch named is not this order's.
  return {
    channel: all.channels.get(ask.channelId),
    products: new Map(ask.skus.flatMap((s) => (all.products.has(s) ? [[s, all.products.get(s)!] as const] : []))),
    locations: new Map(ask.locationIds.flatMap((id) => (all.locations.has(id) ? [[id, all.locations.get(id)!] as const] : []))),
  };
}
