import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { checkInventory } from '../../src/modules/inventory/check-inventory.js';
import type { TestApp } from '../support/test-app.js';

const DAY = [{ open: '10:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };
const WAREHOUSE_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '06:00', close: '22:00' }]]));

/** Monday 23 November 2026, 10:00 in Paris: every store is open and before every cut-off. */
export const MONDAY_MORNING = '2026-11-23T09:00:00Z';

async function put(t: TestApp, url: string, payload: unknown): Promise<void> {
  const res = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
}

async function post(t: TestApp, url: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await t.app.inject({ method: 'POST', url, headers: t.admin, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/**
 * A small network built through the API: a Paris store (ships, pickup), a Lyon store (pickup only), a
 * warehouse near Lyon, a drop-ship supplier; priced products (one backorderable with supply on its way,
 * one without a EUR price); a channel of every type; a carrier with one-day transit for exact dates;
 * and a store key for Paris. Returns the store key's secret.
 */
export async function buildOrderNetwork(t: TestApp): Promise<{ parisKey: string }> {
  t.clock.set(MONDAY_MORNING);
  await put(t, '/v1/locations/store-paris', {
    name: 'Paris Rivoli', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8606, longitude: 2.3376,
    address: { line1: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK,
    capabilities: ['ship_from_store', 'pickup'], dailyPickCapacity: 100, handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/store-lyon', {
    name: 'Lyon Part-Dieu', type: 'store', timeZone: 'Europe/Paris', latitude: 45.7606, longitude: 4.8593,
    address: { postalCode: '69003', city: 'Lyon', country: 'FR' }, openingHours: STORE_WEEK, capabilities: ['pickup'], handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/wh-lyon', {
    name: 'Saint-Priest DC', type: 'warehouse', timeZone: 'Europe/Paris', latitude: 45.6967, longitude: 4.9445,
    address: { postalCode: '69800', city: 'Saint-Priest', country: 'FR' }, openingHours: WAREHOUSE_WEEK, capabilities: ['ship'], handlingCostMinor: 150,
  });
  await put(t, '/v1/products/SKU-1', { name: 'Pull marin', weightGrams: 500, prices: { EUR: 4990 } });
  await put(t, '/v1/products/SKU-2', { name: 'Jean brut', weightGrams: 800, prices: { EUR: 7990 } });
  await put(t, '/v1/products/SKU-3', { name: 'Écharpe', weightGrams: 200, prices: { EUR: 2500 } });
  await put(t, '/v1/products/SKU-PRE', { name: 'Parka', weightGrams: 1200, prices: { EUR: 19900 }, backorderable: true });
  await put(t, '/v1/products/SKU-NOPRICE', { name: 'Sans prix', weightGrams: 100 });
  await put(t, '/v1/products/SKU-OLD', { name: 'Retiré', weightGrams: 100, prices: { EUR: 100 }, active: false });
  for (const [id, type] of [['web', 'web'], ['app', 'app'], ['pos', 'pos'], ['callcenter', 'callcenter'], ['social', 'social'], ['marketplace:zalando', 'marketplace']] as const) {
    await put(t, `/v1/channels/${id}`, { name: id, type });
  }
  await put(t, '/v1/channels/closed', { name: 'closed', type: 'web', active: false });
  const asOf = '2026-11-01T00:00:00Z';
  await put(t, '/v1/inventory/store-paris/SKU-1', { onHand: 5, asOf });
  await put(t, '/v1/inventory/store-lyon/SKU-1', { onHand: 2, asOf });
  await put(t, '/v1/inventory/wh-lyon/SKU-2', { onHand: 10, asOf });
  await put(t, '/v1/inventory/store-paris/SKU-2', { onHand: 1, asOf });
  await put(t, '/v1/inventory/store-lyon/SKU-3', { onHand: 3, asOf });
  await put(t, '/v1/inventory/wh-lyon/SKU-PRE', { onHand: 0, asOf });
  await post(t, '/v1/supply', { kind: 'purchase_order', reference: 'PO-1', lines: [{ sku: 'SKU-PRE', locationId: 'wh-lyon', quantity: 20, expectedAt: '2026-12-01T08:00:00Z' }] });
  await put(t, '/v1/carriers/post', {
    name: 'La Poste test', services: [
      {
        service: 'standard', name: 'Domicile', originTypes: ['store', 'warehouse'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 1000, costMinor: 500 }, { maxWeightGrams: 5000, costMinor: 900 }],
      },
      {
        service: 'express', name: 'Express', originTypes: ['warehouse'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '17:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 5000, costMinor: 1500 }],
      },
    ],
  });
  const key = await post(t, '/v1/api-keys', { name: 'paris till', role: 'store', locationIds: ['store-paris'] });
  await t.ctx.availability.refresh();
  return { parisKey: String(key.secret) };
}

export const alice = { email: 'alice.martin@example.fr', phone: '+33 6 12 34 56 78', name: 'Alice Martin', locale: 'fr-FR' };
export const toParis = { method: 'ship', service: 'standard', address: { name: 'Alice Martin', line1: '10 rue Oberkampf', postalCode: '75011', city: 'Paris', country: 'FR' } };

let keys = 0;
export const newKey = (): string => `order-key-${process.pid}-${++keys}`;

export function placeOrder(t: TestApp, body: Record<string, unknown>, opts: { key?: string | null; auth?: string } = {}) {
  const key = opts.key === undefined ? newKey() : opts.key;
  return t.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: opts.auth ? `Bearer ${opts.auth}` : t.admin.authorization, ...(key !== null ? { 'idempotency-key': key } : {}) },
    payload: { channel: 'web', currency: 'EUR', customer: alice, delivery: toParis, ...body },
  });
}

export async function position(db: Db, sku: string, locationId: string): Promise<{ onHand: number; reserved: number }> {
  const r = await db.selectFrom('stock_position').select(['on_hand', 'reserved']).where('sku', '=', sku).where('location_id', '=', locationId).executeTakeFirstOrThrow();
  return { onHand: r.on_hand, reserved: r.reserved };
}

/** Row counts of everything an order writes: "nothing written" means none of them moved. */
export async function orderWrites(db: Db): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM sales_order) AS orders,
           (SELECT count(*)::int FROM order_line) AS lines,
           (SELECT count(*)::int FROM order_allocation) AS allocations,
           (SELECT count(*)::int FROM customer) AS customers,
           (SELECT count(*)::int FROM payment) AS payments,
           (SELECT count(*)::int FROM order_timeline) AS timeline,
           (SELECT count(*)::int FROM reservation) AS reservations,
           (SELECT count(*)::int FROM inventory_ledger) AS ledger,
           (SELECT count(*)::int FROM outbox_event) AS events,
           (SELECT count(*)::int FROM idempotency_key WHERE status_code > 0) AS keys,
           (SELECT coalesce(sum(reserved), 0)::int FROM stock_position) AS reserved,
           (SELECT coalesce(sum(on_hand), 0)::int FROM stock_position) AS on_hand`.execute(db);
  return r.rows[0]!;
}

/** The inventory invariant check (reserved = open reservations + order allocations; ledger agrees). */
export async function expectInventoryConsistent(t: TestApp): Promise<void> {
  const report = await checkInventory(t.ctx.db, systemActor('test'));
  expect(report.drift).toEqual([]);
}
