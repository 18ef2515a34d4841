import { describe, expect, it } from 'vitest';
import { distanceKm } from '../../domain/geo/distance.js';
import { lookupPostalCode } from './postal-codes.js';

const cities = {
  paris: { latitude: 48.8566, longitude: 2.3522 },
  lyon: { latitude: 45.764, longitude: 4.8357 },
  marseille: { latitude: 43.2965, longitude: 5.3698 },
  bordeaux: { latitude: 44.8378, longitude: -0.5792 },
  saintDenisReunion: { latitude: -20.8823, longitude: 55.4504 },
  fortDeFrance: { latitude: 14.6161, longitude: -61.0588 },
};

describe('lookupPostalCode (FR)', () => {
  it.each([
    ['75001', cities.paris, 5],
    ['75015', cities.paris, 6],
    ['69001', cities.lyon, 3],
    ['13001', cities.marseille, 3],
    ['33000', cities.bordeaux, 5],
    ['97400', cities.saintDenisReunion, 8],
    ['97200', cities.fortDeFrance, 8],
  ] as const)('%s resolves near its city', (code, city, maxKm) => {
    const point = lookupPostalCode('FR', code);
    expect(point).toBeDefined();
    expect(distanceKm(point!, city)).toBeLessThan(maxKm);
  });

  it('returns undefined for unknown codes and countries', () => {
    expect(lookupPostalCode('FR', '00000')).toBeUndefined();
    expect(lookupPostalCode('FR', '')).toBeUndefined();
    expect(lookupPostalCode('DE', '10115')).toBeUndefined();
  });

  it('accepts a lowercase country and surrounding spaces', () => {
    expect(lookupPostalCode('fr', ' 75001 ')).toEqual(lookupPostalCode('FR', '75001'));
  });
});
