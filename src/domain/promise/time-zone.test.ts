import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, dateOfDayNumber, dayNumberOf, daysBetween, isLocalDate, weekdayOf } from './local-date.js';
import { atLocalTime, localDateOf, offsetMsAt } from './time-zone.js';

const ZONES = ['Europe/Paris', 'Europe/Lisbon', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kolkata'];
const zone = fc.constantFrom(...ZONES);
/** 2000–2040, in whole seconds (Intl resolves seconds). */
const instant = fc.integer({ min: 946_684_800, max: 2_208_988_800 }).map((s) => s * 1000);
const localDate = fc.integer({ min: dayNumberOf('1990-01-01'), max: dayNumberOf('2040-12-31') }).map(dateOfDayNumber);
/** Local dates of every offset change of ZONES in 2020–2030, as Luxon sees them. */
const CHANGE_DATES = [
  ...new Set(
    ZONES.flatMap((tz) => {
      const dates: string[] = [];
      for (let t = DateTime.fromObject({ year: 2020 }, { zone: tz }); t.year <= 2030; t = t.plus({ days: 1 })) {
        const next = t.plus({ days: 1 });
        if (next.offset !== t.offset) dates.push(t.toISODate() as string, next.toISODate() as string);
      }
      return dates;
    }),
  ),
];
const wallTime = fc.integer({ min: 0, max: 1439 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

describe('local dates', () => {
  it('round-trips day numbers and agrees with the JavaScript calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }) /* 0001-01-01 … 9999-12-31 */, (n) => {
        const date = dateOfDayNumber(n);
        expect(dayNumberOf(date)).toBe(n);
        expect(new Date(n * 86_400_000).toISOString().slice(0, 10)).toBe(date);
      }),
      { numRuns: 1000 },
    );
  });

  it('names weekdays and steps across months, years and leap days', () => {
    expect(weekdayOf('1970-01-01')).toBe('thu');
    expect(weekdayOf('2026-04-17')).toBe('fri');
    expect(weekdayOf('1969-12-28')).toBe('sun');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-4-1', '2026-04-01T00:00', '']) {
      expect(isLocalDate(bad)).toBe(false);
      expect(() => weekdayOf(bad)).toThrow(RangeError);
    }
    expect(isLocalDate('2028-02-29')).toBe(true);
  });
});

describe('zone conversions agree with Luxon', () => {
  it('localDateOf and the offset at any instant', () => {
    fc.assert(
      fc.property(zone, instant, (tz, at) => {
        const dt = DateTime.fromMillis(at, { zone: tz });
        expect(localDateOf(tz, at)).toBe(dt.toISODate());
        expect(offsetMsAt(tz, at)).toBe(dt.offset * 60_000);
      }),
      { numRuns: 2000 },
    );
  });

  it('localDateOf just before and at each daylight-saving change', () => {
    fc.assert(
      fc.property(zone, fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 0, max: 11 }), (tz, year, month) => {
        // The instant of the first change in that month, if any, found by Luxon itself.
        const start = DateTime.fromObject({ year, month: month + 1, day: 1 }, { zone: tz });
        const end = start.plus({ months: 1 });
        if (start.offset === end.offset) return;
        let lo = start.toMillis();
        let hi = end.toMillis();
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (DateTime.fromMillis(mid, { zone: tz }).offset === start.offset) lo = mid;
          else hi = mid;
        }
        for (const at of [hi - 1000, hi - 1, hi, hi + 1000]) {
          expect(offsetMsAt(tz, at)).toBe(DateTime.fromMillis(at, { zone: tz }).offset * 60_000);
          expect(localDateOf(tz, at)).toBe(DateTime.fromMillis(at, { zone: tz }).toISODate());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('atLocalTime lands on that date, at that wall time (its earlier occurrence) or just after a skipped one', () => {
    fc.assert(
      fc.property(zone, fc.oneof(localDate, fc.constantFrom(...CHANGE_DATES)), wallTime, (tz, date, time) => {
        const at = atLocalTime(tz, date, time);
        const wall = (t: number) => DateTime.fromMillis(t, { zone: tz }).toFormat('yyyy-MM-dd HH:mm');
        expect(wall(at).slice(0, 10)).toBe(date);
        const shown = wall(at).slice(11);
        if (shown !== time) {
          // Skipped: the clock jumped over `time`, and one second earlier it read less than `time`.
          expect(shown > time).toBe(true);
          expect(wall(at - 1000).slice(11) < time).toBe(true);
        } else {
          // The earlier occurrence: half an hour or an hour before (the size of any fold), it read another time.
          expect(wall(at - 1_800_000)).not.toBe(`${date} ${time}`);
          expect(wall(at - 3_600_000)).not.toBe(`${date} ${time}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('resolves gaps and repeats in each zone that has them', () => {
    const utc = (s: string) => Date.parse(s);
    expect(atLocalTime('America/New_York', '2026-03-08', '02:30')).toBe(utc('2026-03-08T07:00:00Z'));
    expect(atLocalTime('America/New_York', '2026-11-01', '01:30')).toBe(utc('2026-11-01T05:30:00Z'));
    expect(atLocalTime('Pacific/Auckland', '2026-09-27', '02:30')).toBe(utc('2026-09-26T14:00:00Z'));
    expect(atLocalTime('Pacific/Auckland', '2026-04-05', '02:30')).toBe(utc('2026-04-04T13:30:00Z'));
    expect(atLocalTime('Australia/Lord_Howe', '2026-10-04', '02:15')).toBe(utc('2026-10-03T15:30:00Z'));
    expect(atLocalTime('America/St_Johns', '2026-03-08', '02:30')).toBe(utc('2026-03-08T05:30:00Z'));
    expect(atLocalTime('Europe/Lisbon', '2026-03-29', '01:30')).toBe(utc('2026-03-29T01:00:00Z'));
  });
});
