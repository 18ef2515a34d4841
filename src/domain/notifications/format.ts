/**
 * Locale-aware formatting for customer messages. Amounts arrive as integer minor units and are turned
 * into an exact decimal string (never a float division) before `Intl.NumberFormat` formats them; dates
 * arrive as ISO-8601 UTC instants and are shown in the time zone the customer or store lives in.
 */

// ISO 4217 exponents that are not 2. ICU reports display digits instead (HUF, IDR, COP: 0), which would
// misread minor units, so the exponent is ours. Same table as the catalog's currency helper.
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/**
 * Intl formatters by what they were made for: making one costs far more than formatting with it (ICU
 * loads locale data), and every message formats its amounts and dates. A constructor that throws (bad
 * locale, currency or zone) caches nothing and throws again next time. The keys are few (locales x
 * currencies x zones in use); a flood of odd locale tags only ever empties it.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  return remembered(formatters, key, make) as F;
}

/** `store`'s value for `key`, made and kept when missing; the store is emptied when it reaches 1,000 keys. */
function remembered<V>(store: Map<string, V>, key: string, make: () => V): V {
  let value = store.get(key);
  if (value === undefined) {
    value = make();
    if (store.size >= 1000) store.clear();
    store.set(key, value);
  }
  return value;
}

export const minorUnitDigits = (currency: string): number => EXPONENTS[currency] ?? 2;

/** `4990` EUR → "49,90 €" in fr-FR, "€49.90" in en-GB; `4990` JPY → "¥4,990" in en-US. */
export function formatMoney(minor: number, currency: string, localeTag: string): string {
  const digits = minorUnitDigits(currency);
  const abs = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const decimal = `${minor < 0 ? '-' : ''}${abs.slice(0, abs.length - digits)}${digits > 0 ? `.${abs.slice(-digits)}` : ''}`;
  const nf = cached(`money|${localeTag}|${currency}`, () => new Intl.NumberFormat(localeTag, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }));
  // Intl accepts decimal strings and formats them exactly; the lib typings only declare numbers.
  return nf.format(decimal as unknown as number);
}

/** The zone when it is a valid IANA name, otherwise the fallback (a bad payload never breaks a message). */
export function validTimeZone(zone: string | undefined, fallback: string): string {
  if (!zone) return fallback;
  try {
    cached(`zone|${zone}`, () => new Intl.DateTimeFormat('en', { timeZone: zone }));
    return zone;
  } catch {
    return fallback;
  }
}

/** "mardi 6 janvier 2026 à 19:00" / "Tuesday, 6 January 2026 at 19:00". */
export function formatDateTime(iso: string, localeTag: string, timeZone: string): string {
  return cached(`full|${localeTag}|${timeZone}`, () => new Intl.DateTimeFormat(localeTag, { dateStyle: 'full', timeStyle: 'short', timeZone })).format(new Date(iso));
}

/** Short form for SMS: "6 janv., 19:00" / "6 Jan, 19:00". */
export function formatShortDateTime(iso: string, localeTag: string, timeZone: string): string {
  return cached(`short|${localeTag}|${timeZone}`, () => new Intl.DateTimeFormat(localeTag, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone })).format(
    new Date(iso),
  );
}

/**
 * Day ranges already formatted, by locale, zone and ends: ICU's formatRange costs ~0.2 ms a call, and the
 * orders of a day share a handful of delivery windows (every confirmation e-mail formats its own).
 * Bounded like `formatters`.
 */
const dayRanges = new Map<string, string>();

/** A delivery window by day: "mardi 6 – jeudi 8 janvier", or one day when both ends fall on the same date. */
export function formatDayRange(earliest: string, latest: string, localeTag: string, timeZone: string): string {
  return remembered(dayRanges, `${localeTag}|${timeZone}|${earliest}|${latest}`, () => {
    const f = cached(`days|${localeTag}|${timeZone}`, () => new Intl.DateTimeFormat(localeTag, { weekday: 'long', day: 'numeric', month: 'long', timeZone }));
    const from = new Date(earliest);
    const to = new Date(latest);
    return to.getTime() <= from.getTime() ? f.format(from) : f.formatRange(from, to);
  });
}
