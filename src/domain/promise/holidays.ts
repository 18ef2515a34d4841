/**
 * National public holidays (jours fériés) of the countries Ordo ships in first, as local dates. Regional
 * holidays (Alsace-Moselle's Good Friday and 26 December, German Länder, Spanish communities) are not
 * included: a location that observes them lists them as calendar exceptions.
 */
import { dateOfDayNumber, dayNumberOfCivil } from './local-date.js';

/** Day number of Easter Sunday in a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterDayNumber(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return dayNumberOfCivil(year, Math.floor(n / 31), (n % 31) + 1);
}

/** Easter Sunday of a Gregorian year: easterSunday(2026) = '2026-04-05'. */
export function easterSunday(year: number): string {
  return dateOfDayNumber(easterDayNumber(year));
}

/** A fixed date as [month, day], or a day offset from Easter Sunday. */
type HolidayRule = readonly [number, number] | { easter: number };

const GOOD_FRIDAY = { easter: -2 };
const EASTER_SUNDAY = { easter: 0 };
const EASTER_MONDAY = { easter: 1 };
const ASCENSION = { easter: 39 };
const WHIT_MONDAY = { easter: 50 };
const CORPUS_CHRISTI = { easter: 60 };

const RULES: Record<string, (year: number) => readonly HolidayRule[]> = {
  FR: () => [[1, 1], EASTER_MONDAY, [5, 1], [5, 8], ASCENSION, WHIT_MONDAY, [7, 14], [8, 15], [11, 1], [11, 11], [12, 25]],
  BE: () => [[1, 1], EASTER_MONDAY, [5, 1], ASCENSION, WHIT_MONDAY, [7, 21], [8, 15], [11, 1], [11, 11], [12, 25]],
  // Corpus Christi, 5 October, 1 November and 1 December were suspended from 2013 to 2015.
  PT: (year) => [
    [1, 1], GOOD_FRIDAY, EASTER_SUNDAY, [4, 25], [5, 1], [6, 10], [8, 15], [12, 8], [12, 25],
    ...(year >= 2013 && year <= 2015 ? [] : [CORPUS_CHRISTI, [10, 5], [11, 1], [12, 1]] as const),
  ],
  ES: () => [[1, 1], [1, 6], GOOD_FRIDAY, [5, 1], [8, 15], [10, 12], [11, 1], [12, 6], [12, 8], [12, 25]],
  // Reformation Day was a nationwide holiday once, for its 500th anniversary.
  DE: (year) => [[1, 1], GOOD_FRIDAY, EASTER_MONDAY, [5, 1], ASCENSION, WHIT_MONDAY, [10, 3], [12, 25], [12, 26], ...(year === 2017 ? [[10, 31]] as const : [])],
};

const byCountryYear = new Map<string, readonly string[]>();

/**
 * Public holidays of a country for a year as sorted local dates: FR (the 11 statutory ones, Easter-based
 * included: Easter Monday, Ascension, Whit Monday), plus BE, PT, ES, DE national ones. Unknown country →
 * empty.
 * @example publicHolidays('FR', 2026) includes '2026-05-14' (Ascension) and '2026-05-25' (Whit Monday)
 */
export function publicHolidays(country: string, year: number): string[] {
  const code = country.toUpperCase();
  const rulesOf = RULES[code];
  if (rulesOf === undefined) return [];
  const key = `${code}:${year}`;
  let dates = byCountryYear.get(key);
  if (dates === undefined) {
    const easter = easterDayNumber(year);
    dates = rulesOf(year)
      .map((r) => ('easter' in r ? easter + r.easter : dayNumberOfCivil(year, r[0], r[1])))
      .sort((x, y) => x - y)
      .map(dateOfDayNumber);
    byCountryYear.set(key, dates);
  }
  return [...dates];
}

/** Convenience: the holidays of the years fromYear..toYear (inclusive) as one set. */
export function holidaySet(country: string, fromYear: number, toYear: number): Set<string> {
  const set = new Set<string>();
  for (let year = fromYear; year <= toYear; year++) for (const date of publicHolidays(country, year)) set.add(date);
  return set;
}
