import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDeliveryDays,
  addOpenMinutes,
  atLocalTime,
  holidaySet,
  isOpenAt,
  isOpenDay,
  nextDeparture,
  nextOpenInstant,
  openIntervalsOn,
  type DeliveryCalendar,
  type LocationCalendar,
  type TimeInterval,
  type Weekday,
  type WeeklyHours,
} from './calendar.js';

const HOUR = 3_600_000;
const MONDAY_TO_FRIDAY = new Set<Weekday>(['mon', 'tue', 'wed', 'thu', 'fri']);
const FR = holidaySet('FR', 2026, 2027);
const day = (open: string, close: string): TimeInterval[] => [{ open, close }];
const shopHours: WeeklyHours = {
  mon: day('09:00', '19:00'),
  tue: day('09:00', '19:00'),
  wed: day('09:00', '19:00'),
  thu: day('09:00', '19:00'),
  fri: day('09:00', '19:00'),
  sat: day('10:00', '18:00'),
};

/** A Paris store open Mon–Fri 09:00–19:00 and Sat 10:00–18:00, closed on Sunday and French holidays. */
function store(overrides: Partial<LocationCalendar> = {}): LocationCalendar {
  return { timeZone: 'Europe/Paris', weeklyHours: shopHours, exceptions: [], holidays: FR, ...overrides };
}
const paris = (date: string, time: string) => atLocalTime('Europe/Paris', date, time);
const local = (cal: LocationCalendar, at: number | null) =>
  at === null ? null : DateTime.fromMillis(at, { zone: cal.timeZone }).toFormat('yyyy-MM-dd HH:mm');
const duration = (cal: LocationCalendar, date: string) => openIntervalsOn(cal, date).reduce((sum, i) => sum + i.end - i.start, 0);

describe('opening hours across weekends', () => {
  const cal = store();

  it('is closed on Sunday and at the closing minute, open at the opening minute', () => {
    expect(isOpenDay(cal, '2026-04-19')).toBe(false);
    expect(isOpenAt(cal, paris('2026-04-19', '12:00'))).toBe(false);
    expect(isOpenAt(cal, paris('2026-04-17', '09:00'))).toBe(true);
    expect(isOpenAt(cal, paris('2026-04-17', '18:59'))).toBe(true);
    expect(isOpenAt(cal, paris('2026-04-17', '19:00'))).toBe(false);
  });

  it('finds the next opening over the weekend', () => {
    expect(local(cal, nextOpenInstant(cal, paris('2026-04-18', '18:00')))).toBe('2026-04-20 09:00');
    expect(local(cal, nextOpenInstant(cal, paris('2026-04-17', '19:30')))).toBe('2026-04-18 10:00');
    const open = paris('2026-04-17', '11:17');
    expect(nextOpenInstant(cal, open)).toBe(open);
  });

  it('counts preparation minutes only while open', () => {
    expect(local(cal, addOpenMinutes(cal, paris('2026-04-17', '18:30'), 60))).toBe('2026-04-18 10:30');
    expect(local(cal, addOpenMinutes(cal, paris('2026-04-18', '17:30'), 60))).toBe('2026-04-20 09:30');
    expect(local(cal, addOpenMinutes(cal, paris('2026-04-19', '08:00'), 120))).toBe('2026-04-20 11:00');
  });

  it('makes work ending exactly at closing ready at the next opening', () => {
    expect(local(cal, addOpenMinutes(cal, paris('2026-04-17', '18:00'), 60))).toBe('2026-04-18 10:00');
    expect(local(cal, addOpenMinutes(cal, paris('2026-04-17', '18:00'), 59))).toBe('2026-04-17 18:59');
  });

  it('sorts and merges overlapping intervals of a day', () => {
    const split = store({ weeklyHours: { mon: [{ open: '14:00', close: '19:00' }, { open: '09:00', close: '12:30' }, { open: '12:00', close: '13:00' }] } });
    expect(openIntervalsOn(split, '2026-04-20')).toEqual([
      { start: paris('2026-04-20', '09:00'), end: paris('2026-04-20', '13:00') },
      { start: paris('2026-04-20', '14:00'), end: paris('2026-04-20', '19:00') },
    ]);
    expect(local(split, addOpenMinutes(split, paris('2026-04-20', '12:30'), 60))).toBe('2026-04-20 14:30');
  });
});

describe('French public holidays', () => {
  const cal = store();

  it('closes on May 1, Ascension Thursday and Christmas', () => {
    for (const date of ['2026-05-01', '2026-05-14', '2026-12-25', '2027-05-06']) expect(isOpenDay(cal, date)).toBe(false);
    expect(isOpenDay(cal, '2026-05-13')).toBe(true);
  });

  it('skips them when opening, preparing and leaving', () => {
    expect(local(cal, nextOpenInstant(cal, paris('2026-04-30', '19:00')))).toBe('2026-05-02 10:00');
    expect(local(cal, addOpenMinutes(cal, paris('2026-05-13', '18:30'), 60))).toBe('2026-05-15 09:30');
    const rule = { cutoff: '15:00' };
    expect(nextDeparture(cal, paris('2026-12-24', '15:00'), rule)?.date).toBe('2026-12-26');
    expect(nextDeparture(cal, paris('2026-12-24', '15:00'), { ...rule, pickupWeekdays: MONDAY_TO_FRIDAY })?.date).toBe('2026-12-28');
  });

  it('does not deliver on them', () => {
    const colissimo: DeliveryCalendar = { deliveryWeekdays: new Set([...MONDAY_TO_FRIDAY, 'sat']), holidays: FR };
    expect(addDeliveryDays('2026-05-13', 1, colissimo)).toBe('2026-05-15');
    expect(addDeliveryDays('2026-04-03', 1, { deliveryWeekdays: MONDAY_TO_FRIDAY, holidays: FR })).toBe('2026-04-07');
    expect(addDeliveryDays('2026-12-24', 1, { deliveryWeekdays: MONDAY_TO_FRIDAY, holidays: FR })).toBe('2026-12-28');
    expect(addDeliveryDays('2026-12-24', 2, colissimo)).toBe('2026-12-28');
  });
});

describe('exceptions', () => {
  it('override a holiday with their hours', () => {
    const cal = store({ exceptions: [{ date: '2026-05-01', hours: day('10:00', '13:00') }] });
    expect(openIntervalsOn(cal, '2026-05-01')).toEqual([{ start: paris('2026-05-01', '10:00'), end: paris('2026-05-01', '13:00') }]);
    expect(local(cal, nextOpenInstant(cal, paris('2026-04-30', '20:00')))).toBe('2026-05-01 10:00');
  });

  it('open a holiday with the usual hours when they neither close nor give hours', () => {
    const cal = store({ exceptions: [{ date: '2026-05-08', closed: false }] });
    expect(duration(cal, '2026-05-08')).toBe(10 * HOUR);
  });

  it('close an ordinary day, or open a Sunday', () => {
    const cal = store({
      exceptions: [
        { date: '2026-04-22', closed: true },
        { date: '2026-04-23', hours: [] },
        { date: '2026-12-20', hours: day('10:00', '17:00') },
      ],
    });
    expect(isOpenDay(cal, '2026-04-22')).toBe(false);
    expect(isOpenDay(cal, '2026-04-23')).toBe(false);
    expect(local(cal, nextOpenInstant(cal, paris('2026-04-21', '19:00')))).toBe('2026-04-24 09:00');
    expect(nextDeparture(cal, paris('2026-12-19', '18:00'), { cutoff: '15:00' })?.date).toBe('2026-12-20');
  });

  it('answer null beyond the horizon (summer closure, never open)', () => {
    const august = Array.from({ length: 31 }, (_, i) => ({ date: `2026-08-${String(i + 1).padStart(2, '0')}`, closed: true }));
    const cal = store({ exceptions: august });
    expect(nextOpenInstant(cal, paris('2026-07-31', '20:00'), 10)).toBeNull();
    expect(local(cal, nextOpenInstant(cal, paris('2026-07-31', '20:00')))).toBe('2026-09-01 09:00');
    expect(addOpenMinutes(cal, paris('2026-07-31', '20:00'), 10, 30)).toBeNull();
    expect(nextDeparture(cal, paris('2026-07-31', '20:00'), { cutoff: '15:00' }, 30)).toBeNull();
    const closed = store({ weeklyHours: {} });
    expect(nextOpenInstant(closed, 0)).toBeNull();
    expect(addOpenMinutes(closed, 0, 1)).toBeNull();
    expect(nextDeparture(closed, 0, { cutoff: '15:00' })).toBeNull();
  });
});

describe('daylight-saving changes', () => {
  const nightShift = (date: string) => store({ exceptions: [{ date, hours: day('01:00', '04:00') }] });

  it('maps 01:00–04:00 in Paris to 2 h on 2026-03-29 and to 4 h on 2026-10-25', () => {
    expect(duration(nightShift('2026-03-29'), '2026-03-29')).toBe(2 * HOUR);
    expect(duration(nightShift('2026-10-25'), '2026-10-25')).toBe(4 * HOUR);
    expect(duration(nightShift('2026-03-22'), '2026-03-22')).toBe(3 * HOUR);
  });

  it('moves a wall time in the spring gap forward and takes the earlier of a repeated one', () => {
    expect(paris('2026-03-29', '02:30')).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(paris('2026-03-29', '03:00')).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(paris('2026-10-25', '02:30')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(paris('2026-10-25', '03:00')).toBe(Date.UTC(2026, 9, 25, 2, 0));
  });

  it('drops an interval lying wholly in the gap', () => {
    const cal = store({ exceptions: [{ date: '2026-03-29', hours: day('02:00', '02:45') }] });
    expect(isOpenDay(cal, '2026-03-29')).toBe(false);
  });

  it('counts real minutes across the change', () => {
    const cal = nightShift('2026-10-25');
    expect(local(cal, addOpenMinutes(cal, paris('2026-10-25', '01:00'), 150))).toBe('2026-10-25 02:30');
    expect(addOpenMinutes(cal, paris('2026-10-25', '01:00'), 150)).toBe(Date.UTC(2026, 9, 25, 1, 30));
    const spring = nightShift('2026-03-29');
    expect(local(spring, addOpenMinutes(spring, paris('2026-03-29', '01:00'), 90))).toBe('2026-03-29 03:30');
  });

  it('keeps the cut-off on the right instant on both change days', () => {
    const cal = store({ weeklyHours: { ...shopHours, sun: day('09:00', '19:00') } });
    expect(nextDeparture(cal, Date.UTC(2026, 2, 29, 12, 59), { cutoff: '15:00' })).toEqual({ date: '2026-03-29', cutoffAt: Date.UTC(2026, 2, 29, 13, 0) });
    expect(nextDeparture(cal, Date.UTC(2026, 9, 25, 13, 59), { cutoff: '15:00' })).toEqual({ date: '2026-10-25', cutoffAt: Date.UTC(2026, 9, 25, 14, 0) });
    expect(nextDeparture(cal, Date.UTC(2026, 9, 25, 14, 0), { cutoff: '15:00' })?.date).toBe('2026-10-26');
  });
});

describe('cut-off boundaries', () => {
  const cal = store();
  const rule = { cutoff: '15:00' };
  const friday = '2026-04-17';

  it('leaves today one minute (and one millisecond) before, tomorrow exactly at and one minute after', () => {
    expect(nextDeparture(cal, paris(friday, '14:59'), rule)).toEqual({ date: friday, cutoffAt: paris(friday, '15:00') });
    expect(nextDeparture(cal, paris(friday, '15:00') - 1, rule)?.date).toBe(friday);
    expect(nextDeparture(cal, paris(friday, '15:00'), rule)).toEqual({ date: '2026-04-18', cutoffAt: paris('2026-04-18', '15:00') });
    expect(nextDeparture(cal, paris(friday, '15:01'), rule)?.date).toBe('2026-04-18');
  });

  it('waits for a carrier pick-up day and for the location to open', () => {
    const weekdays = { ...rule, pickupWeekdays: MONDAY_TO_FRIDAY };
    expect(nextDeparture(cal, paris(friday, '15:01'), weekdays)?.date).toBe('2026-04-20');
    expect(nextDeparture(cal, paris('2026-04-18', '15:01'), rule)?.date).toBe('2026-04-20');
    expect(nextDeparture(cal, paris('2026-04-20', '07:00'), rule)?.date).toBe('2026-04-20');
  });

  it('uses the closing time as cut-off on a day the location closes earlier', () => {
    const late = { cutoff: '18:30' };
    expect(nextDeparture(cal, paris('2026-04-18', '17:59'), late)).toEqual({ date: '2026-04-18', cutoffAt: paris('2026-04-18', '18:00') });
    expect(nextDeparture(cal, paris('2026-04-18', '18:10'), late)?.date).toBe('2026-04-20');
  });

  it('adds processing days for a drop-ship supplier', () => {
    const supplier = { cutoff: '12:00', processingDays: 2, pickupWeekdays: MONDAY_TO_FRIDAY };
    expect(nextDeparture(cal, paris('2026-04-16', '11:59'), supplier)).toEqual({ date: '2026-04-20', cutoffAt: paris('2026-04-20', '12:00') });
    expect(nextDeparture(cal, paris('2026-04-16', '12:00'), supplier)?.date).toBe('2026-04-21');
    expect(nextDeparture(cal, paris('2026-04-29', '11:00'), supplier)?.date).toBe('2026-05-04');
  });
});

describe('locations in other time zones', () => {
  const inZone = (timeZone: string): LocationCalendar => store({ timeZone, holidays: new Set() });

  it('Europe/Lisbon: the same instant is before the Lisbon cut-off and after the Paris one', () => {
    const at = Date.UTC(2026, 0, 16, 14, 30);
    expect(nextDeparture(inZone('Europe/Lisbon'), at, { cutoff: '15:00' })?.date).toBe('2026-01-16');
    expect(nextDeparture(inZone('Europe/Paris'), at, { cutoff: '15:00' })?.date).toBe('2026-01-17');
    expect(atLocalTime('Europe/Lisbon', '2026-07-16', '15:00')).toBe(Date.UTC(2026, 6, 16, 14, 0));
  });

  it('America/New_York: an evening order is on the previous local date; DST moves on its own dates', () => {
    const ny = inZone('America/New_York');
    const at = Date.UTC(2026, 0, 9, 3, 0);
    expect(nextDeparture(ny, at, { cutoff: '15:00' })).toEqual({ date: '2026-01-09', cutoffAt: Date.UTC(2026, 0, 9, 20, 0) });
    expect(isOpenAt(ny, at)).toBe(false);
    const nightShift = (date: string) => store({ timeZone: 'America/New_York', exceptions: [{ date, hours: day('01:00', '04:00') }] });
    expect(duration(nightShift('2026-03-08'), '2026-03-08')).toBe(2 * HOUR);
    expect(duration(nightShift('2026-11-01'), '2026-11-01')).toBe(4 * HOUR);
    expect(duration(nightShift('2026-03-29'), '2026-03-29')).toBe(3 * HOUR);
  });

  it('Asia/Tokyo: no daylight saving, the local date turns at 15:00 UTC', () => {
    const tokyo = inZone('Asia/Tokyo');
    expect(local(tokyo, nextOpenInstant(tokyo, Date.UTC(2026, 0, 9, 15, 30)))).toBe('2026-01-10 10:00');
    expect(local(tokyo, nextOpenInstant(tokyo, Date.UTC(2026, 0, 9, 10, 0)))).toBe('2026-01-10 10:00');
    expect(local(tokyo, nextOpenInstant(tokyo, Date.UTC(2026, 0, 9, 9, 59)))).toBe('2026-01-09 18:59');
  });

  it('Pacific/Auckland: southern-hemisphere changes (April fall-back, September spring-forward)', () => {
    const nightShift = (date: string) => store({ timeZone: 'Pacific/Auckland', exceptions: [{ date, hours: day('01:00', '04:00') }] });
    expect(duration(nightShift('2026-04-05'), '2026-04-05')).toBe(4 * HOUR);
    expect(duration(nightShift('2026-09-27'), '2026-09-27')).toBe(2 * HOUR);
    const auckland = inZone('Pacific/Auckland');
    expect(nextDeparture(auckland, Date.UTC(2026, 0, 1, 1, 59), { cutoff: '15:00' })?.date).toBe('2026-01-01');
    expect(nextDeparture(auckland, Date.UTC(2026, 0, 1, 2, 0), { cutoff: '15:00' })?.date).toBe('2026-01-02');
  });
});

describe('delivery days', () => {
  const weekdays: DeliveryCalendar = { deliveryWeekdays: MONDAY_TO_FRIDAY, holidays: new Set() };

  it('counts from the departure day (day 0) and skips non-delivery weekdays', () => {
    expect(addDeliveryDays('2026-04-17', 0, weekdays)).toBe('2026-04-17');
    expect(addDeliveryDays('2026-04-18', 0, weekdays)).toBe('2026-04-18');
    expect(addDeliveryDays('2026-04-17', 1, weekdays)).toBe('2026-04-20');
    expect(addDeliveryDays('2026-04-18', 1, weekdays)).toBe('2026-04-20');
    expect(addDeliveryDays('2026-04-15', 3, weekdays)).toBe('2026-04-20');
    expect(addDeliveryDays('2026-12-31', 1, { deliveryWeekdays: MONDAY_TO_FRIDAY, holidays: FR })).toBe('2027-01-04');
  });

  it('refuses what has no answer', () => {
    expect(() => addDeliveryDays('2026-04-17', 1, { deliveryWeekdays: new Set(), holidays: new Set() })).toThrow(RangeError);
    expect(() => addDeliveryDays('2026-04-17', -1, weekdays)).toThrow(RangeError);
    expect(() => addDeliveryDays('2026-04-31', 1, weekdays)).toThrow(RangeError);
  });
});

describe('input errors are thrown as RangeError (bugs, not business outcomes)', () => {
  it('rejects an unknown zone, a malformed time, negative minutes and horizons', () => {
    expect(() => atLocalTime('Europe/Atlantis', '2026-04-17', '10:00')).toThrow(RangeError);
    expect(() => atLocalTime('Europe/Paris', '2026-04-17', '24:00')).toThrow(RangeError);
    for (const bad of ['9:00', '09:60', '0a:00', '09-00', '09:000']) expect(() => atLocalTime('Europe/Paris', '2026-04-17', bad)).toThrow(RangeError);
    expect(() => addOpenMinutes(store(), 0, -1)).toThrow(RangeError);
    expect(() => nextOpenInstant(store(), 0, -1)).toThrow(RangeError);
    expect(() => nextDeparture(store(), 0, { cutoff: '15:00', processingDays: 1.5 })).toThrow(RangeError);
  });
});
