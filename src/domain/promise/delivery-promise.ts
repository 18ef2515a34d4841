import { distanceKm, latitudeGapKm, type LatLng } from '../geo/distance.js';
import { planCostSplit } from '../sourcing/cost-model.js';
import { holdsSome, prepareSourcing, routePrepared, type SourcingProblem } from '../sourcing/route-order.js';
import { candidateCosts, type CostParameters, type PolicyRef } from '../sourcing/routing-policy.js';
import type { AssignedLine, CostSplit, Shortfall, SourcingCandidate, SourcingLine, SourcingPlan, SourcingPolicy } from '../sourcing/sourcing-types.js';
import { addDays, addOpenMinutes, atLocalTime, type LocationCalendar } from './calendar.js';
import { parcelPrice, type Carrier, type LaneCounts, type ServiceLevel } from './carriers.js';
import { cachedQuote } from './quote-cache.js';
import type { CarrierQuote, Destination, PromiseLocation, QuoteOutcome, QuoteRefusal, QuoteSettings } from './shipping-quote.js';

export interface PromiseLine extends SourcingLine {
  backorderable: boolean;
  preorderable: boolean;
}

/** Stock on its way (purchase order, transfer): what pre-orders and backorders are dated from. */
export interface IncomingSupply {
  sku: string;
  locationId: string;
  quantity: number;
  expectedAt: number;
}

export interface PromiseSettings extends QuoteSettings {
  /** Click & collect is offered at pickup stores this close to the destination... */
  pickupRadiusKm: number;
  /** ...at most this many of them, nearest first. */
  maxPickupStores: number;
  splitPenaltyMinor: number;
  maxShipments?: number;
}

export interface PromiseInput {
  now: number;
  lines: PromiseLine[];
  /** Home address (postal code resolved to a point when known) with its country's time zone and holidays. */
  destination: Destination & { timeZone: string };
  /** The store the customer chose for pickup: only it is considered for click & collect / reserve & collect. */
  pickupLocationId?: string;
  /** Locations eligible for the channel, with live ATP. */
  locations: readonly PromiseLocation[];
  supply: readonly IncomingSupply[];
  carriers: readonly Carrier[];
  observed: ReadonlyMap<string, LaneCounts>;
  settings: PromiseSettings;
  holidaysOf(country: string): ReadonlySet<string>;
  services?: readonly ServiceLevel[];
  /**
   * The routing policy of each kind of option for the order's channel (see routing-policy.ts). Absent:
   * the settings' split penalty and shipment limit and each location's own preference cost.
   */
  policies?: Partial<Record<OptionKind, CostParameters>>;
  /** Compute only this option (an order, a re-route: the option is known), not every one. */
  only?: string;
  /**
   * Which options carry `sourcing.alternatives` (what an explanation shows; they cost about as much as
   * the plan): `true` every one, an optionId that one (the option a hold or an order keeps). Default none.
   */
  explain?: boolean | string;
}

export type OptionKind = 'ship' | 'click_and_collect' | 'reserve_and_collect';

export interface PromiseShipment {
  locationId: string;
  locationName: string;
  lines: AssignedLine[];
  /** Goods travel to the pickup store first. */
  transfer: boolean;
  carrier?: { carrierId: string; carrierName: string; service: ServiceLevel; serviceName: string; lane: string; observations: number };
  departureDate?: string;
  /** Pre-order / backorder: the incoming supply these units wait for. */
  availableFrom?: string;
  earliest: string;
  latest: string;
  confidence: number;
  costMinor: number;
}

export interface PromiseOption {
  optionId: string;
  kind: OptionKind;
  service?: ServiceLevel;
  pickupLocation?: { locationId: string; name: string; distanceKm: number | null };
  /** Dates ('YYYY-MM-DD', destination time) for deliveries; instants (ISO) for pickups. */
  earliest: string;
  latest: string;
  /** The same window as instants: start of the earliest day, end of the latest one. */
  window: { earliest: string; latest: string };
  /** Probability that the latest date is met (all parcels), from the learned transit distributions. */
  confidence: number;
  preorder: boolean;
  /** What fulfilling it costs the retailer (shipping, handling, split penalties), minor units. */
  costMinor: number;
  shipments: PromiseShipment[];
  sourcing: Pick<SourcingPlan, 'optimal' | 'gap' | 'method'> & {
    /** Other plans and their costs: only on the options `explain` asked for. */
    alternatives?: SourcingPlan['alternatives'];
    /** The plan's cost under the policy (stock-served shipments, split penalties) and where it goes. */
    totalCostMinor?: number;
    costs?: CostSplit;
    /** Locations that held some of the cart and could serve it. */
    candidates?: number;
    policy?: PolicyRef;
  };
}

export interface Unavailable {
  optionId: string;
  kind: OptionKind;
  service?: ServiceLevel;
  pickupLocationId?: string;
  reasons: Array<{ code: 'no_stock' | QuoteRefusal | 'no_pickup_store'; message: string; details?: unknown }>;
}

export interface PromiseResult {
  options: PromiseOption[];
  unavailable: Unavailable[];
}

const NO_SHIPPING = [{ maxWeightGrams: Number.MAX_SAFE_INTEGER, costMinor: 0 }];
const REFUSAL_RANK: Record<QuoteRefusal, number> = { after_cutoff: 3, out_of_radius: 2, location_closed: 1, no_carrier: 0 };
const REFUSAL_TEXT: Record<QuoteRefusal, string> = {
  after_cutoff: 'ordered after the cut-off: it cannot be delivered today',
  out_of_radius: 'no courier covers this distance',
  location_closed: 'no location can ship in the calendar horizon',
  no_carrier: 'no carrier service delivers this destination from a location holding the goods',
};

/**
 * Every way the cart can reach the customer, and when: home delivery per service level, click & collect
 * and reserve & collect at nearby stores. Each option is the optimal sourcing plan (the same `routeOrder`
 * the order flow uses) among the locations whose carrier quote exists, dated by calendar and transit
 * distribution. Absent options say why. Pure: `now` and all data come in.
 */
export function computePromise(input: PromiseInput): PromiseResult {
  // Stock may differ from a previous call with the same input object: who holds the cart is found again.
  // The facts live for this call only (kept until the input dies, they outlive young-generation GCs).
  facts.delete(input);
  try {
    return promiseOptions(input);
  } finally {
    facts.delete(input);
  }
}

function promiseOptions(input: PromiseInput): PromiseResult {
  const result: PromiseResult = { options: [], unavailable: [] };
  const wanted = (optionId: string): boolean => input.only === undefined || input.only === optionId;
  for (const service of input.services ?? (['standard', 'express', 'same_day'] as const)) {
    if (wanted(`ship:${service}`)) collect(result, shipOption(input, service));
  }
  if (input.only !== undefined && !input.only.includes('collect:')) return result;
  const stores = pickupStores(input);
  if (stores.length === 0) {
    result.unavailable.push({
      optionId: 'click_and_collect',
      kind: 'click_and_collect',
      reasons: [{ code: 'no_pickup_store', message: `no pickup store within ${input.settings.pickupRadiusKm} km`, details: { pickupLocationId: input.pickupLocationId } }],
    });
  }
  for (const { store, km } of stores) {
    for (const kind of ['click_and_collect', 'reserve_and_collect'] as const) {
      if (wanted(`${kind}:${store.id}`)) collect(result, collectOption(input, store, km, kind));
    }
  }
  return result;
}

function collect(result: PromiseResult, outcome: PromiseOption | Unavailable): void {
  if ('reasons' in outcome) result.unavailable.push(outcome);
  else result.options.push(outcome);
}

const canShip = (l: PromiseLocation, service: ServiceLevel): boolean =>
  l.capabilities.has(l.type === 'store' ? 'ship_from_store' : 'ship') && (service !== 'same_day' || l.capabilities.has('same_day'));

/**
 * What every option asks about every location, worked out once per promise (a promise prices each
 * location for 3 services and ~5 pickup stores): whether it holds some of the cart, whether it ships
 * parcels (same day too), its distance to the address, and when a pickup store's own shelves are ready.
 */
interface LocationFacts {
  /**
   * Per location (index in `input.locations`): HOLDS when it holds some of the cart, and then SHIPS,
   * SAME_DAY when it ships parcels (same day too).
   */
  ships: Uint8Array;
  /** Per location holding some of the cart: km to the destination (NaN when unknown). */
  toDestination: Float64Array;
  /** Per pickup store asked: when goods on its own shelves are ready (ISO instant). */
  readyNow: Map<string, string>;
  /** The cart prepared for sourcing over `input.locations`: every option routes it over their stock. */
  problem: SourcingProblem;
}
const SHIPS = 1;
const SAME_DAY = 2;
const HOLDS = 4;
const serviceBit = (service: ServiceLevel): number => (service === 'same_day' ? SAME_DAY : SHIPS);

/** Stock may differ from a previous call with the same input object: computePromise forgets the facts first. */
const facts = new WeakMap<PromiseInput, LocationFacts>();
function factsOf(input: PromiseInput): LocationFacts {
  let known = facts.get(input);
  if (!known) {
    const { locations } = input;
    const ships = new Uint8Array(locations.length);
    const toDestination = new Float64Array(locations.length);
    const problem = prepareSourcing(input.lines, locations.map((l) => l.available));
    locations.forEach((l, i) => {
      if (!holdsSome(problem, i)) return;
      toDestination[i] = km(l.point, input.destination.point);
      ships[i] = HOLDS | (canShip(l, 'standard') ? SHIPS : 0) | (canShip(l, 'same_day') ? SAME_DAY : 0);
    });
    known = { ships, toDestination, readyNow: new Map(), problem };
    facts.set(input, known);
  }
  return known;
}

function km(a: LatLng | null, b: LatLng | null): number {
  return a && b ? distanceKm(a, b) : Number.NaN;
}

function shipOption(input: PromiseInput, service: ServiceLevel): PromiseOption | Unavailable {
  const optionId = `ship:${service}`;
  const { quotes, candidates, at, refusal } = shipCandidates(input, service);
  const plan = routePrepared(factsOf(input).problem, candidates, at, policy(input, 'ship'), { explain: explains(input, optionId) });
  const backorders = planBackorders(input, service, plan.shortfalls);
  if (backorders.missing.length > 0) {
    const reasons: Unavailable['reasons'] = [];
    if (refusal) reasons.push({ code: refusal, message: REFUSAL_TEXT[refusal] });
    if (!refusal || !networkCovers(input, backorders.missing)) {
      reasons.push({ code: 'no_stock', message: 'not enough stock or incoming supply for every line', details: { shortfalls: backorders.missing } });
    }
    return { optionId, kind: 'ship', service, reasons };
  }
  const shipments: PromiseShipment[] = plan.shipments.map((s) => {
    const k = candidates.findIndex((c) => c.locationId === s.locationId);
    return dated(quotes[k]!.origin, s.lines, quotes[k]!.quote, false, s.costMinor);
  });
  shipments.push(...backorders.shipments);
  // Only locations holding some of the cart are quoted: every candidate holds some.
  return dateOption(input, { optionId, kind: 'ship', service }, shipments, plan, candidates.length);
}

/**
 * The locations that can ship the cart to the destination with `service`, priced for the sourcing engine
 * (each one's carrier quote, rate card and costs under the ship policy), and the most telling refusal
 * among the others. Exported for the batch re-optimisation of held orders, which prices the same way.
 */
export function shipCandidates(input: PromiseInput, service: ServiceLevel): { quotes: Quoted[]; candidates: SourcingCandidate[]; at: number[]; refusal?: QuoteRefusal } {
  const quotes: Quoted[] = [];
  const candidates: SourcingCandidate[] = [];
  // Per candidate, its location's index in input.locations (where the prepared cart reads its stock).
  const at: number[] = [];
  const { ships, toDestination } = factsOf(input);
  const bit = serviceBit(service);
  let refusal: QuoteRefusal | undefined;
  input.locations.forEach((location, i) => {
    // A location holding none of the lines can give the plan nothing (its incoming supply is dated by
    // planBackorders): it is not quoted, as for click & collect transfers.
    if ((ships[i]! & bit) === 0 || excludedType(input, 'ship', location)) return;
    const distance = toDestination[i]!;
    const quoted = quote(input, location, service, input.destination, distance, input.now);
    if ('refusal' in quoted) {
      if (!refusal || REFUSAL_RANK[quoted.refusal] > REFUSAL_RANK[refusal]) refusal = quoted.refusal;
      return;
    }
    quotes.push({ origin: location, quote: quoted.quote });
    candidates.push(candidate(location, distance, quoted.quote.rates, quoted.quote.departureDate, input.policies?.ship));
    at.push(i);
  });
  return { quotes, candidates, at, ...(refusal ? { refusal } : {}) };
}

/** Where a candidate ships from and its carrier quote (parallel to the candidates; none for a pickup store's own shelves). */
interface Quoted {
  origin: PromiseLocation;
  quote: CarrierQuote;
}

/**
 * A shipment by carrier from `location`, dated by its quote (or `earliest`/`latest` when given). One
 * literal of a fixed shape, not a spread of a partial one: a promise makes several per option.
 */
function dated(location: PromiseLocation, lines: AssignedLine[], q: CarrierQuote, transfer: boolean, costMinor: number, earliest = q.earliestDate, latest = q.latestDate): PromiseShipment {
  return {
    locationId: location.id,
    locationName: location.name,
    lines,
    carrier: { carrierId: q.carrierId, carrierName: q.carrierName, service: q.service, serviceName: q.serviceName, lane: q.lane, observations: q.observations },
    departureDate: q.departureDate,
    earliest,
    latest,
    confidence: q.confidence,
    transfer,
    costMinor,
  };
}

function dateOption(
  input: PromiseInput,
  head: Pick<PromiseOption, 'optionId' | 'kind' | 'service' | 'pickupLocation'>,
  shipments: PromiseShipment[],
  plan: SourcingPlan,
  holding: number,
): PromiseOption {
  const params = input.policies?.[head.kind];
  const splitPenalty = params ? params.sourcing.splitPenaltyMinor : input.settings.splitPenaltyMinor;
  let earliest = shipments[0]!.earliest;
  let latest = shipments[0]!.latest;
  let confidence = 1;
  let preorder = false;
  let preorderCost = 0;
  for (const s of shipments) {
    if (s.earliest > earliest) earliest = s.earliest;
    if (s.latest > latest) latest = s.latest;
    confidence *= s.confidence;
    if (s.availableFrom !== undefined) {
      preorder = true;
      preorderCost += s.costMinor;
    }
  }
  const tz = input.destination.timeZone;
  const window = head.kind === 'ship' ? { earliest: startOfDay(tz, earliest), latest: endOfDay(tz, latest) } : { earliest, latest };
  // Literals of a fixed shape, in the response's key order (not `{ ...head, ... }`: properties added
  // after a spread take V8's slow path, and a promise dates a dozen options).
  const sourcing: PromiseOption['sourcing'] = explains(input, head.optionId)
    ? { optimal: plan.optimal, gap: plan.gap, method: plan.method, alternatives: plan.alternatives, totalCostMinor: plan.totalCostMinor, costs: planCostSplit(plan.shipments, splitPenalty), candidates: holding }
    : { optimal: plan.optimal, gap: plan.gap, method: plan.method, totalCostMinor: plan.totalCostMinor, costs: planCostSplit(plan.shipments, splitPenalty), candidates: holding };
  if (params) sourcing.policy = params.policy;
  const costMinor = plan.totalCostMinor + preorderCost;
  confidence = round(confidence);
  return head.kind === 'ship'
    ? { optionId: head.optionId, kind: head.kind, service: head.service, earliest, latest, window, confidence, preorder, costMinor, shipments, sourcing }
    : { optionId: head.optionId, kind: head.kind, pickupLocation: head.pickupLocation, earliest, latest, window, confidence, preorder, costMinor, shipments, sourcing };
}

/** Instants of a destination day's start and end, remembered: a promise dates every option on a few days. */
const dayBounds = new Map<string, string>();
function startOfDay(tz: string, date: string): string {
  return dayBound(`${tz}<${date}`, () => atLocalTime(tz, date, '00:00'));
}
function endOfDay(tz: string, date: string): string {
  return dayBound(`${tz}>${date}`, () => atLocalTime(tz, addDays(date, 1), '00:00') - 1000);
}
function dayBound(key: string, instant: () => number): string {
  let iso = dayBounds.get(key);
  if (iso === undefined) {
    if (dayBounds.size >= 4096) dayBounds.clear();
    iso = new Date(instant()).toISOString();
    dayBounds.set(key, iso);
  }
  return iso;
}

/**
 * When goods arriving at a pickup store on `date` are ready (ISO instant), remembered per calendar: a
 * function of the calendar, the preparation time and the day only, and the transfers of every promise
 * arrive on a few days.
 */
const arrivalsByCalendar = new WeakMap<LocationCalendar, Map<string, string>>();
function readyOnArrival(store: PromiseLocation, date: string): string {
  let arrivals = arrivalsByCalendar.get(store.calendar);
  if (!arrivals) arrivalsByCalendar.set(store.calendar, (arrivals = new Map()));
  const key = `${store.pickupPrepMinutes}|${date}`;
  let ready = arrivals.get(key);
  if (ready === undefined) {
    if (arrivals.size >= 1024) arrivals.clear();
    const from = atLocalTime(store.calendar.timeZone, date, '00:00');
    ready = new Date(addOpenMinutes(store.calendar, from, store.pickupPrepMinutes) ?? from).toISOString();
    arrivals.set(key, ready);
  }
  return ready;
}

function pickupStores(input: PromiseInput): Array<{ store: PromiseLocation; km: number }> {
  const stores = input.locations.filter((l) => l.capabilities.has('pickup'));
  if (input.pickupLocationId !== undefined) {
    const chosen = stores.find((l) => l.id === input.pickupLocationId);
    return chosen ? [{ store: chosen, km: km(chosen.point, input.destination.point) }] : [];
  }
  const from = input.destination.point;
  const radius = input.settings.pickupRadiusKm;
  return stores
    // The latitude gap alone puts most stores out of the radius (the margin absorbs rounding).
    .filter((store) => !store.point || !from || latitudeGapKm(store.point, from) <= radius + 1)
    .map((store) => ({ store, km: km(store.point, from) }))
    .filter((s) => s.km <= radius)
    .sort((a, b) => a.km - b.km || (a.store.id < b.store.id ? -1 : 1))
    .slice(0, input.settings.maxPickupStores);
}

/**
 * Click & collect: the pickup store's own stock, or transfers from other locations (standard service to
 * the store), whichever the sourcing optimum picks; ready once the goods are there and prepared within
 * opening hours. Reserve & collect: only the store's own shelves (nothing is paid until pickup).
 */
function collectOption(input: PromiseInput, store: PromiseLocation, storeKm: number, kind: 'click_and_collect' | 'reserve_and_collect'): PromiseOption | Unavailable {
  const optionId = `${kind}:${store.id}`;
  const quotes: (Quoted | undefined)[] = [];
  const params = input.policies?.[kind];
  // Ready from its own shelves: both kinds of option at the store ask, worked out once per promise.
  const { readyNow: readyAt } = factsOf(input);
  let readyNow = readyAt.get(store.id);
  if (readyNow === undefined) {
    readyNow = new Date(addOpenMinutes(store.calendar, input.now, store.pickupPrepMinutes) ?? input.now).toISOString();
    readyAt.set(store.id, readyNow);
  }
  const own = excludedType(input, kind, store) ? undefined : candidate(store, 0, NO_SHIPPING, readyNow.slice(0, 10), params);
  const storeAt = input.locations.indexOf(store);
  const candidates: SourcingCandidate[] = [];
  // Per candidate, its location's index in input.locations (where the prepared cart reads its stock).
  const at: number[] = [];
  if (kind === 'click_and_collect') {
    const toStore: Destination = { country: store.country, point: store.point, holidays: input.holidaysOf(store.country) };
    const { ships } = factsOf(input);
    input.locations.forEach((location, i) => {
      // The store in its place among the others: candidates in location order need no sorting.
      if (location.id === store.id) {
        if (own) {
          candidates.push(own);
          quotes.push(undefined);
          at.push(i);
        }
        return;
      }
      if ((ships[i]! & SHIPS) === 0 || excludedType(input, kind, location)) return;
      const distance = km(location.point, store.point);
      const quoted = quote(input, location, 'standard', toStore, distance, input.now);
      if ('refusal' in quoted) return;
      quotes.push({ origin: location, quote: quoted.quote });
      candidates.push(candidate(location, distance, quoted.quote.rates, quoted.quote.departureDate, params));
      at.push(i);
    });
  } else if (own) {
    candidates.push(own);
    quotes.push(undefined);
    at.push(storeAt);
  }
  const plan = routePrepared(factsOf(input).problem, candidates, at, policy(input, kind), { explain: explains(input, optionId) });
  if (plan.shortfalls.length > 0) {
    return {
      optionId,
      kind,
      pickupLocationId: store.id,
      reasons: [{ code: 'no_stock', message: kind === 'reserve_and_collect' ? `${store.name} does not hold every line` : `not enough stock for every line, even with transfers to ${store.name}`, details: { shortfalls: plan.shortfalls } }],
    };
  }
  const shipments: PromiseShipment[] = plan.shipments.map((s) => {
    const quoted = quotes[candidates.findIndex((c) => c.locationId === s.locationId)];
    if (!quoted) {
      return { locationId: store.id, locationName: store.name, lines: s.lines, transfer: false, earliest: readyNow, latest: readyNow, confidence: 1, costMinor: s.costMinor };
    }
    const { origin, quote: q } = quoted;
    return dated(origin, s.lines, q, true, s.costMinor, readyOnArrival(store, q.earliestDate), readyOnArrival(store, q.latestDate));
  });
  const pickupLocation = { locationId: store.id, name: store.name, distanceKm: Number.isNaN(storeKm) ? null : Math.round(storeKm * 10) / 10 };
  // Transfers come from locations holding some of the cart; the store's own shelves may hold none of it.
  const ownHolds = own !== undefined && (factsOf(input).ships[storeAt]! & HOLDS) !== 0;
  const holding = candidates.length - (own !== undefined && !ownHolds ? 1 : 0);
  return dateOption(input, { optionId, kind, pickupLocation }, shipments, plan, holding);
}

/**
 * `pickDay`: the local day the units would be picked (departure, or ready time): its capacity applies.
 * Under a policy, handling and preference are priced by it (from the location's facts and distance).
 */
function candidate(l: PromiseLocation, distance: number, bands: SourcingCandidate['shippingBands'], pickDay: string, params?: CostParameters): SourcingCandidate {
  const capacityLeft = l.pickDays ? Math.max(0, l.pickDays.capacity - (l.pickDays.load.get(pickDay) ?? 0)) : l.capacityLeft;
  const facts = l.preferenceFacts;
  const priced = params && facts
    ? candidateCosts(params, { type: l.type, handlingCostMinor: l.handlingCostMinor, priority: facts.priority, dataReliability: facts.dataReliability, loadShare: facts.loadShare, distanceKm: distance })
    : undefined;
  return {
    locationId: l.id,
    locationType: l.type,
    available: l.available,
    capacityLeft,
    distanceKm: distance,
    shippingBands: bands,
    handlingCostMinor: priced?.handlingCostMinor ?? l.handlingCostMinor,
    preferenceCostMinor: priced?.preferenceCostMinor ?? l.preferenceCostMinor,
  };
}

const explains = (input: PromiseInput, optionId: string): boolean => input.explain === true || input.explain === optionId;

/** The sourcing policy of a kind of option: its routing policy's, or the promise settings' defaults. */
export function policy(input: PromiseInput, kind: OptionKind): SourcingPolicy {
  const params = input.policies?.[kind];
  if (params) return params.sourcing;
  return { splitPenaltyMinor: input.settings.splitPenaltyMinor, allowLineSplit: true, ...(input.settings.maxShipments ? { maxShipments: input.settings.maxShipments } : {}) };
}

/** The kind's policy never sources from this location's type. */
const excludedType = (input: PromiseInput, kind: OptionKind, l: PromiseLocation): boolean => input.policies?.[kind]?.excludedLocationTypes.includes(l.type) ?? false;

/** The carrier quote (remembered across promises, see quote-cache.ts): a promise quotes hundreds of times. */
function quote(input: PromiseInput, origin: PromiseLocation, service: ServiceLevel, destination: Destination, distanceKm: number, from: number): QuoteOutcome {
  return cachedQuote(origin, service, destination, distanceKm, from, input.carriers, input.observed, input.settings);
}

const networkCovers = (input: PromiseInput, short: readonly Shortfall[]): boolean =>
  short.every((s) => input.locations.reduce((sum, l) => sum + (l.available.get(s.sku) ?? 0), 0) >= s.quantity);
const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Dates what stock cannot serve from incoming supply, for lines whose product takes pre-orders or
 * backorders: earliest arrivals first, each shipped from the receiving location once the goods are there.
 * Supply is taken as announced (backorders already promised on it are not netted out yet).
 */
function planBackorders(input: PromiseInput, service: ServiceLevel, shortfalls: readonly Shortfall[]): { shipments: PromiseShipment[]; missing: Shortfall[] } {
  if (shortfalls.length === 0) return { shipments: [], missing: [] };
  const missing: Shortfall[] = [];
  const shipments = new Map<string, PromiseShipment>();
  const rates = new Map<string, CarrierQuote['rates']>();
  const left = input.supply.map((s) => s.quantity);
  const order = input.supply.map((_, i) => i).sort((a, b) => input.supply[a]!.expectedAt - input.supply[b]!.expectedAt);
  const lines = new Map(input.lines.map((l) => [l.lineId, l]));
  for (const short of shortfalls) {
    const line = lines.get(short.lineId)!;
    let need = line.backorderable || line.preorderable ? short.quantity : 0;
    for (const i of order) {
      const supply = input.supply[i]!;
      if (need === 0) break;
      if (supply.sku !== short.sku || left[i]! === 0) continue;
      const location = input.locations.find((l) => l.id === supply.locationId);
      if (!location || !canShip(location, service) || excludedType(input, 'ship', location)) continue;
      const from = Math.max(input.now, supply.expectedAt);
      const key = `${location.id}@${from}`;
      let shipment = shipments.get(key);
      if (!shipment) {
        const distance = km(location.point, input.destination.point);
        const quoted = quote(input, location, service, input.destination, distance, from);
        if ('refusal' in quoted) continue;
        shipment = { ...dated(location, [], quoted.quote, false, location.handlingCostMinor), availableFrom: new Date(from).toISOString() };
        shipments.set(key, shipment);
        rates.set(key, quoted.quote.rates);
      }
      const take = Math.min(need, left[i]!);
      left[i] = left[i]! - take;
      need -= take;
      shipment.lines.push({ lineId: short.lineId, sku: short.sku, quantity: take });
    }
    const unserved = (line.backorderable || line.preorderable ? need : short.quantity);
    if (unserved > 0) missing.push({ ...short, quantity: unserved });
  }
  for (const [key, s] of shipments) {
    const grams = s.lines.reduce((sum, l) => sum + l.quantity * (lines.get(l.lineId)?.weightGrams ?? 0), 0);
    s.costMinor += parcelPrice(rates.get(key)!, grams);
  }
  return { shipments: [...shipments.values()], missing };
}
