import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addDeliveryDays,
  addOpenMinutes,
  atLocalTime,
  holidaySet,
  isOpenAt,
  isOpenDay,
  localDateOf,
  nextDeparture,
  nextOpenInstant,
  openIntervalsOn,
  weekdayOf,
  WEEKDAYS,
  type DepartureRule,
  type LocationCalendar,
  type TimeInterval,
  type Weekday,
  type WeeklyHours,
} from './calendar.js';
import { dateOfDayNumber, dayNumberOf, MS_PER_DAY } from './local-date.js';

// Dates are drawn from two windows holding the spring and autumn changes of every zone below, so that
// opening hours, exceptions and instants meet daylight-saving days often.
const SPRING = [dayNumberOf('2026-03-01'), dayNumberOf('2026-04-15')] as const;
const AUTUMN = [dayNumberOf('2026-09-20'), dayNumberOf('2026-11-10')] as const;
const dayNumber = fc.oneof(fc.integer({ min: SPRING[0], max: SPRING[1] }), fc.integer({ min: AUTUMN[0], max: AUTUMN[1] }));
const date = dayNumber.map(dateOfDayNumber);
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const time = fc.integer({ min: 0, max: 1439 }).map(hhmm);
const interval: fc.Arbitrary<TimeInterval> = fc
  .tuple(fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 720 }))
  .map(([open, length]) => ({ open: hhmm(open), close: hhmm(Math.min(1439, open + length)) }));
const dayHours = fc.array(interval, { maxLength: 3 });
const weeklyHours: fc.Arbitrary<WeeklyHours> = fc.record(
  Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours])) as Record<Weekday, typeof dayHours>,
  { requiredKeys: [] },
);
const weekdaySet = fc.subarray([...WEEKDAYS]).map((days) => new Set<Weekday>(days));
const calendar: fc.Arbitrary<LocationCalendar> = fc.record({
  timeZone: fc.constantFrom('Europe/Paris', 'Europe/Lisbon', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland', 'Australia/Lord_Howe'),
  weeklyHours,
  exceptions: fc.array(
    fc.record({ date, closed: fc.option(fc.boolean(), { nil: undefined }), hours: fc.option(dayHours, { nil: undefined }) }),
    { maxLength: 8 },
  ),
  holidays: fc.oneof(fc.constant(holidaySet('FR', 2026, 2027)), fc.array(date, { maxLength: 10 }).map((d) => new Set(d))),
});
/** Instants in the windows, at any millisecond or on whole minutes (where cut-offs and boundaries sit). */
const instant = fc
  .tuple(dayNumber, fc.oneof(fc.integer({ min: -14 * 60, max: 38 * 60 }).map((m) => m * 60_000), fc.integer({ min: 0, max: MS_PER_DAY - 1 })))
  .map(([day, ms]) => day * MS_PER_DAY + ms);
const minutes = fc.integer({ min: 0, max: 3000 });
const BIG = 400;

/** Open milliseconds of the calendar inside [from, to]. */
function openTimeBetween(cal: LocationCalendar, from: number, to: number): number {
  let total = 0;
  for (let d = localDateOf(cal.timeZone, from); d <= localDateOf(cal.timeZone, to); d = addDays(d, 1)) {
    for (const i of openIntervalsOn(cal, d)) total += Math.max(0, Math.min(i.end, to) - Math.max(i.start, from));
  }
  return total;
}

/** `at` and the instants where opening intervals of its local date begin and end (± 1 ms). */
function aroundBoundaries(cal: LocationCalendar, at: number): number[] {
  const edges = openIntervalsOn(cal, localDateOf(cal.timeZone, at)).flatMap((i) => [i.start, i.end]);
  return [at, ...edges.flatMap((e) => [e - 1, e, e + 1])];
}

describe('opening intervals', () => {
  it('lie inside their local date, sorted and disjoint, and say exactly when the location is open', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, at) => {
        const today = localDateOf(cal.timeZone, at);
        const intervals = openIntervalsOn(cal, today);
        intervals.forEach((i, k) => {
          expect(i.start).toBeLessThan(i.end);
          expect(localDateOf(cal.timeZone, i.start)).toBe(today);
          expect(localDateOf(cal.timeZone, i.end - 1)).toBe(today);
          if (k > 0) expect(i.start).toBeGreaterThan((intervals[k - 1] as { end: number }).end);
        });
        expect(isOpenDay(cal, today)).toBe(intervals.length > 0);
        expect(isOpenAt(cal, at)).toBe(intervals.some((i) => i.start <= at && at < i.end));
      }),
      { numRuns: 500 },
    );
  });
});

describe('nextOpenInstant', () => {
  it('is ≥ at, open, and nothing is open before it', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 20 }), (cal, around, horizon) => {
        for (const at of aroundBoundaries(cal, around)) {
          const next = nextOpenInstant(cal, at, horizon);
          if (next === null) {
            const horizonEnd = atLocalTime(cal.timeZone, addDays(localDateOf(cal.timeZone, at), horizon), '23:59');
            expect(openTimeBetween(cal, at, horizonEnd)).toBe(0);
            continue;
          }
          expect(next).toBeGreaterThanOrEqual(at);
          expect(isOpenAt(cal, next)).toBe(true);
          expect(openTimeBetween(cal, at, next)).toBe(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('addOpenMinutes', () => {
  it('adds exactly m open minutes and ends on an open instant; adding 0 is nextOpenInstant', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, around, m) => {
        for (const at of aroundBoundaries(cal, around)) {
          expect(addOpenMinutes(cal, at, 0, BIG)).toBe(nextOpenInstant(cal, at, BIG));
          const end = addOpenMinutes(cal, at, m, BIG);
          if (end === null) continue;
          expect(isOpenAt(cal, end)).toBe(true);
          expect(openTimeBetween(cal, at, end)).toBe(m * 60_000);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone in the start and in the minutes', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 3 * MS_PER_DAY }), minutes, minutes, (cal, at, later, a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        const far = addOpenMinutes(cal, at, more, BIG);
        if (far !== null) expect(addOpenMinutes(cal, at, less, BIG)).toBeLessThanOrEqual(far);
        const fromLater = addOpenMinutes(cal, at + later, a, BIG);
        if (fromLater !== null) expect(addOpenMinutes(cal, at, a, BIG)).toBeLessThanOrEqual(fromLater);
      }),
      { numRuns: 300 },
    );
  });

  it('is additive: add(add(t, a), b) = add(t, a + b)', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, at, a, b) => {
        const whole = addOpenMinutes(cal, at, a + b, BIG);
        if (whole === null) return;
        const half = addOpenMinutes(cal, at, a, BIG);
        expect(half).not.toBeNull();
        expect(addOpenMinutes(cal, half as number, b, BIG)).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });
});

describe('nextDeparture', () => {
  const rule: fc.Arbitrary<DepartureRule> = fc.record(
    { cutoff: time, pickupWeekdays: weekdaySet, processingDays: fc.integer({ min: 0, max: 3 }) },
    { requiredKeys: ['cutoff'] },
  );
  const eligible = (cal: LocationCalendar, r: DepartureRule, d: string) => isOpenDay(cal, d) && (r.pickupWeekdays?.has(weekdayOf(d)) ?? true);
  const cutoffOn = (cal: LocationCalendar, r: DepartureRule, d: string) =>
    Math.min(atLocalTime(cal.timeZone, d, r.cutoff), Math.max(...openIntervalsOn(cal, d).map((i) => i.end)));

  it('leaves on an open pick-up day, the first one whose cut-off the order meets, plus the processing days', () => {
    fc.assert(
      fc.property(calendar, instant, rule, (cal, around, r) => {
        const today = localDateOf(cal.timeZone, around);
        const cutoffToday = isOpenDay(cal, today) ? cutoffOn(cal, r, today) : atLocalTime(cal.timeZone, today, r.cutoff);
        for (const at of [around, cutoffToday - 1, cutoffToday, cutoffToday + 1]) {
          const departure = nextDeparture(cal, at, r, BIG);
          if (departure === null) continue;
          expect(departure.date >= today).toBe(true);
          expect(eligible(cal, r, departure.date)).toBe(true);
          expect(departure.cutoffAt).toBe(cutoffOn(cal, r, departure.date));
          expect(departure.cutoffAt).toBeGreaterThan(at);
          const accepted = nextDeparture(cal, at, { ...r, processingDays: 0 }, BIG) as { date: string; cutoffAt: number };
          for (let d = today; d < accepted.date; d = addDays(d, 1)) expect(eligible(cal, r, d) && at < cutoffOn(cal, r, d)).toBe(false);
          expect(at).toBeLessThan(accepted.cutoffAt);
          let processing = 0;
          for (let d = addDays(accepted.date, 1); d <= departure.date; d = addDays(d, 1)) if (eligible(cal, r, d)) processing++;
          expect(processing).toBe(r.processingDays ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never leaves earlier for a later order', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 3 * MS_PER_DAY }), rule, (cal, at, later, r) => {
        const second = nextDeparture(cal, at + later, r, BIG);
        if (second === null) return;
        expect((nextDeparture(cal, at, r, BIG) as { date: string }).date <= second.date).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('addDeliveryDays', () => {
  const deliveryCalendar = fc.record({
    deliveryWeekdays: weekdaySet.filter((s) => s.size > 0),
    holidays: fc.oneof(fc.constant(holidaySet('FR', 2026, 2027)), fc.array(date, { maxLength: 20 }).map((d) => new Set(d))),
  });

  it('lands on a delivery day after exactly n of them, strictly later for n + 1', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 30 }), deliveryCalendar, (departure, n, cal) => {
        const arrival = addDeliveryDays(departure, n, cal);
        if (n === 0) expect(arrival).toBe(departure);
        else expect(cal.deliveryWeekdays.has(weekdayOf(arrival)) && !cal.holidays.has(arrival)).toBe(true);
        let counted = 0;
        for (let d = addDays(departure, 1); d <= arrival; d = addDays(d, 1)) if (cal.deliveryWeekdays.has(weekdayOf(d)) && !cal.holidays.has(d)) counted++;
        expect(counted).toBe(n);
        expect(addDeliveryDays(departure, n + 1, cal) > arrival).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
