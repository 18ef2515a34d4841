import type { Db } from '../../db/database.js';
import { computePromise, type PromiseInput, type PromiseLine, type PromiseResult } from '../../domain/promise/delivery-promise.js';
import { addDays, localDateOf } from '../../domain/promise/calendar.js';
import type { PromiseLocation } from '../../domain/promise/shipping-quote.js';
import { isEligibleLocation } from '../../domain/inventory/pools.js';
import { locationPreferenceCost } from '../../domain/sourcing/location-preference.js';
import { channelCostParameters } from '../../domain/sourcing/routing-policy.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import type { AvailabilityView } from '../availability/availability-view.js';
import { lookupPostalCode, postalCodeTable } from '../geo/postal-codes.js';
import type { PromiseData, PromiseSnapshot } from './promise-data.js';
import type { PromiseInputsOf } from './promise-inputs.js';
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

/** The zone a destination country's delivery dates are in (the SLA watch dates its estimates the same way). */
export const COUNTRY_TIME_ZONES: Record<string, string> = {
  FR: 'Europe/Paris', BE: 'Europe/Brussels', LU: 'Europe/Luxembourg', CH: 'Europe/Zurich', DE: 'Europe/Berlin', ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon', IT: 'Europe/Rome', NL: 'Europe/Amsterdam', GB: 'Europe/London', IE: 'Europe/Dublin', AT: 'Europe/Vienna',
};

/** Internal options (not part of POST /v1/promise). */
export interface PromiseOptions {
  /**
   * Locations that must not source any unit (they rejected or short-picked this order's units): no
   * stock, no incoming supply. A pickup store in the list stays usable as the pickup point.
   */
  excludeSources?: readonly string[];
  /** Compute only this option, with its alternatives: the flows that know the option they need. */
  only?: string;
  /**
   * Stock units that plans made earlier in the same command will hold first (not held yet, so still in
   * live ATP): not available to this promise. Their pick capacity: `pickLoadTaken`.
   */
  taken?: ReadonlyArray<{ locationId: string; sku: string; quantity: number }>;
  /** Pick units those plans will load on a location's day (not loaded yet): capacity not left to this promise. */
  pickLoadTaken?: ReadonlyArray<{ locationId: string; day: string; units: number }>;
  /**
   * A quote that holds and commits nothing (POST /v1/promise without a hold): its inputs may come from
   * the polled in-memory view, a bounded moment behind (quote-inputs.ts). Everything else reads fresh.
   */
  quote?: boolean;
  /**
   * The inputs of the cart's SKUs, already asked for (readPromiseInputsAhead: an order reads them alongside
   * its facts instead of after them).
   */
  inputs?: Promise<PromiseInputsOf>;
}

/** The first local day whose pick loads a promise reads: yesterday in UTC covers every location's today. */
const promiseFromDay = (clock: Clock): string => addDays(localDateOf('UTC', clock.now().getTime()), -1);

/**
 * Asks now for what a promise of these SKUs reads from the database (computePromiseFor's `inputs`), so a
 * caller can send that read alongside its own. Concurrent promises share the reads, as when computed.
 */
export function readPromiseInputsAhead(deps: PromiseDeps, skus: readonly string[]): Promise<PromiseInputsOf> {
  return deps.data.inputs.read([...new Set(skus)], promiseFromDay(deps.clock));
}

/**
 * Every delivery option for a cart (POST /v1/promise without a hold): live ATP from the in-memory view,
 * today's pick loads and incoming supply from the database (or, for a quote, from their polled view),
 * and the pure `computePromise`.
 */
export async function computePromiseFor(deps: PromiseDeps, req: PromiseRequest, opts: PromiseOptions = {}): Promise<Result<ComputedPromise>> {
  if (!req.destination && !req.pickupLocationId) return fail('validation_failed', 'give a destination (postalCode and country), a pickupLocationId, or both');
  const skus = [...new Set(req.lines.map((l) => l.sku))];
  // Concurrent promises share the reads.
  const fromDay = promiseFromDay(deps.clock);
  const { products, supply, loads, dataVersion } = (opts.quote ? deps.data.quotes.serve(skus, fromDay) : undefined) ?? (await (opts.inputs ?? deps.data.inputs.read(skus, fromDay)));
  const snapshot = await deps.data.at(dataVersion);
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
  const atp = deps.availability.atpByLocation(skus, req.channel);
  if (!atp.ok) return atp;
  const available = opts.taken && opts.taken.length > 0 ? withoutTaken(atp.value, opts.taken) : atp.value;
  const dayLoads = opts.pickLoadTaken && opts.pickLoadTaken.length > 0 ? withLoadTaken(loads, opts.pickLoadTaken) : loads;

  const excluded = new Set(opts.excludeSources ?? []);
  const now = deps.clock.now().getTime();
  const { settings } = snapshot;
  const todayIn = new Map<string, string>();
  const nothing: ReadonlyMap<string, number> = new Map();
  const locations: PromiseLocation[] = [];
  for (const s of snapshot.sites) {
    if (!isEligibleLocation(channel, s.id)) continue;
    const zone = s.calendar.timeZone;
    let today = todayIn.get(zone);
    if (today === undefined) todayIn.set(zone, (today = localDateOf(zone, now)));
    // Per location, the load of each day (holds count on the pick day).
    const load = dayLoads.get(s.id)?.get(today) ?? 0;
    const capacity = s.dailyPickCapacity;
    const preferenceFacts = { priority: s.priority, dataReliability: s.dataReliability, loadShare: capacity ? load / capacity : 0 };
    // One literal of a fixed shape (not a spread or Object.assign of the site): 50 sites per promise, and
    // every later read of these objects stays on one hidden class.
    locations.push({
      id: s.id,
      name: s.name,
      type: s.type,
      calendar: s.calendar,
      capabilities: s.capabilities,
      point: s.point,
      country: s.country,
      cutoffs: s.cutoffs,
      processingDays: s.processingDays,
      pickupPrepMinutes: s.pickupPrepMinutes,
      handlingCostMinor: s.handlingCostMinor,
      preferenceCostMinor: locationPreferenceCost(preferenceFacts, settings),
      preferenceFacts,
      capacityLeft: capacity !== null ? Math.max(0, capacity - load) : undefined,
      pickDays: capacity !== null ? { capacity, load: dayLoads.get(s.id) ?? nothing } : undefined,
      available: excluded.has(s.id) ? nothing : (available.get(s.id) ?? nothing),
      departureSlip: s.departureSlip,
    });
  }
  const lines: PromiseLine[] = req.lines.map((l, i) => {
    const p = products.get(l.sku)!;
    return { lineId: String(i + 1), sku: l.sku, quantity: l.quantity, weightGrams: p.weightGrams, backorderable: p.backorderable, preorderable: p.preorderable };
  });
  const year = new Date(now).getUTCFullYear();
  const country = destination.value.country;
  // The routing policies assigned to the channel, per delivery method (routing-policy.ts).
  const policies = channelPolicies(snapshot, req.channel);
  const input: PromiseInput = {
    now,
    lines,
    destination: { country, point: destination.value.point, timeZone: COUNTRY_TIME_ZONES[country] ?? 'UTC', holidays: deps.data.holidays(country, year) },
    ...(req.pickupLocationId !== undefined ? { pickupLocationId: req.pickupLocationId } : {}),
    locations,
    supply: excluded.size > 0 ? supply.filter((s) => !excluded.has(s.locationId)) : supply,
    carriers: snapshot.carriers,
    observed: snapshot.observed,
    settings,
    holidaysOf: (c) => deps.data.holidays(c, year),
    // Without an address there is nowhere to deliver: only pickup options are computed.
    services: req.destination ? (req.services ?? ['standard', 'express', 'same_day']) : [],
    policies: { ship: policies.ship, click_and_collect: policies.pickup, reserve_and_collect: policies.reserve_and_collect },
    ...(opts.only !== undefined ? { only: opts.only, explain: opts.only } : req.explain ? { explain: true } : req.hold ? { explain: req.hold.optionId } : {}),
  };
  const result = computePromise(input);
  const response: PromiseResponse = {
    promisedAt: new Date(now).toISOString(),
    channel: req.channel,
    currency: settings.currency,
    destination: req.destination ? { postalCode: req.destination.postalCode, country: req.destination.country, located: destination.value.point !== null } : null,
    options: result.options,
    unavailable: result.unavailable,
  };
  return ok({ snapshot, input, result, response });
}

function withoutTaken(atp: ReadonlyMap<string, ReadonlyMap<string, number>>, taken: NonNullable<PromiseOptions['taken']>): ReadonlyMap<string, ReadonlyMap<string, number>> {
  const out = new Map(atp);
  for (const t of taken) {
    const skus = new Map(out.get(t.locationId) ?? []);
    if (skus.has(t.sku)) out.set(t.locationId, skus.set(t.sku, Math.max(0, skus.get(t.sku)! - t.quantity)));
  }
  return out;
}

function withLoadTaken(loads: ReadonlyMap<string, ReadonlyMap<string, number>>, taken: NonNullable<PromiseOptions['pickLoadTaken']>): ReadonlyMap<string, ReadonlyMap<string, number>> {
  const out = new Map(loads);
  for (const t of taken) {
    const days = new Map(out.get(t.locationId) ?? []);
    out.set(t.locationId, days.set(t.day, (days.get(t.day) ?? 0) + t.units));
  }
  return out;
}

/**
 * The routing policies of a channel, once per snapshot: its routing table and settings are never changed
 * in place (a change makes a new snapshot), and every promise of the channel asks the same.
 */
const policiesBySnapshot = new WeakMap<PromiseSnapshot, Map<string, ReturnType<typeof channelCostParameters>>>();
function channelPolicies(snapshot: PromiseSnapshot, channelId: string): ReturnType<typeof channelCostParameters> {
  let byChannel = policiesBySnapshot.get(snapshot);
  if (!byChannel) policiesBySnapshot.set(snapshot, (byChannel = new Map()));
  let policies = byChannel.get(channelId);
  if (!policies) byChannel.set(channelId, (policies = channelCostParameters(snapshot.routing, channelId, snapshot.settings)));
  return policies;
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
