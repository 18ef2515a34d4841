/** A point on Earth in decimal degrees (WGS 84). */
export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius (IUGG), the usual choice for great-circle distances. */
const EARTH_RADIUS_KM = 6371.0088;

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/**
 * Great-circle distance in kilometres (haversine). Accurate to ~0.5% against the ellipsoid, which is
 * plenty for ranking locations and estimating delivery zones.
 */
export function distanceKm(a: LatLng, b: LatLng): number {
  const dLat = toRadians(b.latitude - a.latitude);
  const dLng = toRadians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLng / 2) ** 2;
  // min() guards against rounding pushing h just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A lower bound of `distanceKm(a, b)` from the latitudes alone (the great circle is at least as long as
 * the meridian arc between the two parallels), a few times cheaper: to rule out far points first.
 */
export function latitudeGapKm(a: LatLng, b: LatLng): number {
  return EARTH_RADIUS_KM * Math.abs(toRadians(b.latitude - a.latitude));
}
