/**
 * Local dates ('YYYY-MM-DD', proleptic Gregorian, no zone) and wall times ('HH:MM') as plain values.
 * Internally a date is its day number (days since 1970-01-01), so weekdays and day steps are integer
 * arithmetic; strings are parsed and formatted through small bounded caches because the promise engine
 * goes through the same few dates thousands of times per second.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const CACHE_LIMIT = 20_000;
const dayNumbers = new Map<string, number>();
const dateStrings = new Map<number, string>();
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's days_from_civil). */
export function dayNumberOfCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilOfDayNumber(n: number): { year: number; month: number; day: number } {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Day number of a 'YYYY-MM-DD' date; throws RangeError on a malformed or impossible date (2026-02-30). */
export function dayNumberOf(date: string): number {
  const cached = dayNumbers.get(date);
  if (cached !== undefined) return cached;
  const m = DATE_PATTERN.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const n = dayNumberOfCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  if (dateOfDayNumber(n) !== date) throw new RangeError(`"${date}" is not a valid calendar date`);
  return remember(dayNumbers, date, n);
}

export function dateOfDayNumber(n: number): string {
  const cached = dateStrings.get(n);
  if (cached !== undefined) return cached;
  const { year, month, day } = civilOfDayNumber(n);
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return remember(dateStrings, n, text);
}

export function isLocalDate(text: string): boolean {
  try {
    dayNumberOf(text);
    return true;
  } catch {
    return false;
  }
}

/** 1970-01-01 (day 0) was a Thursday. */
export function weekdayOfDayNumber(n: number): Weekday {
  return WEEKDAYS[(((n + 3) % 7) + 7) % 7] as Weekday;
}

export function weekdayOf(date: string): Weekday {
  return weekdayOfDayNumber(dayNumberOf(date));
}

/** `date` moved by `days` calendar days (negative goes back): addDays('2026-02-28', 1) = '2026-03-01'. */
export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumberOf(to) - dayNumberOf(from);
}

/** Minutes after midnight of an 'HH:MM' wall time (00:00–23:59); throws RangeError otherwise. */
export function minutesOfTime(time: string): number {
  // Character codes rather than a regular expression: this runs for every interval of every day computed.
  const hours = digitAt(time, 0) * 10 + digitAt(time, 1);
  const minutes = digitAt(time, 3) * 10 + digitAt(time, 4);
  if (time.length !== 5 || time[2] !== ':' || !(hours <= 23) || !(minutes <= 59)) throw new RangeError(`"${time}" is not an HH:MM time`);
  return hours * 60 + minutes;
}

/**
 * A module function, not a closure in minutesOfTime: tsx (keepNames) names every closure it creates with
 * Object.defineProperty, about 1 µs each, and a promise parses a cut-off for every carrier it quotes.
 */
function digitAt(time: string, i: number): number {
  const d = time.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}
