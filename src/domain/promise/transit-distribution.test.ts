import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryDaysBetween, laneFor, type TransitLane } from './carriers.js';
import { addDeliveryDays, type Weekday } from './calendar.js';
import { distributionOf, learnDistribution, transitProbabilityWithin, transitQuantile } from './transit-distribution.js';

const MON_SAT = new Set<Weekday>(['mon', 'tue', 'wed', 'thu', 'fri', 'sat']);

describe('transit distributions', () => {
  it('learns from deliveries in proportion to the prior weight (the documented example)', () => {
    const learned = learnDistribution(distributionOf([{ days: 1, share: 0.9 }, { days: 2, share: 0.1 }]), new Map([[1, 50], [3, 30]]), 20);
    expect(learned.days).toEqual([1, 2, 3]);
    expect(learned.shares.map((s) => Math.round(s * 100))).toEqual([68, 2, 30]);
    expect(learned.observations).toBe(80);
  });

  it('quantile and probability agree: P(T ≤ q(p)) ≥ p, and q is the smallest such day', () => {
    const shares = fc.array(fc.record({ days: fc.integer({ min: 0, max: 10 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(shares, fc.double({ min: 0.01, max: 1, noNaN: true }), (points, p) => {
        const dist = distributionOf(points);
        const q = transitQuantile(dist, p);
        expect(transitProbabilityWithin(dist, q)).toBeGreaterThanOrEqual(p - 1e-9);
        if (q > dist.days[0]!) expect(transitProbabilityWithin(dist, q - 1)).toBeLessThan(p + 1e-9);
      }),
    );
  });

  it('picks the narrowest distance band that covers the distance, the open band when unknown', () => {
    const lanes: TransitLane[] = [
      { country: 'FR', maxDistanceKm: 400, transit: [{ days: 1, share: 1 }] },
      { country: 'FR', maxDistanceKm: 100, transit: [{ days: 1, share: 1 }] },
      { country: 'FR', maxDistanceKm: null, transit: [{ days: 2, share: 1 }] },
    ];
    expect(laneFor(lanes, 'FR', 50)?.maxDistanceKm).toBe(100);
    expect(laneFor(lanes, 'FR', 100)?.maxDistanceKm).toBe(100);
    expect(laneFor(lanes, 'FR', 101)?.maxDistanceKm).toBe(400);
    expect(laneFor(lanes, 'FR', 900)?.maxDistanceKm).toBeNull();
    expect(laneFor(lanes, 'FR', Number.NaN)?.maxDistanceKm).toBeNull();
    expect(laneFor(lanes, 'BE', 10)).toBeUndefined();
  });

  it('counts observed transit in the delivery days the promise adds (round trip with addDeliveryDays)', () => {
    const holidays = new Set(['2026-12-25']);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 12 }), (offset, n) => {
        const departed = new Date(Date.UTC(2026, 10, 1 + offset)).toISOString().slice(0, 10);
        const delivered = addDeliveryDays(departed, n, { deliveryWeekdays: MON_SAT, holidays });
        expect(deliveryDaysBetween(departed, delivered, MON_SAT, holidays)).toBe(n);
      }),
    );
    // Friday → Monday is 2 delivery days (Saturday, Monday); Christmas does not count.
    expect(deliveryDaysBetween('2026-11-27', '2026-11-30', MON_SAT, holidays)).toBe(2);
    expect(deliveryDaysBetween('2026-12-24', '2026-12-26', MON_SAT, holidays)).toBe(1);
  });
});
