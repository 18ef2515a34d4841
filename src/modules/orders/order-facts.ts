import type { Db } from '../../db/database.js';
import { nextRead } from '../promise/next-read.js';
import { fulfillmentSettingsFrom } from '../fulfillment/fulfillment-settings.js';
import type { FulfillmentSettings } from '../fulfillment/fulfillment-settings.schemas.js';
import { contactKeys, matchCustomer, type ContactFields, type CustomerRow } from '../customers/customer.repository.js';
import type { StoredAnswer } from '../reservations/idempotency.repository.js';
import { findOrderFacts, type LocationFacts, type OrderFacts, type ProductFacts } from './order.repository.js';

/** What one order request names. */
export interface FactsAsk {
  channelId: string;
  skus: readonly string[];
  locationIds: readonly string[];
  contact?: ContactFields;
  /** The request's Idempotency-Key: its committed answer, if any, is read with the facts. */
  idempotency?: { scope: string; key: string };
}

export interface FactsOf {
  channel: { id: string; type: string; active: boolean } | undefined;
  products: Map<string, ProductFacts>;
  locations: Map<string, LocationFacts>;
  /** A new order number (sequence value) for this request alone. */
  orderSequence: number;
  fulfillmentSettings: FulfillmentSettings;
  /** The customer the contact names, as read (undefined: a new customer, or no contact). */
  customer: CustomerRow | undefined;
  /** The committed answer of the ask's Idempotency-Key (undefined: none yet). */
  storedAnswer: StoredAnswer | undefined;
}

interface Read {
  facts: OrderFacts;
  /** Each ask's own order number. */
  numbers: Map<FactsAsk, number>;
}

const readers = new WeakMap<Db, (ask: FactsAsk) => Promise<Read>>();

/**
 * The facts an order request is checked against, read fresh: the requests that arrive during one round
 * trip share the next statement (`nextRead`: each still sees everything committed before it asked), so
 * under load N orders cost one read instead of N. Each request also gets its own new order number and
 * the fulfillment settings. One reader per database.
 */
export async function orderFactsOf(db: Db, ask: FactsAsk): Promise<FactsOf> {
  let read = readers.get(db);
  if (!read) {
    read = nextRead(async (asks: FactsAsk[]) => {
      const facts = await findOrderFacts(db, {
        channelIds: [...new Set(asks.map((a) => a.channelId))],
        skus: [...new Set(asks.flatMap((a) => a.skus))],
        locationIds: [...new Set(asks.flatMap((a) => a.locationIds))],
        emails: keysOf(asks, 'email'),
        phones: keysOf(asks, 'phone'),
        idempotencyKeys: asks.flatMap((a) => (a.idempotency ? [a.idempotency] : [])),
        numbers: asks.length,
      });
      return { facts, numbers: new Map(asks.map((a, i) => [a, facts.orderNumbers[i]!])) };
    });
    readers.set(db, read);
  }
  const { facts: all, numbers } = await read(ask);
  // Only what this request named: a product another request of the batch named is not this order's.
  return {
    orderSequence: numbers.get(ask)!,
    fulfillmentSettings: fulfillmentSettingsFrom(all.storedFulfillmentSettings),
    channel: all.channels.get(ask.channelId),
    products: new Map(ask.skus.flatMap((s) => (all.products.has(s) ? [[s, all.products.get(s)!] as const] : []))),
    locations: new Map(ask.locationIds.flatMap((id) => (all.locations.has(id) ? [[id, all.locations.get(id)!] as const] : []))),
    customer: ask.contact && matchCustomer(ask.contact, all.customers),
    storedAnswer: ask.idempotency && all.storedAnswers.find((a) => a.scope === ask.idempotency!.scope && a.key === ask.idempotency!.key),
  };
}

function keysOf(asks: readonly FactsAsk[], key: 'email' | 'phone'): string[] {
  return [...new Set(asks.flatMap((a) => (a.contact ? [contactKeys(a.contact)[key]].filter((k): k is string => k !== null) : [])))];
}
