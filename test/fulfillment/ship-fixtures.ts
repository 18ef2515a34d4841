import { sql } from 'kysely';
import { expect } from 'vitest';
import { orderWrites } from '../orders/fixtures.js';
import type { TestApp } from '../support/test-app.js';

const DAY = [{ open: '09:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };
const WEEKDAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '06:00', close: '22:00' }]]));

/** Monday 23 November 2026, 10:00 in Paris: every location is open and before every cut-off. */
export const MONDAY_10H = '2026-11-23T09:00:00Z';

export async function put(t: TestApp, url: string, payload: unknown): Promise<void> {
  const res = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
}

export async function createStoreKey(t: TestApp, name: string, locationIds: string[]): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name, role: 'store', locationIds } });
  expect(res.statusCode, res.body).toBe(201);
  return String(res.json().secret);
}

/**
 * Bob's network, so the fallback chain of J1 shows in where units are sourced: the Lille store nearest to
 * Bob (Lille, 59000) has none of the goods; the pull is in Paris (the next store) and, dearer to handle,
 * in Marseille; the jeans only in the Saint-Priest warehouse (no store has them); the boots only at a
 * drop-ship supplier in Roanne. One carrier ('post') serves stores, warehouse and supplier with one-day
 * transit and a tracking page.
 */
export async function buildShipNetwork(t: TestApp): Promise<void> {
  t.clock.set(MONDAY_10H);
  await put(t, '/v1/locations/store-lille', {
    name: 'Lille Grand Place', type: 'store', timeZone: 'Europe/Paris', latitude: 50.6372, longitude: 3.0633,
    address: { line1: '2 place du Général de Gaulle', postalCode: '59000', city: 'Lille', country: 'FR' }, openingHours: STORE_WEEK,
    capabilities: ['ship_from_store', 'pickup'], handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/store-paris', {
    name: 'Paris Rivoli', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8606, longitude: 2.3376,
    address: { line1: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK,
    capabilities: ['ship_from_store', 'pickup'], handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/store-marseille', {
    name: 'Marseille Canebière', type: 'store', timeZone: 'Europe/Paris', latitude: 43.2965, longitude: 5.3698,
    address: { line1: '40 La Canebière', postalCode: '13001', city: 'Marseille', country: 'FR' }, openingHours: STORE_WEEK,
    capabilities: ['ship_from_store', 'pickup'], handlingCostMinor: 600,
  });
  await put(t, '/v1/locations/wh-lyon', {
    name: 'Saint-Priest DC', type: 'warehouse', timeZone: 'Europe/Paris', latitude: 45.6967, longitude: 4.9445,
    address: { line1: 'ZI Mi-Plaine', postalCode: '69800', city: 'Saint-Priest', country: 'FR' }, openingHours: WEEKDAYS, capabilities: ['ship'], handlingCostMinor: 150, cutoffs: { standard: '16:00' },
  });
  await put(t, '/v1/locations/sup-roanne', {
    name: 'Bottier de Roanne', type: 'supplier', timeZone: 'Europe/Paris', latitude: 46.0347, longitude: 4.0722,
    address: { line1: '5 rue des Tanneurs', postalCode: '42300', city: 'Roanne', country: 'FR' }, openingHours: WEEKDAYS, capabilities: ['ship'], handlingCostMinor: 700,
  });
  await put(t, '/v1/products/PULL', { name: 'Pull marin', weightGrams: 500, prices: { EUR: 4990 } });
  await put(t, '/v1/products/JEAN', { name: 'Jean brut', weightGrams: 800, prices: { EUR: 7990 } });
  await put(t, '/v1/products/BOOTS', { name: 'Bottines cuir', weightGrams: 1200, prices: { EUR: 12900 } });
  await put(t, '/v1/channels/web', { name: 'web shop', type: 'web' });
  const asOf = '2026-11-01T00:00:00Z';
  for (const [location, sku, onHand] of [
    ['store-lille', 'PULL', 0],
    ['store-lille', 'JEAN', 0],
    ['store-paris', 'PULL', 3],
    ['store-marseille', 'PULL', 4],
    ['wh-lyon', 'JEAN', 10],
    ['sup-roanne', 'BOOTS', 20],
  ] as const) {
    await put(t, `/v1/inventory/${location}/${sku}`, { onHand, asOf });
  }
  await put(t, '/v1/carriers/post', {
    name: 'La Poste test',
    trackingUrlTemplate: 'https://suivi.example/track?n={trackingNumber}',
    services: [
      {
        service: 'standard', name: 'Domicile', originTypes: ['store', 'warehouse', 'supplier'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 1000, costMinor: 500 }, { maxWeightGrams: 5000, costMinor: 900 }],
      },
    ],
  });
  await put(t, '/v1/carriers/courier', {
    name: 'Coursier sans suivi',
    services: [
      {
        service: 'express', name: 'Express', originTypes: ['warehouse'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], cutoff: '17:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 5000, costMinor: 1500 }],
      },
    ],
  });
  await t.ctx.availability.refresh();
}

export const bob = { email: 'bob.durand@example.fr', phone: '+33 6 98 76 54 32', name: 'Bob Durand', locale: 'fr-FR' };
export const toBob = { method: 'ship', service: 'standard', address: { name: 'Bob Durand', line1: '12 rue Esquermoise', postalCode: '59000', city: 'Lille', country: 'FR' } };

/** Everything a refused step could have written: nothing of it may move. */
export async function stepWrites(t: TestApp): Promise<Record<string, unknown>> {
  const r = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*)::int FROM shipping_label) AS labels,
           (SELECT coalesce(sum(fulfillments + late_shipments), 0)::int FROM location_performance) AS performance,
           (SELECT coalesce(sum(captured_minor), 0)::int FROM payment) AS captured,
           (SELECT string_agg(status || coalesce(shipped_at::text, '') || coalesce(delivered_at::text, '') || parcels::text, ',' ORDER BY id) FROM fulfillment_order) AS fulfillments,
           (SELECT string_agg(status, ',' ORDER BY id) FROM order_allocation) AS allocations,
           (SELECT string_agg(status, ',' ORDER BY id) FROM order_line) AS lines`.execute(t.ctx.db);
  return { ...(await orderWrites(t.ctx.db)), ...r.rows[0]! };
}

export async function ledgerRows(t: TestApp, sku: string, locationId: string, since: number) {
  return t.ctx.db
    .selectFrom('inventory_ledger')
    .select(['cause', 'on_hand_before', 'on_hand_after', 'reserved_before', 'reserved_after', 'source', 'reference'])
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .where('id', '>', String(since))
    .orderBy('id')
    .execute();
}

export async function lastLedgerId(t: TestApp): Promise<number> {
  const r = await t.ctx.db.selectFrom('inventory_ledger').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}

export interface StepView {
  id: string;
  number: string;
  locationId: string;
  kind: string;
  status: string;
  dropShip: boolean;
  lines: Array<{ sku: string; allocationId: string; quantity: number; allocationStatus: string }>;
  shipment: { carrierId: string; service: string; trackingNumber: string; trackingUrl?: string; parcelTrackingNumbers: string[]; labelId: string | null } | null;
  parcels: unknown[];
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** A step that must succeed (200), as `key`. */
export async function stepAs(t: TestApp, key: string, f: { id: string }, name: string, payload?: object, headers: Record<string, string> = {}): Promise<StepView> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/${name}`, headers: { ...auth(key), ...headers }, ...(payload ? { payload } : {}) });
  expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
  return res.json() as StepView;
}

export async function fulfillmentsOf(t: TestApp, orderNumber: string): Promise<StepView[]> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${orderNumber}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as StepView[];
}
