import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parcelCount, planCost, shipmentCost, shippingCost, shippingTable } from './cost-model.js';
import type { SourcingCandidate } from './sourcing-types.js';

const card = shippingTable([
  { maxWeightGrams: 1_000, costMinor: 400 },
  { maxWeightGrams: 5_000, costMinor: 700 },
  { maxWeightGrams: 20_000, costMinor: 1_500 },
]);

const store: SourcingCandidate = {
  locationId: 'store-lyon',
  locationType: 'store',
  available: new Map([
    ['SHIRT', 3],
    ['SHOE', 1],
  ]),
  capacityLeft: 3,
  distanceKm: 12,
  shippingBands: [
    { maxWeightGrams: 1_000, costMinor: 400 },
    { maxWeightGrams: 5_000, costMinor: 700 },
  ],
  handlingCostMinor: 300,
  preferenceCostMinor: -50,
};

describe('shipping by weight band', () => {
  it('prices a parcel by the lightest band that holds it', () => {
    expect(shippingCost(card, 0)).toBe(400);
    expect(shippingCost(card, 1_000)).toBe(400);
    expect(shippingCost(card, 1_001)).toBe(700);
    expect(shippingCost(card, 20_000)).toBe(1_500);
    expect(parcelCount(card, 20_000)).toBe(1);
  });

  it('splits a shipment heavier than the heaviest band into full parcels plus the remainder', () => {
    expect(shippingCost(card, 45_000)).toBe(2 * 1_500 + 700);
    expect(parcelCount(card, 45_000)).toBe(3);
    expect(shippingCost(card, 40_000)).toBe(2 * 1_500);
    expect(parcelCount(card, 40_000)).toBe(2);
  });

  it('takes the cheapest band that fits when a rate card is not monotone', () => {
    const odd = shippingTable([
      { maxWeightGrams: 5_000, costMinor: 900 },
      { maxWeightGrams: 2_000, costMinor: 1_200 },
      { maxWeightGrams: 10_000, costMinor: 800 },
    ]);
    expect(shippingCost(odd, 1_500)).toBe(800);
    expect(shippingCost(odd, 12_000)).toBe(1_600);
  });

  it('refuses an empty or invalid rate card', () => {
    expect(() => shippingTable([])).toThrow(RangeError);
    expect(() => shippingTable([{ maxWeightGrams: 0, costMinor: 1 }])).toThrow(RangeError);
    expect(() => shippingTable([{ maxWeightGrams: 10, costMinor: -1 }])).toThrow(RangeError);
  });

  it('never gets cheaper when the weight grows (the heuristic bound relies on it)', () => {
    const bands = fc.array(fc.record({ maxWeightGrams: fc.integer({ min: 1, max: 30_000 }), costMinor: fc.integer({ min: 0, max: 5_000 }) }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(bands, fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 50_000 }), (b, w, extra) => {
        const t = shippingTable(b);
        expect(shippingCost(t, w + extra)).toBeGreaterThanOrEqual(shippingCost(t, w));
        expect(parcelCount(t, w + extra)).toBeGreaterThanOrEqual(parcelCount(t, w));
      }),
    );
  });
});

describe('shipment and plan cost', () => {
  it('adds handling, shipping and preference', () => {
    const s = shipmentCost(store, [
      { lineId: '1', sku: 'SHIRT', quantity: 2, unitWeightGrams: 300 },
      { lineId: '2', sku: 'SHOE', quantity: 1, unitWeightGrams: 900 },
    ]);
    expect(s).toMatchObject({ locationId: 'store-lyon', weightGrams: 1_500, parcels: 1, costMinor: 300 + 700 - 50 });
    expect(s.breakdown).toEqual({ handlingMinor: 300, shippingMinor: 700, preferenceMinor: -50 });
  });

  it('charges the split penalty once per shipment beyond the first', () => {
    expect(planCost([], 500)).toBe(0);
    expect(planCost([{ costMinor: 1_000 }], 500)).toBe(1_000);
    expect(planCost([{ costMinor: 1_000 }, { costMinor: 800 }, { costMinor: 900 }], 500)).toBe(3_700);
  });
});
