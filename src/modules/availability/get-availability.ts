import type { LatLng } from '../../domain/geo/distance.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { lookupPostalCode } from '../geo/postal-codes.js';
import type { AvailabilityView } from './availability-view.js';
import { MAX_SKUS, type AvailabilityQuerystring, type AvailabilityResponse } from './availability.schemas.js';

const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

function resolveOrigin(q: AvailabilityQuerystring): Result<LatLng | undefined> {
  const byPostalCode = q.postalCode !== undefined || q.country !== undefined;
  const byPoint = q.lat !== undefined || q.lon !== undefined;
  if (byPostalCode && byPoint) return fail('validation_failed', 'give either postalCode and country, or lat and lon, not both');
  if (byPoint) {
    if (q.lat === undefined || q.lon === undefined) return fail('validation_failed', 'lat and lon go together');
    return ok({ latitude: q.lat, longitude: q.lon });
  }
  if (!byPostalCode) return ok(undefined);
  if (q.postalCode === undefined || q.country === undefined) return fail('validation_failed', 'postalCode and country go together');
  // Never a guess: a code we cannot place is refused rather than ranked from a neighbouring one.
  const point = lookupPostalCode(q.country, q.postalCode);
  if (!point) {
    return fail('unknown_postal_code', `postal code ${q.postalCode} is unknown for country ${q.country.toUpperCase()}`, {
      postalCode: q.postalCode,
      country: q.country.toUpperCase(),
    });
  }
  return ok(point);
}

/**
 * Network and nearby ATP for a basket, answered from the in-memory view with no database access.
 * An unknown SKU is listed with `known: false` and 0, so one bad line does not hide the others.
 */
export function getAvailability(view: AvailabilityView, q: AvailabilityQuerystring): Result<AvailabilityResponse> {
  const skus = [...new Set(q.skus.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
  if (skus.length === 0) return fail('validation_failed', 'skus needs at least one SKU');
  if (skus.length > MAX_SKUS) return fail('too_many_skus', `at most ${MAX_SKUS} SKUs per call, got ${skus.length}`, { max: MAX_SKUS });
  const malformed = skus.filter((s) => !SKU_PATTERN.test(s));
  if (malformed.length > 0) return fail('validation_failed', 'malformed SKUs', { malformed: malformed.slice(0, 10) });
  const origin = resolveOrigin(q);
  if (!origin.ok) return origin;
  const result = view.query({ skus, channelId: q.channel, origin: origin.value, radiusKm: q.radiusKm, limit: q.limit ?? 20 });
  if (!result.ok) return result;
  return ok({ ...result.value, origin: origin.value ?? null });
}
