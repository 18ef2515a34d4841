import type { WeightBand } from '../sourcing/sourcing-types.js';
import { addDays, weekdayOf, type Weekday } from './calendar.js';
import { distributionOf, learnDistribution, type TransitDistribution, type TransitShare } from './transit-distribution.js';

export const SERVICE_LEVELS = ['standard', 'express', 'same_day'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export type LocationType = 'store' | 'warehouse' | 'supplier' | 'marketplace_seller';

/**
 * Transit for one lane: deliveries to `country` over at most `maxDistanceKm` (null: any distance, used
 * when the destination has no coordinates too). `transit` is the published distribution, the prior.
 */
export interface TransitLane {
  country: string;
  maxDistanceKm: number | null;
  transit: TransitShare[];
}

export interface CarrierServiceConfig {
  service: ServiceLevel;
  name: string;
  /** Location types it collects from; `originLocationIds` narrows it to some locations (a supplier's own carrier). */
  originTypes: LocationType[];
  originLocationIds?: string[];
  destinationCountries: string[];
  /** Radius of a courier (same day): beyond it the service is not offered. */
  maxDistanceKm?: number;
  pickupWeekdays: Weekday[];
  deliveryWeekdays: Weekday[];
  /** Orders accepted before this local time at the origin leave that day, unless the location sets its own. */
  cutoff: string;
  lanes: TransitLane[];
  /** Price of one parcel by weight, ascending; heavier parcels are split (see the sourcing cost model). */
  rates: WeightBand[];
}

export interface Carrier {
  id: string;
  name: string;
  trackingUrlTemplate: string | null;
  active: boolean;
  services: CarrierServiceConfig[];
}

export const laneKey = (lane: Pick<TransitLane, 'country' | 'maxDistanceKm'>): string => `${lane.country}:${lane.maxDistanceKm ?? 'any'}`;

/**
 * The lane a delivery falls in: the destination country's band with the smallest maximum that covers
 * the distance; an unknown distance (NaN) takes the open-ended band, or the widest one.
 */
export function laneFor(lanes: readonly TransitLane[], country: string, distanceKm: number): TransitLane | undefined {
  const inCountry = lanes.filter((l) => l.country === country);
  const bounded = inCountry.filter((l) => l.maxDistanceKm !== null).sort((a, b) => a.maxDistanceKm! - b.maxDistanceKm!);
  const open = inCountry.find((l) => l.maxDistanceKm === null);
  if (Number.isNaN(distanceKm)) return open ?? bounded[bounded.length - 1];
  return bounded.find((l) => distanceKm <= l.maxDistanceKm!) ?? open;
}

/** Why a carrier service cannot take a parcel from `origin` to the destination, or undefined when it can. */
export function serviceRefusal(
  config: CarrierServiceConfig,
  origin: { id: string; type: LocationType },
  country: string,
  distanceKm: number,
): 'origin_not_served' | 'destination_not_served' | 'out_of_radius' | undefined {
  if (!config.originTypes.includes(origin.type)) return 'origin_not_served';
  if (config.originLocationIds && config.originLocationIds.length > 0 && !config.originLocationIds.includes(origin.id)) return 'origin_not_served';
  if (!config.destinationCountries.includes(country)) return 'destination_not_served';
  if (config.maxDistanceKm !== undefined && !(distanceKm <= config.maxDistanceKm)) return 'out_of_radius';
  return undefined;
}

/** Observed deliveries per lane: laneKey → transit days → count. */
export type LaneCounts = ReadonlyMap<string, ReadonlyMap<number, number>>;

/**
 * A carrier's transit distribution for a lane, learned from its recorded deliveries on top of the
 * published one (which weighs `priorWeight` deliveries).
 */
export function laneDistribution(lane: TransitLane, observed: LaneCounts | undefined, priorWeight: number): TransitDistribution {
  // A promise asks for the same lanes hundreds of times; lanes and counts are immutable per loaded snapshot.
  const hit = learnedLanes.get(lane);
  if (hit && hit.observed === observed && hit.priorWeight === priorWeight) return hit.dist;
  const prior = distributionOf(lane.transit);
  const counts = observed?.get(laneKey(lane));
  const dist = counts ? learnDistribution(prior, counts, priorWeight) : prior;
  learnedLanes.set(lane, { observed, priorWeight, dist });
  return dist;
}

const learnedLanes = new WeakMap<TransitLane, { observed: LaneCounts | undefined; priorWeight: number; dist: TransitDistribution }>();
const serviceDays = new WeakMap<CarrierServiceConfig, { pickup: ReadonlySet<Weekday>; delivery: ReadonlySet<Weekday> }>();
const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A service's pick-up days (every day when none are given) and delivery days as sets, built once per config. */
export function weekdaySets(config: CarrierServiceConfig): { pickup: ReadonlySet<Weekday>; delivery: ReadonlySet<Weekday> } {
  let sets = serviceDays.get(config);
  if (!sets) {
    sets = { pickup: new Set(config.pickupWeekdays.length > 0 ? config.pickupWeekdays : ALL_DAYS), delivery: new Set(config.deliveryWeekdays) };
    serviceDays.set(config, sets);
  }
  return sets;
}

/** Cheapest price of one parcel of `weightGrams` (the lightest band that fits), for comparing services. */
export function parcelPrice(rates: readonly WeightBand[], weightGrams: number): number {
  const band = rates.find((b) => weightGrams <= b.maxWeightGrams) ?? rates[rates.length - 1];
  return band ? band.costMinor : 0;
}

/**
 * Carrier delivery days from departure to delivery, counted the way the promise adds them: the
 * departure day is day 0 and a later day counts when it is a delivery weekday and not a holiday.
 * A parcel delivered on a non-delivery day (a courier working a Sunday) counts that day too.
 */
export function deliveryDaysBetween(departedOn: string, deliveredOn: string, deliveryWeekdays: ReadonlySet<Weekday>, holidays: ReadonlySet<string>): number {
  let days = 0;
  for (let d = departedOn; d < deliveredOn; ) {
    d = addDays(d, 1);
    if (d === deliveredOn || (deliveryWeekdays.has(weekdayOf(d)) && !holidays.has(d))) days++;
  }
  return days;
}
