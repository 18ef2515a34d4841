import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addDeliveryDays, atLocalTime, holidaySet, nextDeparture, type DepartureRule, type LocationCalendar, type Weekday } from './calendar.js';
import { dateQuantile, deliveryDates, departureOpportunities, learnSlips, MAX_SLIP, ON_TIME, slipBetween, type DeliveryDates } from './departure-slip.js';
import { dateOfDayNumber, dayNumberOf } from './local-date.js';
import { distributionOf, transitProbabilityWithin, transitQuantile, type TransitShare } from './transit-distribution.js';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const MON_SAT = new Set<Weekday>([...WEEKDAYS, 'sat']);
const FR = holidaySet('FR', 2025, 2027);
const hours = (days: readonly Weekday[]) => Object.fromEntries(days.map((d) => [d, [{ open: '09:00', close: '19:00' }]]));
const store: LocationCalendar = { timeZone: 'Europe/Paris', weeklyHours: hours([...WEEKDAYS, 'sat']), exceptions: [], holidays: FR };
/** Carrier collecting Monday to Friday at 16:00. */
const rule: DepartureRule = { cutoff: '16:00', pickupWeekdays: new Set(WEEKDAYS) };
const delivery = { deliveryWeekdays: MON_SAT, holidays: FR };
const dist = (...pairs: Array<[number, number]>) => distributionOf(pairs.map(([days, share]) => ({ days, share })));
const planned = (date: string) => nextDeparture(store, atLocalTime('Europe/Paris', date, '00:00'), rule)!;
/** P(delivered on or before `date`), read off the distribution. */
function deliveredBy(d: DeliveryDates, date: string): number {
  let p = 0;
  for (let i = 0; i < d.days.length && d.days[i]! <= dayNumberOf(date); i++) p = d.cumulative[i]!;
  return p;
}

describe('slipBetween: departure opportunities late', () => {
  it('counts eligible days after the planned one, a departure on a day without pick-up as the next one', () => {
    expect(slipBetween(store, rule, '2026-11-23', '2026-11-23')).toBe(0); // Monday as planned
    expect(slipBetween(store, rule, '2026-11-23', '2026-11-20')).toBe(0); // early counts as on time
    expect(slipBetween(store, rule, '2026-11-23', '2026-11-26')).toBe(3); // Thursday: Tue, Wed, Thu
    expect(slipBetween(store, rule, '2026-11-27', '2026-11-30')).toBe(1); // Friday → Monday
    expect(slipBetween(store, rule, '2026-11-27', '2026-11-28')).toBe(1); // Saturday: no pick-up, as Monday
    // Thursday 7 May 2026, Friday 8 May is a public holiday: Monday 11 is the next opportunity.
    expect(slipBetween(store, rule, '2026-05-07', '2026-05-11')).toBe(1);
    expect(slipBetween(store, rule, '2026-01-05', '2026-06-30')).toBe(MAX_SLIP);
  });

  it('is the inverse of departureOpportunities: the k-th opportunity after the planned one is k late', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: MAX_SLIP }), (date, k) => {
        const first = planned(date);
        const dates = departureOpportunities(store, first, rule, k);
        expect(dates).toHaveLength(k + 1);
        expect(dates[0]).toBe(first.date);
        expect(slipBetween(store, rule, first.date, dates[k]!)).toBe(k);
      }),
    );
  });
});

describe('learnSlips: per location on top of its type', () => {
  const locations = [
    { id: 'wh', type: 'warehouse' },
    { id: 'store-a', type: 'store' },
    { id: 'store-b', type: 'store' },
    { id: 'store-new', type: 'store' },
  ];

  it('pools a type, weighs each prior as priorWeight departures, and leaves types without evidence on time', () => {
    const counts = new Map([
      ['store-a', new Map([[0, 90], [1, 10]])],
      ['store-b', new Map([[0, 100]])],
    ]);
    const slips = learnSlips(locations, counts, 10);
    // Stores pooled: 190 on time, 10 one late, over 10 on time: P(1) = 10 / 210.
    const type = slips.get('store-new')!;
    expect(type.shares[1]).toBeCloseTo(10 / 210, 12);
    // Store A: its 100 over the type's 10: P(1) = (10 · 10/210 + 10) / 110.
    expect(slips.get('store-a')!.shares[1]).toBeCloseTo((10 * (10 / 210) + 10) / 110, 12);
    expect(slips.get('store-a')!.observations).toBe(100);
    expect(slips.get('wh')).toBe(ON_TIME);
  });

  it('counts a slip beyond MAX_SLIP as MAX_SLIP', () => {
    const slips = learnSlips([{ id: 'x', type: 'store' }], new Map([['x', new Map([[0, 5], [40, 5]])]]), 0);
    expect(slips.get('x')!.days).toEqual([0, MAX_SLIP]);
  });
});

describe('deliveryDates: slip ⊕ transit over the calendars', () => {
  it('dates a parcel by where each slip leaves it and what each transit day adds', () => {
    // Planned Friday 27 November: on time with 0.9, else Monday 30; one delivery day either way.
    const dates = deliveryDates(departureOpportunities(store, planned('2026-11-27'), rule, 1), dist([0, 0.9], [1, 0.1]), dist([1, 1]), delivery);
    expect(dates.days.map(dateOfDayNumber)).toEqual(['2026-11-28', '2026-12-01']);
    expect(deliveredBy(dates, '2026-11-28')).toBeCloseTo(0.9, 12);
    expect(deliveredBy(dates, '2026-11-30')).toBeCloseTo(0.9, 12);
    expect(deliveredBy(dates, '2026-11-27')).toBe(0);
    expect(dateQuantile(dates, 0.9)).toEqual({ date: '2026-11-28', probability: 0.9 });
    expect(dateQuantile(dates, 0.95)).toEqual({ date: '2026-12-01', probability: 1 });
  });

  const transit = fc.array(fc.record({ days: fc.integer({ min: 0, max: 8 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 6 });
  const slip = fc.array(fc.record({ days: fc.integer({ min: 0, max: 4 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 4 });
  const date = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2026-01-01', n));
  const q = fc.double({ min: 0.01, max: 1, noNaN: true });

  it('without slip, gives the dates and probabilities of transit alone (what promises said before slips)', () => {
    fc.assert(
      fc.property(transit, date, q, (shares: TransitShare[], from, p) => {
        const t = distributionOf(shares);
        const dep = planned(from);
        const dates = deliveryDates([dep.date], ON_TIME, t, delivery);
        const latest = dateQuantile(dates, p);
        expect(latest.date).toBe(addDeliveryDays(dep.date, transitQuantile(t, p), delivery));
        expect(latest.probability).toBeCloseTo(transitProbabilityWithin(t, transitQuantile(t, p)), 12);
      }),
    );
  });

  it('is a distribution: P(by date) is the sum over slip and transit, ends at 1, and any slip only delays', () => {
    fc.assert(
      fc.property(slip, transit, date, q, (slipShares, transitShares, from, p) => {
        const s = distributionOf(slipShares);
        const t = distributionOf(transitShares);
        const departures = departureOpportunities(store, planned(from), rule, 4);
        const dates = deliveryDates(departures, s, t, delivery);
        expect(dates.cumulative[dates.cumulative.length - 1]).toBeCloseTo(1, 9);
        for (const d of dates.days.map(dateOfDayNumber)) {
          let brute = 0;
          s.days.forEach((k, i) => t.days.forEach((days, j) => {
            if (addDeliveryDays(departures[k]!, days, delivery) <= d) brute += s.shares[i]! * t.shares[j]!;
          }));
          expect(deliveredBy(dates, d)).toBeCloseTo(brute, 9);
        }
        const onTime = deliveryDates(departures, ON_TIME, t, delivery);
        expect(dateQuantile(dates, p).date >= dateQuantile(onTime, p).date).toBe(true);
        expect(dateQuantile(dates, p).probability).toBeGreaterThanOrEqual(p - 1e-9);
        expect(deliveredBy(dates, dateQuantile(dates, p).date)).toBe(dateQuantile(dates, p).probability);
      }),
    );
  });
});
