import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, order, workOf } from './batch-fixtures.js';
import { auth, createStoreKey, put } from './ship-fixtures.js';

const DAY = [{ open: '09:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };
let customers = 100;

/**
 * buildBatchNetwork (Rivoli: 2 shirts, Opéra: 3) where Opéra picks one unit a day, and Bastille (dearer
 * to handle) holds 3 shirts, so the network serves two re-routed shirts at once only by using both;
 * answers Rivoli's store key.
 */
export async function buildScarcePickNetwork(t: TestApp): Promise<string> {
  await buildBatchNetwork(t, { rivoliShirts: 2, operaShirts: 3 });
  const store = (name: string, handlingCostMinor: number, lat: number, lon: number, dailyPickCapacity?: number) => ({
    name, type: 'store', timeZone: 'Europe/Paris', latitude: lat, longitude: lon,
    address: { line1: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK,
    capabilities: ['ship_from_store'], handlingCostMinor, ...(dailyPickCapacity ? { dailyPickCapacity } : {}),
  });
  await put(t, '/v1/locations/store-opera', store('Paris Opéra', 300, 48.8708, 2.3319, 1));
  await put(t, '/v1/locations/store-bastille', store('Paris Bastille', 400, 48.8532, 2.3691));
  await put(t, '/v1/inventory/store-bastille/SHIRT', { onHand: 3, asOf: '2026-11-01T00:00:00Z' });
  await t.ctx.availability.refresh();
  return createStoreKey(t, 'rivoli till', ['store-rivoli']);
}

/** buildBatchNetwork with stock for several parcels (Rivoli: 10 shirts, 5 jeans; Opéra: 5 shirts); answers Rivoli's store key. */
export async function buildParcelNetwork(t: TestApp): Promise<string> {
  await buildBatchNetwork(t, { rivoliShirts: 10, operaShirts: 5 });
  await put(t, '/v1/inventory/store-rivoli/JEANS', { onHand: 5, asOf: '2026-11-02T00:00:00Z' });
  await t.ctx.availability.refresh();
  return createStoreKey(t, 'rivoli till', ['store-rivoli']);
}

/**
 * Orders of one new customer to the shared Paris address (a minute apart), released after the hold and
 * merged at Rivoli; the parcel accepted by `storeKey`. Answers the lead and the orders, oldest first.
 */
export async function mergedParcelAt(t: TestApp, storeKey: string, carts: ReadonlyArray<Array<[string, number]>>) {
  const who = customer(++customers);
  const orders: Array<{ id: string; number: string }> = [];
  for (const lines of carts) {
    t.clock.advance(60_000);
    orders.push(await order(t, who, lines));
  }
  t.clock.advance(HOLD_MINUTES * 60_000);
  await t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
  await t.ctx.availability.refresh();
  const work = (await Promise.all(orders.map((o) => workOf(t, o.number)))).map((w) => w[0]!);
  const lead = work[0]!;
  expect(lead.mergedFulfillmentIds, JSON.stringify(work)).toHaveLength(carts.length - 1);
  expect(work.map((w) => w.locationId)).toEqual(work.map(() => 'store-rivoli'));
  const accepted = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead.id}/accept`, headers: auth(storeKey), payload: {} });
  expect(accepted.statusCode, accepted.body).toBe(200);
  return { lead, members: work.slice(1), orders };
}

/**
 * For a describe block: an app on buildParcelNetwork, created before its tests and closed after (read
 * `t` and `rivoli` inside the tests), and a step on a fulfillment as Rivoli's store app sends it.
 */
export function parcelNetworkSuite() {
  const suite = {
    t: undefined as unknown as TestApp,
    rivoli: '',
    step: (f: { id: string }, name: string, payload: object = {}) => suite.t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/${name}`, headers: auth(suite.rivoli), payload }),
  };
  beforeAll(async () => {
    suite.t = await createTestApp();
    suite.rivoli = await buildParcelNetwork(suite.t);
  });
  afterAll(() => suite.t?.close());
  return suite;
}
