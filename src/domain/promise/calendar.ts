/**
 * Calendar arithmetic of the delivery promise (DESIGN §4 Promise): when a location is open, when a parcel
 * leaves it, and on which date a carrier delivers it. Pure: instants are epoch milliseconds (UTC) passed
 * in; local dates are 'YYYY-MM-DD' in the calendar's IANA zone; opening intervals are half-open
 * [start, end), so a location is closed at its closing minute.
 *
 * Calendars are treated as immutable values: the opening intervals of each (calendar, date) are computed
 * once and remembered for that calendar object.
 */
import {
  dateOfDayNumber,
  dayNumberOf,
  minutesOfTime,
  MS_PER_MINUTE,
  weekdayOfDayNumber,
  type Weekday,
} from './local-date.js';
import { instantOfLocal, localDayNumberOf } from './time-zone.js';

export { addDays, daysBetween, isLocalDate, weekdayOf, WEEKDAYS, type Weekday } from './local-date.js';
export { atLocalTime, localDateOf } from './time-zone.js';
export { easterSunday, holidaySet, publicHolidays } from './holidays.js';

/** 'HH:MM' local, open < close (as stored on locations). */
export interface TimeInterval {
  open: string;
  close: string;
}
/** A missing day is closed. */
export type WeeklyHours = Partial<Record<Weekday, readonly TimeInterval[]>>;
/**
 * One local date that differs from the weekly hours: `closed`, or the given `hours` (an empty list is
 * closed too), or — with neither — the usual weekly hours even when the date is a public holiday.
 */
export interface CalendarException {
  date: string;
  closed?: boolean;
  hours?: readonly TimeInterval[];
}
export interface LocationCalendar {
  timeZone: string;
  weeklyHours: WeeklyHours;
  exceptions: readonly CalendarException[];
  /** Local dates closed as public holidays unless an exception gives hours for that date. */
  holidays: ReadonlySet<string>;
}
export interface OpenInterval {
  start: number;
  end: number;
}

/** How far ahead (in local days after the starting date) searches look before answering null. */
export const DEFAULT_HORIZON_DAYS = 60;

interface CalendarCache {
  exceptions: Map<number, CalendarException>;
  /** False when no weekday and no exception has hours: searches can stop at once. */
  everOpen: boolean;
  days: Map<number, readonly OpenInterval[]>;
}
const caches = new WeakMap<LocationCalendar, CalendarCache>();
/** Bounds the memory of a calendar kept for months in a long-lived snapshot. */
const DAYS_PER_CALENDAR_LIMIT = 2_000;

function cacheOf(cal: LocationCalendar): CalendarCache {
  let cache = caches.get(cal);
  if (cache === undefined) {
    const exceptions = new Map(cal.exceptions.map((e) => [dayNumberOf(e.date), e] as const));
    const everOpen =
      Object.values(cal.weeklyHours).some((hours) => hours !== undefined && hours.length > 0) ||
      cal.exceptions.some((e) => !e.closed && (e.hours === undefined || e.hours.length > 0));
    cache = { exceptions, everOpen, days: new Map() };
    caches.set(cal, cache);
  }
  return cache;
}

function hoursOn(cal: LocationCalendar, cache: CalendarCache, day: number): readonly TimeInterval[] {
  const weekly = cal.weeklyHours[weekdayOfDayNumber(day)] ?? [];
  const exception = cache.exceptions.get(day);
  if (exception !== undefined) return exception.closed ? [] : (exception.hours ?? weekly);
  return cal.holidays.has(dateOfDayNumber(day)) ? [] : weekly;
}

/** Sorted, merged, non-empty intervals (an interval inside a spring-forward gap vanishes). */
function intervalsOnDay(cal: LocationCalendar, day: number): readonly OpenInterval[] {
  const cache = cacheOf(cal);
  const cached = cache.days.get(day);
  if (cached !== undefined) return cached;
  const raw = hoursOn(cal, cache, day)
    .map((h) => ({
      start: instantOfLocal(cal.timeZone, day, minutesOfTime(h.open)),
      end: instantOfLocal(cal.timeZone, day, minutesOfTime(h.close)),
    }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  const merged: OpenInterval[] = [];
  for (const i of raw) {
    const last = merged[merged.length - 1];
    if (last !== undefined && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  if (cache.days.size >= DAYS_PER_CALENDAR_LIMIT) cache.days.clear();
  cache.days.set(day, merged);
  return merged;
}

function checkHorizon(horizonDays: number): void {
  if (!Number.isInteger(horizonDays) || horizonDays < 0) throw new RangeError(`horizonDays must be a non-negative integer, got ${horizonDays}`);
}

/**
 * Opening intervals of a local date as instants, after exceptions and holidays (exception hours win over
 * a holiday), sorted and merged. On a daylight-saving day the wall times map to the real instants: in
 * Paris on 2026-03-29 an interval 01:00–04:00 lasts 2 hours.
 */
export function openIntervalsOn(cal: LocationCalendar, date: string): OpenInterval[] {
  return intervalsOnDay(cal, dayNumberOf(date)).map((i) => ({ ...i }));
}

export function isOpenDay(cal: LocationCalendar, date: string): boolean {
  return intervalsOnDay(cal, dayNumberOf(date)).length > 0;
}

/** Intervals never cross local midnight, so only the local date of `at` can contain it. */
export function isOpenAt(cal: LocationCalendar, at: number): boolean {
  return intervalsOnDay(cal, localDayNumberOf(cal.timeZone, at)).some((i) => i.start <= at && at < i.end);
}

/**
 * `at` itself when open, else the next opening instant; null if none on the local dates from `at`'s to
 * `horizonDays` days later. Always ≥ at, and isOpenAt(result).
 */
export function nextOpenInstant(cal: LocationCalendar, at: number, horizonDays = DEFAULT_HORIZON_DAYS): number | null {
  checkHorizon(horizonDays);
  if (!cacheOf(cal).everOpen) return null;
  const first = localDayNumberOf(cal.timeZone, at);
  for (let day = first; day <= first + horizonDays; day++) {
    for (const i of intervalsOnDay(cal, day)) if (i.end > at) return Math.max(i.start, at);
  }
  return null;
}

/**
 * The first open instant by which `minutes` of open time have passed since `at` (processing, pick-up
 * preparation). Work that would end exactly at a closing time is ready at the next opening, so the result
 * is always an open instant; this keeps it additive: add(add(t, a), b) = add(t, a + b), and
 * add(t, 0) = nextOpenInstant(t). null when the result falls beyond the horizon.
 * @example Mon 17:30 + 60 min with hours 09:00–18:00 → Tue 09:30
 */
export function addOpenMinutes(cal: LocationCalendar, at: number, minutes: number, horizonDays = DEFAULT_HORIZON_DAYS): number | null {
  checkHorizon(horizonDays);
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a non-negative number, got ${minutes}`);
  if (!cacheOf(cal).everOpen) return null;
  let remaining = Math.round(minutes * MS_PER_MINUTE);
  const first = localDayNumberOf(cal.timeZone, at);
  for (let day = first; day <= first + horizonDays; day++) {
    for (const i of intervalsOnDay(cal, day)) {
      if (i.end <= at) continue;
      const from = Math.max(i.start, at);
      if (remaining < i.end - from) return from + remaining;
      remaining -= i.end - from;
    }
  }
  return null;
}

export interface DepartureRule {
  /** Orders accepted strictly before this local time on an eligible day leave that day ('15:00': 14:59 leaves today, 15:00 tomorrow). */
  cutoff: string;
  /** Days the carrier collects from this location (default all days); the location must also be open that day. */
  pickupWeekdays?: ReadonlySet<Weekday>;
  /** Extra eligible days of processing before departure (0 for stores/warehouses, e.g. 1–2 for drop-ship suppliers). */
  processingDays?: number;
}

/**
 * The local date the parcel leaves the location, and that date's cut-off instant (the parcel must be
 * ready by then; the SLA watch measures against it). An eligible day is open and a carrier pick-up day.
 * The order meets the first eligible day whose cut-off is strictly after `at`, then `processingDays`
 * further eligible days pass. On a day the location closes before the cut-off, its last closing time is
 * the cut-off (nobody hands a parcel over in a closed store). null when departure is beyond the horizon.
 * @example cutoff 15:00, Mon–Sat 09:00–19:00: Fri 14:59 → Fri; Fri 15:00 → Sat; Sat 15:00 → Mon.
 */
export function nextDeparture(
  cal: LocationCalendar,
  at: number,
  rule: DepartureRule,
  horizonDays = DEFAULT_HORIZON_DAYS,
): { date: string; cutoffAt: number } | null {
  checkHorizon(horizonDays);
  const processingDays = rule.processingDays ?? 0;
  if (!Number.isInteger(processingDays) || processingDays < 0) throw new RangeError(`processingDays must be a non-negative integer, got ${processingDays}`);
  const cutoffMinutes = minutesOfTime(rule.cutoff);
  if (!cacheOf(cal).everOpen) return null;
  const first = localDayNumberOf(cal.timeZone, at);
  const last = first + horizonDays;
  let day = first;
  let cutoffAt = cutoffOn(cal, rule, cutoffMinutes, day);
  while (cutoffAt === null || at >= cutoffAt) {
    if (++day > last) return null;
    cutoffAt = cutoffOn(cal, rule, cutoffMinutes, day);
  }
  for (let left = processingDays; left > 0; ) {
    if (++day > last) return null;
    const next = cutoffOn(cal, rule, cutoffMinutes, day);
    if (next !== null) {
      cutoffAt = next;
      left--;
    }
  }
  return { date: dateOfDayNumber(day), cutoffAt };
}

/**
 * The cut-off instant of an eligible day, or null. A module function rather than a closure in
 * nextDeparture: tsx (keepNames) names each closure it creates with Object.defineProperty (about 1 µs),
 * and a promise computes a departure for every carrier service it quotes.
 */
function cutoffOn(cal: LocationCalendar, rule: DepartureRule, cutoffMinutes: number, day: number): number | null {
  if (rule.pickupWeekdays !== undefined && !rule.pickupWeekdays.has(weekdayOfDayNumber(day))) return null;
  const intervals = intervalsOnDay(cal, day);
  const lastClose = intervals[intervals.length - 1]?.end;
  if (lastClose === undefined) return null;
  return Math.min(instantOfLocal(cal.timeZone, day, cutoffMinutes), lastClose);
}

export interface DeliveryCalendar {
  deliveryWeekdays: ReadonlySet<Weekday>;
  holidays: ReadonlySet<string>;
}

/**
 * The date after `transitDays` carrier delivery days counted from departure (the departure day itself is
 * day 0; a day counts if it is a delivery weekday and not a holiday). transitDays 0 = the departure date.
 * @example Fri departure, 1 day, Mon–Fri delivery → Mon (Tue when Monday is Easter Monday).
 */
export function addDeliveryDays(departureDate: string, transitDays: number, cal: DeliveryCalendar): string {
  if (!Number.isInteger(transitDays) || transitDays < 0) throw new RangeError(`transitDays must be a non-negative integer, got ${transitDays}`);
  if (transitDays > 0 && cal.deliveryWeekdays.size === 0) throw new RangeError('the delivery calendar has no delivery weekday');
  let day = dayNumberOf(departureDate);
  // Terminates: a finite holiday set can only skip finitely many delivery weekdays.
  for (let left = transitDays; left > 0; ) {
    day++;
    if (cal.deliveryWeekdays.has(weekdayOfDayNumber(day)) && !cal.holidays.has(dateOfDayNumber(day))) left--;
  }
  return dateOfDayNumber(day);
}
