import { expect } from 'vitest';
import { placeOrder } from '../orders/fixtures.js';
import type { TestApp } from '../support/test-app.js';
import { put } from './ship-fixtures.js';

const DAY = [{ open: '09:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };

/** Monday 23 November 2026, 10:00 in Paris: both stores open, before the carrier's cut-off. */
export const MONDAY_10H = '2026-11-23T09:00:00Z';
export const HOLD_MINUTES = 10;

/**
 * Two Paris stores shipping to Paris: Rivoli handles a little cheaper (250 vs 300) and holds a shirt and
 * jeans; Opéra holds a shirt only. Orders sourced one by one let the first shirt order take Rivoli's
 * shirt, so a later shirt + jeans order ships in two parcels, unless the held orders are re-planned.
 */
export async function buildBatchNetwork(t: TestApp, stock: { rivoliShirts?: number; operaShirts?: number; operaHandling?: number } = {}): Promise<void> {
  t.clock.set(MONDAY_10H);
  for (const [id, name, handlingCostMinor, lat, lon] of [
    ['store-rivoli', 'Paris Rivoli', 250, 48.8606, 2.3376],
    ['store-opera', 'Paris Opéra', stock.operaHandling ?? 300, 48.8708, 2.3319],
  ] as const) {
    await put(t, `/v1/locations/${id}`, {
      name, type: 'store', timeZone: 'Europe/Paris', latitude: lat, longitude: lon,
      address: { line1: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK,
      capabilities: ['ship_from_store'], handlingCostMinor,
    });
  }
  await put(t, '/v1/products/SHIRT', { name: 'Chemise', weightGrams: 300, prices: { EUR: 3990 } });
  await put(t, '/v1/products/JEANS', { name: 'Jean', weightGrams: 600, prices: { EUR: 6990 } });
  await put(t, '/v1/channels/web', { name: 'web shop', type: 'web' });
  const asOf = '2026-11-01T00:00:00Z';
  await put(t, '/v1/inventory/store-rivoli/SHIRT', { onHand: stock.rivoliShirts ?? 1, asOf });
  await put(t, '/v1/inventory/store-rivoli/JEANS', { onHand: 1, asOf });
  await put(t, '/v1/inventory/store-opera/SHIRT', { onHand: stock.operaShirts ?? 1, asOf });
  await put(t, '/v1/carriers/post', {
    name: 'La Poste test',
    services: [
      {
        service: 'standard', name: 'Domicile', originTypes: ['store'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 1000, costMinor: 400 }, { maxWeightGrams: 5000, costMinor: 650 }],
      },
    ],
  });
  const res = await t.app.inject({ method: 'PATCH', url: '/v1/fulfillment-settings', headers: t.admin, payload: { releaseHoldMinutes: HOLD_MINUTES } });
  expect(res.statusCode, res.body).toBe(200);
  await t.ctx.availability.refresh();
}

export const customer = (n: number) => ({ email: `client${n}@example.fr`, name: `Client ${n}`, locale: 'fr-FR' });
export const toParis = (line1 = '10 rue Oberkampf') => ({ method: 'ship', service: 'standard', address: { name: 'Client', line1, postalCode: '75011', city: 'Paris', country: 'FR' } });

export async function order(t: TestApp, who: object, lines: Array<[string, number]>, delivery: object = toParis()): Promise<{ id: string; number: string }> {
  const res = await placeOrder(t, { customer: who, delivery, lines: lines.map(([sku, quantity]) => ({ sku, quantity })) });
  expect(res.statusCode, res.body).toBe(201);
  await t.ctx.availability.refresh();
  return res.json() as { id: string; number: string };
}

/** Held or open work of the order: location and units. */
export async function workOf(t: TestApp, orderNumber: string): Promise<Array<{ id: string; status: string; locationId: string; units: string[]; mergedIntoId?: string; mergedFulfillmentIds?: string[] }>> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${orderNumber}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Array<{ id: string; status: string; locationId: string; lines: Array<{ sku: string; quantity: number }>; mergedIntoId?: string; mergedFulfillmentIds?: string[] }>)
    .filter((f) => f.status !== 'cancelled')
    .map((f) => ({ id: f.id, status: f.status, locationId: f.locationId, units: f.lines.map((l) => `${l.sku}×${l.quantity}`), ...(f.mergedIntoId ? { mergedIntoId: f.mergedIntoId } : {}), ...(f.mergedFulfillmentIds ? { mergedFulfillmentIds: f.mergedFulfillmentIds } : {}) }));
}
