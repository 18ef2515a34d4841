import type { Db } from '../../db/database.js';
import { computePromise, type PromiseInput, type PromiseLine, type PromiseResult } from '../../domain/promise/delivery-promise.js';
import { addDays, localDateOf } from '../../domain/promise/calendar.js';
import type { PromiseLocation } from '../../domain/promise/shipping-quote.js';
import { isEligibleLocation } from '../../domain/inventory/pools.js';
import { locationPreferenceCost } from '../../domain/sourcing/location-preference.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import type { AvailabilityView } from '../availability/availability-view.js';
import { lookupPostalCode, postalCodeTable } from '../geo/postal-codes.js';
import type { PromiseData, PromiseSnapshot } from './promise-data.js';
import { openSupply, pickLoads, productFacts } from './promise.repository.js';
import type { PromiseRequest, PromiseResponse } from './promise.schemas.js';

export interface PromiseDeps {
  db: Db;
  clock: Clock;
  availability: AvailabilityView;
  data: PromiseData;
}

export interface ComputedPromise {
  /** The master data it was computed from (holding an option needs its sites and settings). */
  snapshot: PromiseSnapshot;
  input: PromiseInput;
  result: PromiseResult;
  response: PromiseResponse;
}

const COUNTRY_TIME_ZONES: Record<string, string> = {
  FR: 'Europe/Paris', BE: 'Europe/Brussels', LU: 'Europe/Luxembourg', CH: 'Europe/Zurich', DE: 'Europe/Berlin', ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon', IT: 'Europe/Rome', NL: 'Europe/Amsterdam', GB: 'Europe/London', IE: 'Europe/Dublin', AT: 'Europe/Vienna',
};

/**
 * Every delivery option for a cart (POST /v1/promise without a hold): live ATP from the in-memory view,
 * today's pick loads and incoming supply from the database, and the pure `computePromise`.
 */
export async function computePromiseFor(deps: PromiseDeps, req: PromiseRequest): Promise<Result<ComputedPromise>> {
  if (!req.destination && !req.pickupLocationId) return fail('validation_failed', 'give a destination (postalCode and country), a pickupLocationId, or both');
  const skus = [...new Set(req.lines.map((l) => l.sku))];
  const [snapshot, products, supply] = await Promise.all([deps.data.current(), productFacts(deps.db, skus), openSupply(deps.db, skus)]);
  const unknown = skus.filter((s) => !products.get(s)?.active);
  if (unknown.length > 0) return fail('unknown_sku', 'these SKUs are not active products', { skus: unknown });
  const channel = deps.availability.channel(req.channel);
  if (!channel) return fail('channel_not_found', `no channel ${req.channel}`);
  if (!channel.active) return fail('channel_inactive', `channel ${req.channel} is not selling`);
  const pickupSite = req.pickupLocationId !== undefined ? snapshot.sitesById.get(req.pickupLocationId) : undefined;
  if (req.pickupLocationId !== undefined && (!pickupSite || !pickupSite.capabilities.has('pickup') || !isEligibleLocation(channel, pickupSite.id))) {
    return fail('pickup_location_invalid', `${req.pickupLocationId} is not a pickup store of channel ${req.channel}`, { pickupLocationId: req.pickupLocationId });
  }

  const destination = resolveDestination(req, pickupSite);
  if (!destination.ok) return destination;
  const atp = deps.availability.query({ skus, channelId: req.channel, limit: 1_000_000 });
  if (!atp.ok) return atp;
  const available = new Map<string, Map<string, number>>();
  for (const item of atp.value.items) for (const l of item.locations) {
    const perSku = available.get(l.locationId) ?? new Map<string, number>();
    perSku.set(item.sku, l.atp);
    available.set(l.locationId, perSku);
  }

  const now = deps.clock.now().getTime();
  const loads = await pickLoads(deps.db, addDays(localDateOf('UTC', now), -1));
  const { settings } = snapshot;
  const locations: PromiseLocation[] = snapshot.sites
    .filter((s) => isEligibleLocation(channel, s.id))
    .map((s) => {
      const load = loads.get(`${s.id}@${localDateOf(s.calendar.timeZone, now)}`) ?? 0;
      const capacity = s.dailyPickCapacity;
      return {
        ...s,
        available: available.get(s.id) ?? new Map(),
        ...(capacity !== null ? { capacityLeft: Math.max(0, capacity - load) } : {}),
        preferenceCostMinor: locationPreferenceCost({ ...s, loadShare: capacity ? load / capacity : 0 }, settings),
      };
    });
  const lines: PromiseLine[] = req.lines.map((l, i) => {
    const p = products.get(l.sku)!;
    return { lineId: String(i + 1), sku: l.sku, quantity: l.quantity, weightGrams: p.weightGrams, backorderable: p.backorderable, preorderable: p.preorderable };
  });
  const year = new Date(now).getUTCFullYear();
  const country = destination.value.country;
  const input: PromiseInput = {
    now,
    lines,
    destination: { country, point: destination.value.point, timeZone: COUNTRY_TIME_ZONES[country] ?? 'UTC', holidays: deps.data.holidays(country, year) },
    ...(req.pickupLocationId !== undefined ? { pickupLocationId: req.pickupLocationId } : {}),
    locations,
    supply,
    carriers: snapshot.carriers,
    observed: snapshot.observed,
    settings,
    holidaysOf: (c) => deps.data.holidays(c, year),
    // Without an address there is nowhere to deliver: only pickup options are computed.
    services: req.destination ? (req.services ?? ['standard', 'express', 'same_day']) : [],
  };
  const result = computePromise(input);
  const response: PromiseResponse = {
    promisedAt: new Date(now).toISOString(),
    channel: req.channel,
    currency: settings.currency,
    destination: req.destination ? { ...req.destination, located: destination.value.point !== null } : null,
    options: result.options,
    unavailable: result.unavailable,
  };
  return ok({ snapshot, input, result, response });
}

function resolveDestination(
  req: PromiseRequest,
  pickupSite: { country: string; point: { latitude: number; longitude: number } | null } | undefined,
): Result<{ country: string; point: { latitude: number; longitude: number } | null }> {
  if (!req.destination) return ok({ country: pickupSite!.country, point: pickupSite!.point });
  const { country, postalCode } = req.destination;
  const point = lookupPostalCode(country, postalCode);
  // A country whose postal codes we know must give a real one; elsewhere the lanes "any distance" apply.
  if (!point && postalCodeTable(country)) {
    return fail('unknown_postal_code', `postal code ${postalCode} is unknown for country ${country}`, { postalCode, country });
  }
  return ok({ country, point: point ?? null });
}
