import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceKm, latitudeGapKm, type LatLng } from './distance.js';

const paris: LatLng = { latitude: 48.8566, longitude: 2.3522 };
const lyon: LatLng = { latitude: 45.764, longitude: 4.8357 };
const saintDenisReunion: LatLng = { latitude: -20.8823, longitude: 55.4504 };

describe('distanceKm', () => {
  it('gives the known great-circle distance Paris–Lyon (≈ 392 km)', () => {
    expect(distanceKm(paris, lyon)).toBeGreaterThan(388);
    expect(distanceKm(paris, lyon)).toBeLessThan(396);
  });

  it('is zero for the same point and symmetric', () => {
    expect(distanceKm(paris, paris)).toBe(0);
    expect(distanceKm(paris, lyon)).toBeCloseTo(distanceKm(lyon, paris), 9);
  });

  it('handles long distances across hemispheres (Paris–La Réunion ≈ 9,350 km)', () => {
    const d = distanceKm(paris, saintDenisReunion);
    expect(d).toBeGreaterThan(9250);
    expect(d).toBeLessThan(9450);
  });

  it('stays finite for antipodal points (half the circumference)', () => {
    const d = distanceKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 });
    expect(d).toBeCloseTo(Math.PI * 6371.0088, 3);
  });
});

describe('latitudeGapKm', () => {
  const point = fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) });

  it('never exceeds the great-circle distance, and equals it along a meridian', () => {
    fc.assert(
      fc.property(point, point, (a, b) => {
        expect(latitudeGapKm(a, b)).toBeLessThanOrEqual(distanceKm(a, b) + 1e-6);
        expect(latitudeGapKm(a, { ...b, longitude: a.longitude })).toBeCloseTo(distanceKm(a, { ...b, longitude: a.longitude }), 3);
      }),
      { numRuns: 2_000 },
    );
  });
});
