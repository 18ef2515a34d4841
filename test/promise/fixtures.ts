import { expect } from 'vitest';
import type { TestApp } from '../support/test-app.js';

const WEEK = { mon: [{ open: '10:00', close: '19:00' }], tue: [{ open: '10:00', close: '19:00' }], wed: [{ open: '10:00', close: '19:00' }], thu: [{ open: '10:00', close: '19:00' }], fri: [{ open: '10:00', close: '19:00' }], sat: [{ open: '10:00', close: '19:00' }] };
const WAREHOUSE_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '06:00', close: '22:00' }]]));

async function put(t: TestApp, url: string, payload: unknown): Promise<void> {
  const res = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
}

/**
 * A small network built through the API: a Paris store (ship from store, pickup, same day; closed on
 * Sunday; cut-off 15:00; 3 picks a day), a Lyon store (pickup) and a warehouse near Lyon, two carriers
 * with deterministic transit so dates can be asserted exactly.
 */
export async function buildPromiseNetwork(t: TestApp): Promise<void> {
  await put(t, '/v1/locations/store-paris', {
    name: 'Paris Rivoli', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8606, longitude: 2.3376,
    address: { postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: WEEK,
    capabilities: ['ship_from_store', 'pickup', 'same_day'], cutoffs: { standard: '15:00', same_day: '14:00' },
    dailyPickCapacity: 3, handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/store-lyon', {
    name: 'Lyon Part-Dieu', type: 'store', timeZone: 'Europe/Paris', latitude: 45.7606, longitude: 4.8593,
    address: { postalCode: '69003', city: 'Lyon', country: 'FR' }, openingHours: WEEK, capabilities: ['pickup'], handlingCostMinor: 300,
  });
  await put(t, '/v1/locations/wh-lyon', {
    name: 'Saint-Priest DC', type: 'warehouse', timeZone: 'Europe/Paris', latitude: 45.6967, longitude: 4.9445,
    address: { postalCode: '69800', city: 'Saint-Priest', country: 'FR' }, openingHours: WAREHOUSE_WEEK, capabilities: ['ship'], handlingCostMinor: 150,
  });
  await put(t, '/v1/products/SKU-1', { name: 'Pull marin', weightGrams: 500 });
  await put(t, '/v1/products/SKU-2', { name: 'Jean brut', weightGrams: 800 });
  await put(t, '/v1/products/SKU-PRE', { name: 'Parka (précommande)', weightGrams: 1200, backorderable: true });
  await put(t, '/v1/channels/web', { name: 'Web', type: 'web' });
  const asOf = '2026-11-01T00:00:00Z';
  await put(t, '/v1/inventory/store-paris/SKU-1', { onHand: 5, asOf });
  await put(t, '/v1/inventory/wh-lyon/SKU-2', { onHand: 10, asOf });
  await put(t, '/v1/carriers/post', {
    name: 'La Poste test', services: [{
      service: 'standard', name: 'Domicile', originTypes: ['store', 'warehouse'], destinationCountries: ['FR'],
      pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
      lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
      rates: [{ maxWeightGrams: 1000, costMinor: 500 }, { maxWeightGrams: 5000, costMinor: 900 }],
    }],
  });
  await put(t, '/v1/carriers/courier', {
    name: 'Coursier', services: [{
      service: 'same_day', name: 'Jour même', originTypes: ['store'], destinationCountries: ['FR'], maxDistanceKm: 15,
      pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '14:00',
      lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 0, share: 1 }] }], rates: [{ maxWeightGrams: 5000, costMinor: 990 }],
    }],
  });
  await t.ctx.availability.refresh();
}

export interface OptionView {
  optionId: string;
  earliest: string;
  latest: string;
  confidence: number;
  preorder: boolean;
  shipments: Array<{ locationId: string; departureDate?: string; availableFrom?: string; transfer: boolean; carrier?: { carrierId: string; observations: number } }>;
  sourcing: { optimal: boolean; method: string; alternatives?: Array<{ description: string; locationIds: string[]; totalCostMinor: number }> };
}
export interface PromiseBody {
  options: OptionView[];
  unavailable: Array<{ optionId: string; reasons: Array<{ code: string }> }>;
  hold?: { token: string; holdId: string | null; expiresAt: string; status: string; option: OptionView };
}

export async function promise(t: TestApp, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/v1/promise', headers: { ...t.admin, ...headers }, payload: { channel: 'web', ...body } });
}

export async function options(t: TestApp, body: Record<string, unknown>): Promise<PromiseBody> {
  const res = await promise(t, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PromiseBody;
}

export const option = (b: PromiseBody, id: string): OptionView | undefined => b.options.find((o) => o.optionId === id);
export const reasons = (b: PromiseBody, id: string): string[] => b.unavailable.find((u) => u.optionId === id)?.reasons.map((r) => r.code) ?? [];
