import { distanceKm, type LatLng } from '../../../src/domain/geo/distance';
import type { Location } from '../api/types';

// The API's own haversine (src/domain/geo/distance.ts), so the browser's distances match the server's.
export { distanceKm, type LatLng };

export const positionOf = (l: Pick<Location, 'latitude' | 'longitude'>): LatLng | null =>
  l.latitude === null || l.longitude === null ? null : { latitude: l.latitude, longitude: l.longitude };

export interface Bounds {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** Mainland France and Corsica with a margin. */
export const FRANCE: Bounds = { west: -5.3, east: 9.8, south: 41.2, north: 51.3 };
/** Points beyond this window (another continent) are listed, not plotted, so France stays readable. */
const WINDOW: Bounds = { west: -12, east: 20, south: 35, north: 58 };

export const inWindow = (p: LatLng): boolean => p.longitude >= WINDOW.west && p.longitude <= WINDOW.east && p.latitude >= WINDOW.south && p.latitude <= WINDOW.north;

/** France, grown to take in every plotted point (a supplier in Porto, a seller in Milan) with a margin. */
export function boundsFor(points: readonly LatLng[]): Bounds {
  const b = { ...FRANCE };
  for (const p of points.filter(inWindow)) {
    b.west = Math.min(b.west, p.longitude - 0.6);
    b.east = Math.max(b.east, p.longitude + 0.6);
    b.south = Math.min(b.south, p.latitude - 0.4);
    b.north = Math.max(b.north, p.latitude + 0.4);
  }
  return b;
}

/**
 * Equirectangular projection scaled by the cosine of the middle latitude: at this size it looks like
 * the usual map of France and needs no library.
 */
export function projection(b: Bounds, width: number) {
  const k = Math.cos((((b.north + b.south) / 2) * Math.PI) / 180);
  const scale = width / ((b.east - b.west) * k);
  return {
    width,
    height: (b.north - b.south) * scale,
    x: (longitude: number) => (longitude - b.west) * k * scale,
    y: (latitude: number) => (b.north - latitude) * scale,
  };
}
