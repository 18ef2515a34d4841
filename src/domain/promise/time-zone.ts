/**
 * Instants (epoch milliseconds, UTC) ↔ local wall time in an IANA zone.
 *
 * Luxon's IANAZone answers "what is the offset at this instant" (through Intl, a few microseconds each).
 * We ask it twice per UTC day and zone and remember the answer: a day either has one offset, or one
 * transition found by bisection to the second. Every later conversion is then a map lookup and some
 * arithmetic. This assumes at most one offset change per UTC day, true of every zone in use today.
 */
import { IANAZone } from 'luxon';
import { dateOfDayNumber, dayNumberOf, minutesOfTime, MS_PER_DAY, MS_PER_MINUTE } from './local-date.js';

interface DayOffsets {
  /** Offset in ms before `transitionAt` (all day when there is no transition). */
  before: number;
  /** First instant of the new offset, or Infinity. */
  transitionAt: number;
  after: number;
}

interface ZoneOffsets {
  zone: IANAZone;
  days: Map<number, DayOffsets>;
}

const DAYS_PER_ZONE_LIMIT = 20_000;
const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  let z = zones.get(timeZone);
  if (z === undefined) {
    const zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new RangeError(`"${timeZone}" is not an IANA time zone`);
    z = { zone, days: new Map() };
    zones.set(timeZone, z);
  }
  return z;
}

function rawOffsetMs(zone: IANAZone, at: number): number {
  return Math.round(zone.offset(at) * MS_PER_MINUTE);
}

function dayOffsets(z: ZoneOffsets, utcDay: number): DayOffsets {
  const cached = z.days.get(utcDay);
  if (cached !== undefined) return cached;
  const start = utcDay * MS_PER_DAY;
  const before = rawOffsetMs(z.zone, start);
  const after = rawOffsetMs(z.zone, start + MS_PER_DAY);
  let transitionAt = Infinity;
  if (before !== after) {
    // Invariant: offset(lo) = before, offset(hi) ≠ before; both whole seconds (Intl resolves seconds).
    let lo = start;
    let hi = start + MS_PER_DAY;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (rawOffsetMs(z.zone, mid) === before) lo = mid;
      else hi = mid;
    }
    transitionAt = hi;
  }
  if (z.days.size >= DAYS_PER_ZONE_LIMIT) z.days.clear();
  const offsets = { before, transitionAt, after };
  z.days.set(utcDay, offsets);
  return offsets;
}

function offsetIn(z: ZoneOffsets, at: number): number {
  const d = dayOffsets(z, Math.floor(at / MS_PER_DAY));
  return at < d.transitionAt ? d.before : d.after;
}

/** UTC offset of the zone at an instant, in milliseconds (Paris in summer: 7,200,000). */
export function offsetMsAt(timeZone: string, at: number): number {
  return offsetIn(zoneOffsets(timeZone), at);
}

/** Day number (see local-date.ts) of the local date at an instant. */
export function localDayNumberOf(timeZone: string, at: number): number {
  return Math.floor((at + offsetMsAt(timeZone, at)) / MS_PER_DAY);
}

/** The local date ('YYYY-MM-DD') in the zone at an instant. */
export function localDateOf(timeZone: string, at: number): string {
  return dateOfDayNumber(localDayNumberOf(timeZone, at));
}

/**
 * The instant of a local wall time, given as day number and minutes after midnight. A time skipped by a
 * spring-forward change resolves to the first valid instant (the end of the gap: 02:30 → 03:00 in Paris);
 * a time repeated by a fall-back change resolves to its earlier occurrence.
 */
export function instantOfLocal(timeZone: string, dayNumber: number, minutes: number): number {
  const z = zoneOffsets(timeZone);
  const wall = dayNumber * MS_PER_DAY + minutes * MS_PER_MINUTE;
  // Offsets a day either side bracket any change near this wall time (offsets stay within ±14 h).
  const early = offsetIn(z, wall - MS_PER_DAY);
  const late = offsetIn(z, wall + MS_PER_DAY);
  const withEarly = wall - early;
  const withLate = wall - late;
  const earlyValid = offsetIn(z, withEarly) === early;
  const lateValid = offsetIn(z, withLate) === late;
  if (earlyValid && lateValid) return Math.min(withEarly, withLate);
  if (earlyValid) return withEarly;
  if (lateValid) return withLate;
  // In the gap: the wall time never happens; the change itself lies between the two readings.
  const from = Math.min(withEarly, withLate);
  const to = Math.max(withEarly, withLate);
  for (const day of [Math.floor(from / MS_PER_DAY), Math.floor(to / MS_PER_DAY)]) {
    const t = dayOffsets(z, day).transitionAt;
    if (t > from && t <= to) return t;
  }
  throw new Error(`no offset change found for ${dateOfDayNumber(dayNumber)} ${minutes} min in ${timeZone}`);
}

/**
 * Local wall time on a date → instant. Nonexistent times (spring-forward gap) move forward to the first
 * valid instant; ambiguous ones (fall-back) take the earlier.
 * @example atLocalTime('Europe/Paris', '2026-03-29', '02:30') === Date.UTC(2026, 2, 29, 1, 0) // 03:00 CEST
 */
export function atLocalTime(timeZone: string, date: string, time: string): number {
  return instantOfLocal(timeZone, dayNumberOf(date), minutesOfTime(time));
}
