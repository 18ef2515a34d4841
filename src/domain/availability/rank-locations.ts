import { distanceKm, type LatLng } from '../geo/distance.js';

export interface Positioned {
  latitude: number | null;
  longitude: number | null;
}

/** Locations ranked once per request and reused for every SKU of the basket. */
export interface LocationRanking {
  /** Location indexes, nearest first; locations without coordinates last, by index. */
  order: Int32Array;
  /** Distance per location index in km, NaN when the location (or the origin) has no coordinates. */
  distances: Float64Array;
}

/**
 * Ranks locations by great-circle distance from `origin`. Without an origin every distance is NaN and the
 * order is the index order (the caller then ranks by stock). A few hundred haversines and one sort: tens
 * of microseconds, so it is done per request rather than cached per origin.
 */
export function rankByDistance(origin: LatLng | undefined, locations: readonly Positioned[]): LocationRanking {
  const n = locations.length;
  const distances = new Float64Array(n).fill(Number.NaN);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const l = locations[i]!;
    if (origin && l.latitude !== null && l.longitude !== null) {
      distances[i] = distanceKm(origin, { latitude: l.latitude, longitude: l.longitude });
    }
  }
  if (origin) {
    order.sort((a, b) => {
      const da = distances[a]!;
      const db = distances[b]!;
      if (Number.isNaN(da)) return Number.isNaN(db) ? a - b : 1;
      if (Number.isNaN(db)) return -1;
      return da - db || a - b;
    });
  }
  return { order, distances };
}

/** Distance rounded to 100 m for display; null when unknown. */
export function displayDistance(km: number): number | null {
  return Number.isNaN(km) ? null : Math.round(km * 10) / 10;
}
