import { sql } from 'kysely';
import { expect } from 'vitest';
import { ADMIN_KEY, type TestApp } from '../support/test-app.js';
import { placeOrder } from '../orders/fixtures.js';
import { auth, createStoreKey, fulfillmentsOf, put, stepAs } from '../fulfillment/ship-fixtures.js';

const DAY = [{ open: '09:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };
const WEEKDAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '06:00', close: '22:00' }]]));

/** Monday 23 November 2026, 10:00 in Paris: every location is open and before every cut-off. */
export const MONDAY_10H = '2026-11-23T09:00:00Z';
export const WAREHOUSE = { latitude: 45.6967, longitude: 4.9445 };
export const NICE = { latitude: 43.6961, longitude: 7.2656 };

/**
 * Bob's network for returns: the Saint-Priest warehouse (near Lyon) ships the jeans and takes returns;
 * Lille (Bob's town) and Paris ship from their shelves and take returns; Marseille ships but takes no
 * returns; Nice (about 290 km from the warehouse) takes pickups and returns. Jeans in sizes 32 and 34
 * at the same price and a dearer 36; size 34 is only on Marseille's shelves. One carrier with one-day
 * transit and a tracking page. Store keys for Nice and Paris.
 */
export async function buildReturnNetwork(t: TestApp): Promise<{ nice: string; paris: string }> {
  t.clock.set(MONDAY_10H);
  const store = (name: string, line1: string, postalCode: string, city: string, latitude: number, longitude: number, capabilities: string[]) => ({
    name, type: 'store', timeZone: 'Europe/Paris', latitude, longitude, address: { line1, postalCode, city, country: 'FR' }, openingHours: STORE_WEEK, capabilities, handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/wh-lyon', {
    name: 'Saint-Priest DC', type: 'warehouse', timeZone: 'Europe/Paris', ...WAREHOUSE,
    address: { line1: 'ZI Mi-Plaine', postalCode: '69800', city: 'Saint-Priest', country: 'FR' }, openingHours: WEEKDAYS, capabilities: ['ship', 'returns'], handlingCostMinor: 150, cutoffs: { standard: '16:00' },
  });
  await put(t, '/v1/locations/store-lille', store('Lille Grand Place', '2 place du Général de Gaulle', '59000', 'Lille', 50.6372, 3.0633, ['ship_from_store', 'pickup', 'returns']));
  await put(t, '/v1/locations/store-paris', store('Paris Rivoli', '1 rue de Rivoli', '75001', 'Paris', 48.8606, 2.3376, ['ship_from_store', 'pickup', 'returns']));
  await put(t, '/v1/locations/store-marseille', store('Marseille Canebière', '40 La Canebière', '13001', 'Marseille', 43.2965, 5.3698, ['ship_from_store', 'pickup']));
  await put(t, '/v1/locations/store-nice', store('Nice Masséna', '5 place Masséna', '06000', 'Nice', NICE.latitude, NICE.longitude, ['pickup', 'returns']));
  for (const [sku, name, price] of [['JEAN-32', 'Jean brut 32', 7990], ['JEAN-34', 'Jean brut 34', 7990], ['JEAN-36', 'Jean brut 36', 9990], ['PULL', 'Pull marin', 4990], ['SCARF', 'Écharpe', 2500]] as const) {
    await put(t, `/v1/products/${sku}`, { name, weightGrams: sku === 'SCARF' ? 200 : 800, prices: { EUR: price } });
  }
  await put(t, '/v1/channels/web', { name: 'web shop', type: 'web' });
  await put(t, '/v1/channels/pos', { name: 'stores', type: 'pos' });
  const asOf = '2026-11-01T00:00:00Z';
  for (const [location, sku, onHand] of [
    ['wh-lyon', 'JEAN-32', 10],
    ['wh-lyon', 'JEAN-36', 5],
    ['wh-lyon', 'PULL', 30],
    ['wh-lyon', 'SCARF', 30],
    ['store-marseille', 'JEAN-34', 5],
    ['store-paris', 'PULL', 20],
    ['store-paris', 'SCARF', 20],
  ] as const) {
    await put(t, `/v1/inventory/${location}/${sku}`, { onHand, asOf });
  }
  await put(t, '/v1/carriers/post', {
    name: 'La Poste test',
    trackingUrlTemplate: 'https://suivi.example/track?n={trackingNumber}',
    services: [
      {
        service: 'standard', name: 'Domicile', originTypes: ['store', 'warehouse'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 1000, costMinor: 500 }, { maxWeightGrams: 5000, costMinor: 900 }],
      },
    ],
  });
  await t.ctx.availability.refresh();
  return { nice: await createStoreKey(t, 'nice till', ['store-nice']), paris: await createStoreKey(t, 'paris till', ['store-paris']) };
}

export const bob = { email: 'bob.durand@example.fr', phone: '+33 6 98 76 54 32', name: 'Bob Durand', locale: 'fr-FR' };
export const toBob = { method: 'ship', service: 'standard', address: { name: 'Bob Durand', line1: '12 rue Esquermoise', postalCode: '59000', city: 'Lille', country: 'FR' } };

export interface OrderView {
  id: string;
  number: string;
  status: string;
  customer: { customerId: string };
  lines: Array<{ id: string; sku: string; quantity: number; allocations: Array<{ locationId: string; status: string }> }>;
  totals: { subtotalMinor: number; discountMinor: number; shippingMinor: number; totalMinor: number };
  payments: Array<{ authorisedMinor: number; capturedMinor: number; refundedMinor: number; voidedMinor: number }>;
}

/**
 * A web order shipped to Bob and delivered, through the real store steps: every fulfillment accepted,
 * picked, packed, shipped with a label and delivered (at `deliveredAt`). Answers the order as it is then.
 */
export async function deliveredWebOrder(t: TestApp, lines: Array<{ sku: string; quantity: number }>, opts: { shippingMinor?: number; deliveredAt?: string } = {}): Promise<OrderView> {
  const placed = await placeOrder(t, { customer: bob, delivery: toBob, shippingMinor: opts.shippingMinor ?? 0, payment: { provider: 'manual' }, lines });
  expect(placed.statusCode, placed.body).toBe(201);
  const order = placed.json() as OrderView;
  for (const f of await fulfillmentsOf(t, order.number)) {
    await stepAs(t, ADMIN_KEY, f, 'accept');
    await stepAs(t, ADMIN_KEY, f, 'pick', { lines: f.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) });
    await stepAs(t, ADMIN_KEY, f, 'pack', { parcels: [{ weightGrams: 900 }] });
    await stepAs(t, ADMIN_KEY, f, 'ship', {});
  }
  if (opts.deliveredAt) t.clock.set(opts.deliveredAt);
  for (const f of await fulfillmentsOf(t, order.number)) await stepAs(t, ADMIN_KEY, f, 'deliver', {});
  return getOrder(t, order.id);
}

/** A counter sale at the Paris store, paid there: its units count as delivered at once. */
export async function counterSale(t: TestApp, lines: Array<{ sku: string; quantity: number }>): Promise<OrderView> {
  const placed = await placeOrder(t, { channel: 'pos', customer: bob, delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris' }, payment: { provider: 'manual' }, lines });
  expect(placed.statusCode, placed.body).toBe(201);
  return placed.json() as OrderView;
}

export async function getOrder(t: TestApp, id: string): Promise<OrderView> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as OrderView;
}

export interface ReturnView {
  id: string;
  number: string;
  orderId: string;
  status: string;
  resolution: string;
  destination: { kind: string; locationId: string; reason: Record<string, unknown> | null };
  lines: Array<{ id: string; orderLineId: string; sku: string; quantity: number; resellable: number | null; damaged: number | null; missing: number | null; valueMinor: number }>;
  exchange: { orderId: string; creditMinor: number; outcome: string | null } | null;
  label: { carrierId: string; service: string; trackingNumber: string; trackingUrl: string | null } | null;
  amounts: { refundMinor: number; shippingRefundMinor: number; creditMinor: number; chargedMinor: number; unsettledMinor: number };
  returnBy: string;
  cancelReason: string | null;
}

const headersOf = (t: TestApp, key?: string, idempotencyKey?: string) => ({ ...(key ? auth(key) : t.admin), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) });

/** POST /v1/returns as `key` (admin by default). */
export function postReturn(t: TestApp, payload: object, opts: { key?: string; idempotencyKey?: string } = {}) {
  return t.app.inject({ method: 'POST', url: '/v1/returns', headers: headersOf(t, opts.key, opts.idempotencyKey), payload });
}

/** A return that must be created (201). */
export async function createReturn(t: TestApp, payload: object, opts: { key?: string; idempotencyKey?: string } = {}): Promise<ReturnView> {
  const res = await postReturn(t, payload, opts);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ReturnView;
}

export function returnAction(t: TestApp, id: string, action: 'receive' | 'refund' | 'cancel', payload: object = {}, key?: string) {
  return t.app.inject({ method: 'POST', url: `/v1/returns/${id}/${action}`, headers: headersOf(t, key), payload });
}

/** Receives every unit of each return line in the given condition (resellable by default). */
export async function receiveAll(t: TestApp, r: ReturnView, condition: 'resellable' | 'damaged' | 'missing' = 'resellable', key?: string): Promise<ReturnView> {
  const res = await returnAction(t, r.id, 'receive', { lines: r.lines.map((l) => ({ lineId: l.id, condition, quantity: l.quantity })) }, key);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ReturnView;
}

/** Row counts of everything a return command writes: "nothing written" means none of them moved. */
export async function returnWrites(t: TestApp): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM sales_return) AS returns,
           (SELECT count(*)::int FROM return_line) AS lines,
           (SELECT count(*)::int FROM return_label) AS labels,
           (SELECT count(*)::int FROM sales_order) AS orders,
           (SELECT count(*)::int FROM order_timeline) AS timeline,
           (SELECT count(*)::int FROM outbox_event) AS events,
           (SELECT count(*)::int FROM inventory_ledger) AS ledger,
           (SELECT count(*)::int FROM payment_event) AS payment_events,
           (SELECT coalesce(sum(quantity), 0)::int FROM damaged_stock) AS damaged,
           (SELECT count(*)::int FROM store_credit_entry) AS credits,
           (SELECT string_agg(status, ',' ORDER BY id) FROM sales_return) AS statuses`.execute(t.ctx.db);
  return r.rows[0]!;
}

export async function eventsOf(t: TestApp, type: string, aggregateId: string): Promise<Array<Record<string, unknown>>> {
  const rows = await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', type).where('aggregate_id', '=', aggregateId).orderBy('id').execute();
  return rows.map((r) => r.payload as Record<string, unknown>);
}

export async function timelineOf(t: TestApp, orderId: string): Promise<Array<{ event: string; details: Record<string, unknown> }>> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}
