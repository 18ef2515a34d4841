import { describe, expect, it } from 'vitest';
import type { Carrier } from './carriers.js';
import { computePromise, type PromiseInput } from './delivery-promise.js';
import type { PromiseLocation } from './shipping-quote.js';

const DAY = [{ open: '10:00', close: '19:00' }];
const calendar = { timeZone: 'Europe/Paris', weeklyHours: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY }, exceptions: [], holidays: new Set<string>() };
const carrier: Carrier = {
  id: 'post',
  name: 'Post',
  trackingUrlTemplate: null,
  active: true,
  services: [
    {
      service: 'standard', name: 'Home', originTypes: ['store'], destinationCountries: ['FR'],
      pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
      lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }], rates: [{ maxWeightGrams: 5000, costMinor: 500 }],
    },
  ],
};

function store(id: string, handlingCostMinor: number, extra: Partial<PromiseLocation> = {}): PromiseLocation {
  return {
    id, name: id, type: 'store', calendar, capabilities: new Set(['ship_from_store']), point: { latitude: 48.86, longitude: 2.34 }, country: 'FR',
    cutoffs: {}, processingDays: 0, pickupPrepMinutes: 60, handlingCostMinor, preferenceCostMinor: 0, available: new Map([['A', 5]]), ...extra,
  };
}

function sourceAt(now: string, load: Record<string, number>): string[] {
  const input: PromiseInput = {
    now: Date.parse(now),
    lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500, backorderable: false, preorderable: false }],
    destination: { country: 'FR', point: { latitude: 48.86, longitude: 2.38 }, timeZone: 'Europe/Paris', holidays: new Set() },
    locations: [store('cheap', 100, { capacityLeft: 0, pickDays: { capacity: 2, load: new Map(Object.entries(load)) } }), store('dear', 400)],
    supply: [],
    carriers: [carrier],
    observed: new Map(),
    settings: { confidenceTarget: 0.95, earliestQuantile: 0.1, priorWeight: 30, pickupRadiusKm: 30, maxPickupStores: 5, splitPenaltyMinor: 250 },
    holidaysOf: () => new Set(),
    services: ['standard'],
  };
  return computePromise(input).options.find((o) => o.optionId === 'ship:standard')!.shipments.map((s) => `${s.locationId}@${s.departureDate}`);
}

describe('daily pick capacity in sourcing', () => {
  it("checks the capacity of the day the units leave (where the promise hold counts them), not today's", () => {
    // Monday 10:00 in Paris: leaves Monday. A full Tuesday does not matter, a full Monday does.
    expect(sourceAt('2026-11-23T09:00:00Z', { '2026-11-24': 2 })).toEqual(['cheap@2026-11-23']);
    expect(sourceAt('2026-11-23T09:00:00Z', { '2026-11-23': 2 })).toEqual(['dear@2026-11-23']);
    // Monday 17:00, after the cut-off: leaves Tuesday, so Tuesday's load decides.
    expect(sourceAt('2026-11-23T16:00:00Z', { '2026-11-23': 2 })).toEqual(['cheap@2026-11-24']);
    expect(sourceAt('2026-11-23T16:00:00Z', { '2026-11-24': 2 })).toEqual(['dear@2026-11-24']);
    expect(sourceAt('2026-11-23T16:00:00Z', { '2026-11-24': 1 })).toEqual(['cheap@2026-11-24']);
  });
});
