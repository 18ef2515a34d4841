import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atLocalTime, holidaySet, type LocationCalendar, type Weekday } from './calendar.js';
import type { Carrier, CarrierServiceConfig, ServiceLevel } from './carriers.js';
import { dayNumberOf, MS_PER_DAY } from './local-date.js';
import { cachedBestQuote } from './quote-cache.js';
import { distributionOf } from './transit-distribution.js';
import { bestQuote, type Destination, type PromiseLocation, type QuoteRequest } from './shipping-quote.js';

const WEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const hours = (open: string, close: string, days: Weekday[] = WEEK) => Object.fromEntries(days.map((d) => [d, [{ open, close }]]));
const frHolidays = holidaySet('FR', 2025, 2028);
const calendar = (timeZone: string, weeklyHours: LocationCalendar['weeklyHours']): LocationCalendar => ({ timeZone, weeklyHours, exceptions: [], holidays: frHolidays });

const origin = (id: string, type: PromiseLocation['type'], cal: LocationCalendar, over: Partial<PromiseLocation> = {}): PromiseLocation => ({
  id, name: id, type, calendar: cal, capabilities: new Set(['ship', 'ship_from_store', 'same_day']), point: null, country: 'FR',
  cutoffs: {}, processingDays: 0, pickupPrepMinutes: 0, handlingCostMinor: 0, preferenceCostMinor: 0, available: new Map(), ...over,
});
const LYON = calendar('Europe/Paris', hours('06:00', '22:00', ['mon', 'tue', 'wed', 'thu', 'fri']));
const ORIGINS = [
  origin('store-paris', 'store', calendar('Europe/Paris', hours('10:00', '19:00')), { cutoffs: { standard: '15:00', same_day: '14:00' } }),
  origin('wh-lyon', 'warehouse', LYON),
  // The same warehouse once it has learned that it misses a pick-up now and then: not the same quotes.
  origin('wh-lyon', 'warehouse', LYON, { departureSlip: distributionOf([{ days: 0, share: 0.9 }, { days: 1, share: 0.08 }, { days: 3, share: 0.02 }]) }),
  origin('supplier', 'supplier', calendar('Europe/Lisbon', hours('08:00', '17:00', ['mon', 'tue', 'wed', 'thu', 'fri'])), { processingDays: 2 }),
  origin('store-noumea', 'store', calendar('Pacific/Noumea', hours('09:00', '18:00')), { cutoffs: { standard: '12:00' } }),
  origin('closed', 'store', calendar('Europe/Paris', {})),
];

const lanes = (bounds: Array<number | null>, days: number[]) => bounds.map((maxDistanceKm, i) => ({ country: 'FR', maxDistanceKm, transit: [{ days: days[i]!, share: 0.8 }, { days: days[i]! + 1, share: 0.2 }] }));
const service = (s: ServiceLevel, over: Partial<CarrierServiceConfig>): CarrierServiceConfig => ({
  service: s, name: s, originTypes: ['store', 'warehouse', 'supplier'], destinationCountries: ['FR'], pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00', lanes: lanes([null], [2]), rates: [{ maxWeightGrams: 5000, costMinor: 600 }], ...over,
});
const CARRIERS: Carrier[] = [
  { id: 'post', name: 'Post', trackingUrlTemplate: null, active: true, services: [service('standard', { lanes: lanes([100, 400, null], [1, 2, 3]) }), service('express', { originTypes: ['warehouse'], cutoff: '17:00', lanes: lanes([null], [1]) })] },
  { id: 'parcel', name: 'Parcel', trackingUrlTemplate: null, active: true, services: [service('standard', { pickupWeekdays: WEEK, cutoff: '13:30', lanes: lanes([250, null], [1, 3]), rates: [{ maxWeightGrams: 5000, costMinor: 450 }] })] },
  { id: 'courier', name: 'Courier', trackingUrlTemplate: null, active: true, services: [service('same_day', { originTypes: ['store'], maxDistanceKm: 15, pickupWeekdays: WEEK, cutoff: '14:00', lanes: lanes([null], [0]) })] },
];
const DESTINATIONS: Destination[] = [
  { country: 'FR', point: null, holidays: frHolidays },
  { country: 'FR', point: null, holidays: new Set(['2026-11-25']) },
  { country: 'BE', point: null, holidays: new Set() },
];
const settings = { confidenceTarget: 0.95, earliestQuantile: 0.1, priorWeight: 30 };
const observed = new Map();

const request = (o: PromiseLocation, s: ServiceLevel, destination: Destination, distanceKm: number, from: number): QuoteRequest => ({
  origin: o, service: s, destination, distanceKm, from, carriers: CARRIERS, observed, settings,
});
const paris = (date: string, time: string) => atLocalTime('Europe/Paris', date, time);

describe('cachedBestQuote', () => {
  it('gives the next departure once a cut-off has passed, and the earlier one again when asked earlier', () => {
    const warehouse = ORIGINS[1]!;
    const at = (time: string, ms = 0) => cachedBestQuote(request(warehouse, 'standard', DESTINATIONS[0]!, 50, paris('2026-11-27', time) + ms));
    const before = at('13:29');
    // Both carriers leave today (Friday); the parcel carrier's 13:30 is the first cut-off the answer rests on.
    expect(before).toMatchObject({ quote: { carrierId: 'parcel', departureDate: '2026-11-27' }, validUntil: paris('2026-11-27', '13:30') });
    expect(at('13:29', 59_999)).toBe(before);
    expect(at('13:30')).toMatchObject({ quote: { carrierId: 'post', departureDate: '2026-11-27' }, validUntil: paris('2026-11-27', '16:00') });
    expect(at('16:00')).toMatchObject({ quote: { departureDate: '2026-11-30' } }); // the warehouse is closed on Saturday
    expect(at('13:00')).toMatchObject({ quote: { carrierId: 'parcel', departureDate: '2026-11-27' } });
  });

  it('tells a location that learned its departure slip from the same location without it', () => {
    const [onTime, slipping] = [ORIGINS[1]!, ORIGINS[2]!];
    const at = paris('2026-11-27', '10:00');
    const plain = cachedBestQuote(request(onTime, 'standard', DESTINATIONS[0]!, 50, at));
    const slipped = cachedBestQuote(request(slipping, 'standard', DESTINATIONS[0]!, 50, at));
    expect(slipped).toEqual(bestQuote(request(slipping, 'standard', DESTINATIONS[0]!, 50, at)));
    expect(slipped).not.toEqual(plain);
  });

  it('a supplier with processing days moves its departure when the order misses the cut-off it meets, not its departure cut-off', () => {
    const supplier = ORIGINS[3]!;
    const lisbon = (time: string) => atLocalTime('Europe/Lisbon', '2026-11-24', time);
    const morning = cachedBestQuote(request(supplier, 'standard', DESTINATIONS[0]!, 500, lisbon('10:00')));
    const evening = cachedBestQuote(request(supplier, 'standard', DESTINATIONS[0]!, 500, lisbon('16:30')));
    expect(evening).toEqual(bestQuote(request(supplier, 'standard', DESTINATIONS[0]!, 500, lisbon('16:30'))));
    expect(evening).not.toEqual(morning);
  });

  it('answers exactly what bestQuote answers, whatever the order of the questions', () => {
    const days = [dayNumberOf('2026-03-26'), dayNumberOf('2026-04-02'), dayNumberOf('2026-10-22'), dayNumberOf('2026-11-30'), dayNumberOf('2026-12-24')];
    // Whole minutes around cut-offs and midnights, and any millisecond.
    const instant = fc
      .tuple(fc.constantFrom(...days), fc.oneof(fc.integer({ min: -12 * 60, max: 48 * 60 }).map((m) => m * 60_000), fc.integer({ min: 0, max: 2 * MS_PER_DAY })), fc.integer({ min: -1, max: 1 }))
      .map(([day, ms, nudge]) => day * MS_PER_DAY + ms + nudge);
    const distance = fc.oneof(fc.constantFrom(0, 15, 15.0001, 100, 100.5, 250, 400, 401, 2000, Number.NaN), fc.double({ min: 0, max: 1500, noNaN: true }));
    const ask = fc.record({
      origin: fc.constantFrom(...ORIGINS),
      service: fc.constantFrom<ServiceLevel>('standard', 'express', 'same_day'),
      destination: fc.constantFrom(...DESTINATIONS),
      distance,
      from: instant,
    });
    fc.assert(
      fc.property(fc.array(ask, { minLength: 1, maxLength: 40 }), (asks) => {
        for (const a of asks) {
          const req = request(a.origin, a.service, a.destination, a.distance, a.from);
          expect(cachedBestQuote(req)).toEqual(bestQuote(req));
        }
      }),
      { numRuns: 300 },
    );
  });
});
