import { describe, expect, it } from 'vitest';
import type { Carrier } from './carriers.js';
import { computePromise, type PromiseInput } from './delivery-promise.js';
import type { PromiseLocation } from './shipping-quote.js';

const DAY = [{ open: '09:00', close: '20:00' }];
const calendar = { timeZone: 'Europe/Paris', weeklyHours: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY }, exceptions: [], holidays: new Set<string>() };
const service = (level: 'standard' | 'express', costMinor: number): Carrier['services'][number] => ({
  service: level, name: level, originTypes: ['store'], destinationCountries: ['FR'],
  pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '17:00',
  lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: level === 'express' ? 1 : 2, share: 1 }] }], rates: [{ maxWeightGrams: 5000, costMinor }],
});
const carrier: Carrier = { id: 'post', name: 'Post', trackingUrlTemplate: null, active: true, services: [service('standard', 500), service('express', 900)] };

function store(id: string, stock: Record<string, number>, latitude: number): PromiseLocation {
  return {
    id, name: id, type: 'store', calendar, capabilities: new Set(['ship_from_store', 'pickup']), point: { latitude, longitude: 2.35 }, country: 'FR',
    cutoffs: {}, processingDays: 0, pickupPrepMinutes: 60, handlingCostMinor: 200, preferenceCostMinor: 0, available: new Map(Object.entries(stock)),
  };
}

function input(extra: Partial<PromiseInput> = {}): PromiseInput {
  return {
    now: Date.parse('2026-11-24T09:00:00Z'), // Tuesday 10:00 in Paris
    lines: [
      { lineId: '1', sku: 'A', quantity: 1, weightGrams: 500, backorderable: false, preorderable: false },
      { lineId: '2', sku: 'B', quantity: 1, weightGrams: 500, backorderable: false, preorderable: false },
    ],
    destination: { country: 'FR', point: { latitude: 48.86, longitude: 2.35 }, timeZone: 'Europe/Paris', holidays: new Set() },
    locations: [store('store-a', { A: 3 }, 48.86), store('store-ab', { A: 1, B: 2 }, 48.9), store('store-b', { B: 4 }, 48.87)],
    supply: [],
    carriers: [carrier],
    observed: new Map(),
    settings: { confidenceTarget: 0.95, earliestQuantile: 0.1, priorWeight: 30, pickupRadiusKm: 30, maxPickupStores: 5, splitPenaltyMinor: 250 },
    holidaysOf: () => new Set(),
    ...extra,
  };
}

describe('what a promise computes', () => {
  const everything = computePromise(input({ explain: true }));

  it('computes every option by default, without alternatives unless explained', () => {
    const plain = computePromise(input());
    expect(plain.options.map((o) => o.optionId)).toEqual(everything.options.map((o) => o.optionId));
    expect(plain.options.map((o) => o.optionId)).toEqual(expect.arrayContaining(['ship:standard', 'ship:express', 'click_and_collect:store-ab']));
    for (const o of plain.options) expect(o.sourcing.alternatives).toBeUndefined();
    for (const o of everything.options) expect(o.sourcing.alternatives).toBeDefined();
    // Same plans, same dates and costs: only the explanation differs.
    const strip = (r: ReturnType<typeof computePromise>) => r.options.map((o) => ({ ...o, sourcing: { ...o.sourcing, alternatives: undefined } }));
    expect(strip(plain)).toEqual(strip(everything));
  });

  it('with `only`, computes that option alone, exactly as among all of them, and explains it', () => {
    for (const wanted of ['ship:express', 'click_and_collect:store-ab', 'reserve_and_collect:store-ab']) {
      const alone = computePromise(input({ only: wanted, explain: wanted }));
      const among = [...everything.options, ...everything.unavailable].filter((o) => o.optionId === wanted);
      expect([...alone.options, ...alone.unavailable]).toEqual(among);
    }
  });

  it('explains only the option named', () => {
    const one = computePromise(input({ explain: 'ship:standard' }));
    for (const o of one.options) expect(o.sourcing.alternatives === undefined).toBe(o.optionId !== 'ship:standard');
  });
});
