/**
 * ISO 4217 helpers for product prices, which are stored as integer minor units per currency
 * (`{ EUR: 2999 }` is 29.99 EUR). Pure: no I/O; `Intl` only supplies the list of current codes.
 */

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

// ISO 4217 minor-unit exponents that are not 2. Written out because ICU reports cash digits for some
// currencies (HUF, IDR: 0) where ISO 4217 says 2, and prices must follow ISO.
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** True for a current ISO 4217 code such as `EUR`; false for `XYZ`, `eur` or `EURO`. */
export function isKnownCurrency(code: string): boolean {
  return KNOWN.has(code);
}

/** Number of decimals of the minor unit: EUR 2 (cents), JPY 0, BHD 3. */
export function minorUnitDigits(code: string): number {
  return EXPONENTS[code] ?? 2;
}

/** The largest price accepted, in minor units (keeps sums of prices exact in JavaScript numbers). */
export const MAX_PRICE_MINOR = 1_000_000_000_000;

/**
 * Parses a decimal amount written with a dot ("29.99", "29.9", "29") into minor units of `code`
 * without going through a float. Returns an error message for anything else: a sign, a comma,
 * an exponent, or more decimals than the currency has ("29.999" EUR).
 */
export function decimalToMinor(text: string, code: string): { minor: number } | { error: string } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { error: `"${text}" is not a non-negative decimal amount like 29.99` };
  const digits = minorUnitDigits(code);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return { error: `${code} has ${digits} decimals; "${text}" has ${fraction.length}` };
  const minor = Number(match[1]! + fraction.padEnd(digits, '0'));
  if (minor > MAX_PRICE_MINOR) return { error: `"${text}" is above the largest accepted price` };
  return { minor };
}
