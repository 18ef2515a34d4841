import type { LocationCalendar } from './calendar.js';
import type { Carrier, LaneCounts, LocationType, ServiceLevel } from './carriers.js';
import type { SlipDistribution } from './departure-slip.js';
import { bestQuote, type QuoteOutcome, type QuoteRequest, type QuoteSettings } from './shipping-quote.js';

/**
 * `bestQuote` remembered across promises: a promise quotes every location holding the cart, for each
 * service and pickup store, and the next promise asks the same questions again.
 *
 * A remembered outcome is given back only when nothing it depends on differs:
 * - time: `from` lies between the instant it was computed at and its `validUntil` (see QuoteOutcome);
 * - carriers, learned transit and settings: the same objects (promise data is loaded as a snapshot and
 *   never changed in place; a reload makes new ones, and a new generation of this cache);
 * - the origin: its calendar object, id, type, cut-off for the service, processing days and departure
 *   slip (the object, shared per snapshot);
 * - the destination: its country, holiday set and distance band, i.e. where the distance lies among the
 *   bounds of the service's lanes and courier radii in that country (lanes and radii only compare the
 *   distance with those bounds, `<=`; an unknown distance is a band of its own).
 */
export function cachedBestQuote(req: QuoteRequest): QuoteOutcome {
  return cachedQuote(req.origin, req.service, req.destination, req.distanceKm, req.from, req.carriers, req.observed, req.settings);
}

/**
 * `cachedBestQuote` of the request these fields make, which is built only when the outcome is not
 * remembered: a promise asks a few hundred times, nearly always remembered.
 */
export function cachedQuote(
  origin: QuoteRequest['origin'],
  service: ServiceLevel,
  destination: QuoteRequest['destination'],
  distanceKm: number,
  from: number,
  carriers: readonly Carrier[],
  observed: ReadonlyMap<string, LaneCounts>,
  settings: QuoteSettings,
): QuoteOutcome {
  const gen = generationOf(carriers, observed, settings);
  const cutoff = origin.cutoffs[service];
  const distanceBand = band(gen, service, destination.country, distanceKm);
  // Entries per origin id, told apart by comparing fields: cheaper than building a key per quote.
  let entries = gen.byOrigin.get(origin.id);
  if (!entries) gen.byOrigin.set(origin.id, (entries = []));
  let slot = -1;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (
      e.service === service &&
      e.band === distanceBand &&
      e.country === destination.country &&
      e.holidays === destination.holidays &&
      e.calendar === origin.calendar &&
      e.type === origin.type &&
      e.cutoff === cutoff &&
      e.processingDays === origin.processingDays &&
      e.slip === origin.departureSlip
    ) {
      if (e.from <= from && from < e.outcome.validUntil) return e.outcome;
      slot = i;
      break;
    }
  }
  const outcome = bestQuote({ origin, service, destination, distanceKm, from, carriers, observed, settings });
  const entry: Entry = {
    service, band: distanceBand, country: destination.country, holidays: destination.holidays, calendar: origin.calendar,
    type: origin.type, cutoff, processingDays: origin.processingDays, slip: origin.departureSlip, from, outcome,
  };
  if (slot >= 0) entries[slot] = entry;
  else if (entries.length < ENTRIES_PER_ORIGIN) entries.push(entry);
  else entries[0] = entry;
  return outcome;
}

/** Bounds the memory per origin (services × destination countries × distance bands, in practice a few dozen). */
const ENTRIES_PER_ORIGIN = 256;

interface Entry {
  service: ServiceLevel;
  band: number;
  country: string;
  holidays: ReadonlySet<string>;
  calendar: LocationCalendar;
  type: LocationType;
  cutoff: string | undefined;
  processingDays: number;
  slip: SlipDistribution | undefined;
  /** When it was computed: it holds from then until `outcome.validUntil`. */
  from: number;
  outcome: QuoteOutcome;
}

interface Generation {
  carriers: readonly Carrier[];
  observed: ReadonlyMap<string, LaneCounts>;
  settings: QuoteSettings;
  byOrigin: Map<string, Entry[]>;
  /** Sorted distance bounds per service and country. */
  bounds: Map<ServiceLevel, Map<string, number[]>>;
}

const generations = new WeakMap<readonly Carrier[], Generation>();

function generationOf(carriers: readonly Carrier[], observed: ReadonlyMap<string, LaneCounts>, settings: QuoteSettings): Generation {
  let gen = generations.get(carriers);
  if (!gen || gen.observed !== observed || gen.settings !== settings) {
    gen = { carriers, observed, settings, byOrigin: new Map(), bounds: new Map() };
    generations.set(carriers, gen);
  }
  return gen;
}

/** How many bounds the distance exceeds (-1: unknown distance). */
function band(gen: Generation, service: ServiceLevel, country: string, distanceKm: number): number {
  if (Number.isNaN(distanceKm)) return -1;
  let byCountry = gen.bounds.get(service);
  if (!byCountry) gen.bounds.set(service, (byCountry = new Map()));
  let bounds = byCountry.get(country);
  if (!bounds) byCountry.set(country, (bounds = boundsOf(gen.carriers, service, country)));
  let n = 0;
  while (n < bounds.length && distanceKm > bounds[n]!) n++;
  return n;
}

/** Every distance at which a lane or a courier radius of the service in the country starts or ends. */
function boundsOf(carriers: readonly Carrier[], service: ServiceLevel, country: string): number[] {
  const bounds = new Set<number>();
  for (const carrier of carriers) {
    for (const config of carrier.services) {
      if (config.service !== service) continue;
      if (config.maxDistanceKm !== undefined) bounds.add(config.maxDistanceKm);
      for (const lane of config.lanes) if (lane.country === country && lane.maxDistanceKm !== null) bounds.add(lane.maxDistanceKm);
    }
  }
  return [...bounds].sort((a, b) => a - b);
}
