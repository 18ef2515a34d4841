import type { LatLng } from '../geo/distance.js';
import type { WeightBand } from '../sourcing/sourcing-types.js';
import { localDateOf, nextDeparture, weekdayOf, type LocationCalendar, type Weekday } from './calendar.js';
import {
  laneDistribution,
  laneFor,
  parcelPrice,
  serviceRefusal,
  type Carrier,
  type LaneCounts,
  type LocationType,
  type ServiceLevel,
  weekdaySets,
} from './carriers.js';
import { instantOfLocal, localDayNumberOf } from './time-zone.js';
import { dateQuantile, deliveryDates, departureOpportunities, ON_TIME, type SlipDistribution } from './departure-slip.js';

/** A location as the promise sees it: where it is, when it works, and what it costs. */
export interface PromiseLocation {
  id: string;
  name: string;
  type: LocationType;
  calendar: LocationCalendar;
  capabilities: ReadonlySet<string>;
  point: LatLng | null;
  country: string;
  /** The location's own cut-off per service (wins over the carrier's). */
  cutoffs: Partial<Record<ServiceLevel, string>>;
  processingDays: number;
  pickupPrepMinutes: number;
  handlingCostMinor: number;
  preferenceCostMinor: number;
  /** What a routing policy prices the location's preference from (without them, preferenceCostMinor stands). */
  preferenceFacts?: { priority: number; dataReliability: number; loadShare: number };
  /** Units it can still pick today; undefined = no daily limit. */
  capacityLeft?: number;
  /**
   * With a daily limit: units already committed per local day ('YYYY-MM-DD'). A shipment's units count
   * on the day it leaves (a pickup's on its ready day), so sourcing checks the capacity of that day.
   */
  pickDays?: { capacity: number; load: ReadonlyMap<string, number> };
  /** Live ATP per SKU (after channel pools). */
  available: ReadonlyMap<string, number>;
  /**
   * How many departure opportunities late its parcels leave (learned, see departure-slip.ts); absent:
   * always on the planned one. Shared per loaded snapshot: quote caches compare it by identity.
   */
  departureSlip?: SlipDistribution;
}

export interface Destination {
  country: string;
  postalCode?: string;
  point: LatLng | null;
  /** Public holidays of the destination country: carriers do not deliver on them. */
  holidays: ReadonlySet<string>;
}

export interface QuoteSettings {
  /** Share of deliveries the latest date must cover, e.g. 0.95. */
  confidenceTarget: number;
  /** Quantile of transit the earliest date shows, e.g. 0.1. */
  earliestQuantile: number;
  /** How many deliveries the published distribution weighs against observed ones. */
  priorWeight: number;
}

export interface CarrierQuote {
  carrierId: string;
  carrierName: string;
  service: ServiceLevel;
  serviceName: string;
  lane: string;
  departureDate: string;
  cutoffAt: number;
  earliestDate: string;
  latestDate: string;
  /** P(delivered by latestDate): the origin's departure slip ⊕ the lane's learned transit. */
  confidence: number;
  /** Deliveries observed in the lane behind the figure. */
  observations: number;
  rates: WeightBand[];
}

export type QuoteRefusal = 'no_carrier' | 'out_of_radius' | 'after_cutoff' | 'location_closed';

/**
 * The quote, or why there is none; the same answer holds for every later `from` before `validUntil`:
 * the first cut-off the order meets at any carrier considered (a departure moves only once one passes)
 * and the origin's next local midnight (same day is decided on the origin's date).
 */
export type QuoteOutcome = ({ quote: CarrierQuote } | { refusal: QuoteRefusal }) & { validUntil: number };

export interface QuoteRequest {
  origin: PromiseLocation;
  service: ServiceLevel;
  destination: Destination;
  distanceKm: number;
  /** Earliest instant the goods are at the origin (now, or the arrival of incoming supply). */
  from: number;
  carriers: readonly Carrier[];
  /** Observed deliveries per `${carrierId}/${service}`. */
  observed: ReadonlyMap<string, LaneCounts>;
  settings: QuoteSettings;
}

/**
 * The best carrier service of a level for one origin: the quote whose latest date comes first, then the
 * cheaper 1 kg parcel, then the carrier id (deterministic). Same day only counts when the parcel can be
 * delivered on the day it is ordered: otherwise it is refused with `after_cutoff`.
 */
export function bestQuote(req: QuoteRequest): QuoteOutcome {
  const { origin, service, destination } = req;
  const zone = origin.calendar.timeZone;
  let validUntil = instantOfLocal(zone, localDayNumberOf(zone, req.from) + 1, 0);
  let best: CarrierQuote | undefined;
  let refusal: QuoteRefusal = 'no_carrier';
  for (const carrier of req.carriers) {
    if (!carrier.active) continue;
    for (const config of carrier.services) {
      if (config.service !== service) continue;
      const refused = serviceRefusal(config, origin, destination.country, req.distanceKm);
      if (refused === 'out_of_radius') refusal = 'out_of_radius';
      if (refused) continue;
      const lane = laneFor(config.lanes, destination.country, req.distanceKm);
      if (!lane) continue;
      const days = weekdaySets(config);
      const rule = { cutoff: origin.cutoffs[service] ?? config.cutoff, pickupWeekdays: days.pickup, processingDays: origin.processingDays };
      const departure = nextDeparture(origin.calendar, req.from, rule);
      if (!departure) {
        refusal = 'location_closed';
        continue;
      }
      // With processing days the departure's own cut-off is later than the one the order meets.
      const met = rule.processingDays > 0 ? nextDeparture(origin.calendar, req.from, { cutoff: rule.cutoff, pickupWeekdays: rule.pickupWeekdays, processingDays: 0 })! : departure;
      validUntil = Math.min(validUntil, met.cutoffAt);
      const dist = laneDistribution(lane, req.observed.get(`${carrier.id}/${service}`), req.settings.priorWeight);
      const deliveryCal = { deliveryWeekdays: days.delivery, holidays: destination.holidays };
      const slip = origin.departureSlip ?? ON_TIME;
      const dates = deliveryDates(departureOpportunities(origin.calendar, departure, rule, slip.days[slip.days.length - 1]!), slip, dist, deliveryCal);
      const latest = dateQuantile(dates, req.settings.confidenceTarget);
      const quote: CarrierQuote = {
        carrierId: carrier.id,
        carrierName: carrier.name,
        service,
        serviceName: config.name,
        lane: `${destination.country}:${lane.maxDistanceKm ?? 'any'}`,
        departureDate: departure.date,
        cutoffAt: departure.cutoffAt,
        earliestDate: dateQuantile(dates, req.settings.earliestQuantile).date,
        latestDate: latest.date,
        confidence: latest.probability,
        observations: dist.observations,
        rates: config.rates,
      };
      if (service === 'same_day' && !sameDayPossible(quote, req.from, origin, deliveryCal.deliveryWeekdays)) {
        if (refusal !== 'out_of_radius') refusal = 'after_cutoff';
        continue;
      }
      if (!best || better(quote, best)) best = quote;
    }
  }
  return best ? { quote: best, validUntil } : { refusal, validUntil };
}

function sameDayPossible(quote: CarrierQuote, from: number, origin: PromiseLocation, deliveryDays: ReadonlySet<Weekday>): boolean {
  const today = localDateOf(origin.calendar.timeZone, from);
  return quote.departureDate === today && quote.latestDate === today && deliveryDays.has(weekdayOf(today));
}

function better(a: CarrierQuote, b: CarrierQuote): boolean {
  if (a.latestDate !== b.latestDate) return a.latestDate < b.latestDate;
  const pa = parcelPrice(a.rates, 1000);
  const pb = parcelPrice(b.rates, 1000);
  if (pa !== pb) return pa < pb;
  return a.carrierId < b.carrierId;
}
