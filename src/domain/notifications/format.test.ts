import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDayRange, formatDateTime, formatMoney, formatShortDateTime, minorUnitDigits, validTimeZone } from './format.js';
import { resolveLocale } from './locale.js';

// Intl separates groups, symbols and ranges with no-break and thin spaces (U+00A0, U+202F, U+2009).
const NBSP = '\u00a0';
const NNBSP = '\u202f';
const plain = (s: string) => s.replace(/[\u00a0\u202f\u2009]/g, ' ');

describe('formatMoney', () => {
  it('formats EUR, GBP and JPY for French and English customers', () => {
    expect(formatMoney(4990, 'EUR', 'fr-FR')).toBe(`49,90${NBSP}€`);
    expect(formatMoney(4990, 'EUR', 'en-GB')).toBe('€49.90');
    expect(formatMoney(124990, 'EUR', 'fr-FR')).toBe(`1${NNBSP}249,90${NBSP}€`);
    expect(formatMoney(4990, 'GBP', 'en-GB')).toBe('£49.90');
    expect(formatMoney(4990, 'GBP', 'fr-FR')).toBe(`49,90${NBSP}£GB`);
    expect(formatMoney(4990, 'JPY', 'en-GB')).toBe('JP¥4,990');
    expect(formatMoney(4990, 'JPY', 'en-US')).toBe('¥4,990');
    expect(formatMoney(4990, 'JPY', 'fr-FR')).toBe(`4${NNBSP}990${NBSP}JPY`);
    expect(formatMoney(5, 'EUR', 'en-GB')).toBe('€0.05');
    expect(formatMoney(-1500, 'EUR', 'en-GB')).toBe('-€15.00');
  });

  it('reads minor units by the ISO 4217 exponent, not by ICU display digits', () => {
    expect(minorUnitDigits('HUF')).toBe(2);
    expect(formatMoney(1050, 'HUF', 'en-GB')).toBe(`HUF${NBSP}10.50`);
    expect(formatMoney(1234, 'BHD', 'en-GB')).toBe(`BHD${NBSP}1.234`);
  });

  it('is exact for any integer amount (no float rounding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (minor) => {
        const digitsOnly = formatMoney(minor, 'EUR', 'en-GB').replace(/[^0-9]/g, '');
        expect(Number(digitsOnly)).toBe(minor);
      }),
    );
  });
});

describe('dates', () => {
  it('show instants in the given zone and language', () => {
    const iso = '2026-01-06T18:00:00Z';
    expect(formatDateTime(iso, 'fr-FR', 'Europe/Paris')).toBe('mardi 6 janvier 2026 à 19:00');
    expect(formatDateTime(iso, 'en-GB', 'Europe/London')).toBe('Tuesday, 6 January 2026 at 18:00');
    expect(formatShortDateTime(iso, 'fr-FR', 'Europe/Paris')).toBe('6 janv., 19:00');
    expect(formatDateTime(iso, 'fr-FR', 'America/Martinique')).toBe('mardi 6 janvier 2026 à 14:00');
  });

  it('give a window by day, a single day when both ends match', () => {
    expect(plain(formatDayRange('2026-01-06T08:00:00Z', '2026-01-08T17:00:00Z', 'fr-FR', 'Europe/Paris'))).toBe('mardi 6 – jeudi 8 janvier');
    expect(plain(formatDayRange('2026-01-30T08:00:00Z', '2026-02-02T17:00:00Z', 'en-GB', 'Europe/Paris'))).toBe('Friday 30 January – Monday 2 February');
    expect(plain(formatDayRange('2026-01-06T08:00:00Z', '2026-01-06T17:00:00Z', 'fr-FR', 'Europe/Paris'))).toBe('mardi 6 janvier');
  });

  it('give a day range already formatted exactly as ICU formats it, per locale and zone', () => {
    const ends = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: -2, max: 9 }), fc.constantFrom('fr-FR', 'en-GB'), fc.constantFrom('Europe/Paris', 'America/Cayenne', 'Pacific/Noumea'));
    fc.assert(
      fc.property(ends, ([startDay, days, locale, zone]) => {
        const from = new Date(Date.UTC(2026, 0, 1, 9) + startDay * 86_400_000);
        const to = new Date(from.getTime() + days * 86_400_000);
        const f = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: zone });
        const expected = to.getTime() <= from.getTime() ? f.format(from) : f.formatRange(from, to);
        // Twice: the second answer comes from the cache.
        for (let i = 0; i < 2; i++) expect(formatDayRange(from.toISOString(), to.toISOString(), locale, zone)).toBe(expected);
      }),
    );
  });

  it('fall back to the default zone when a payload names an unknown one', () => {
    expect(validTimeZone('Mars/Olympus', 'Europe/Paris')).toBe('Europe/Paris');
    expect(validTimeZone(undefined, 'Europe/Paris')).toBe('Europe/Paris');
    expect(validTimeZone('Asia/Tokyo', 'Europe/Paris')).toBe('Asia/Tokyo');
  });
});

describe('resolveLocale', () => {
  it('keeps French and English with their region, falls back to French otherwise', () => {
    expect(resolveLocale('en-US')).toEqual({ language: 'en', tag: 'en-US' });
    expect(resolveLocale('en')).toEqual({ language: 'en', tag: 'en-GB' });
    expect(resolveLocale('en_gb')).toEqual({ language: 'en', tag: 'en-GB' });
    expect(resolveLocale('fr-CA')).toEqual({ language: 'fr', tag: 'fr-CA' });
    expect(resolveLocale('de-DE')).toEqual({ language: 'fr', tag: 'fr-FR' });
    expect(resolveLocale('not a tag!')).toEqual({ language: 'fr', tag: 'fr-FR' });
    expect(resolveLocale(undefined)).toEqual({ language: 'fr', tag: 'fr-FR' });
  });
});
