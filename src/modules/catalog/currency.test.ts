import { describe, expect, it } from 'vitest';
import { decimalToMinor, isKnownCurrency, minorUnitDigits } from './currency.js';

describe('currency', () => {
  it('knows current ISO 4217 codes only', () => {
    expect(['EUR', 'GBP', 'JPY', 'CHF'].every(isKnownCurrency)).toBe(true);
    expect(['XYZ', 'eur', 'EURO', 'XXX', ''].some(isKnownCurrency)).toBe(false);
  });

  it('follows ISO 4217 minor units, not cash digits', () => {
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('BHD'), minorUnitDigits('HUF')]).toEqual([2, 0, 3, 2]);
  });

  it.each([
    ['29.99', 'EUR', 2999],
    ['29.9', 'EUR', 2990],
    ['29', 'EUR', 2900],
    ['0.07', 'EUR', 7],
    ['1500', 'JPY', 1500],
    ['1.234', 'BHD', 1234],
    // 0.1 + 0.2 style float errors cannot happen: the digits are concatenated, never multiplied.
    ['1.15', 'EUR', 115],
  ])('reads %s %s as %i minor units', (text, code, minor) => {
    expect(decimalToMinor(text, code)).toEqual({ minor });
  });

  it.each([['-1', 'EUR'], ['29,99', 'EUR'], ['1e3', 'EUR'], ['29.999', 'EUR'], ['1.5', 'JPY'], ['', 'EUR'], [' 2', 'EUR'], ['99999999999', 'EUR']])(
    'refuses %s %s',
    (text, code) => {
      expect(decimalToMinor(text, code)).toHaveProperty('error');
    },
  );
});
