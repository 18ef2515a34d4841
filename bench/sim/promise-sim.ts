/**
 * A seeded, deterministic simulation of parcels for the promise-quality figure (G7). Orders arrive at
 * warehouses and ship-from-store locations of the demo network at realistic hours; each gets the
 * promise engine's date (`computePromise`, the function behind POST /v1/promise) and then travels as
 * the noisy truth says (noisy-carriers.ts). A history period is recorded the way
 * POST /v1/carriers/:id/deliveries records deliveries and the ship step records departures, and the
 * engine learns its lane distributions and each node's departure slip from it; a later test period is
 * promised with what was learned and compared with what happened.
 */
import { addDays, addDeliveryDays, atLocalTime, holidaySet, localDateOf, nextDeparture, type DeliveryCalendar, type DepartureRule } from '../../src/domain/promise/calendar.js';
import { deliveryDaysBetween, weekdaySets, type Carrier, type CarrierServiceConfig, type LaneCounts } from '../../src/domain/promise/carriers.js';
import { slipBetween, type SlipDistribution } from '../../src/domain/promise/departure-slip.js';
import { computePromise, type PromiseSettings } from '../../src/domain/promise/delivery-promise.js';
import type { PromiseLocation } from '../../src/domain/promise/shipping-quote.js';
import { DEMO_CARRIERS } from '../../src/modules/demo/demo-carriers.js';
import { demoStores, demoWarehouses } from '../../src/modules/demo/demo-locations.js';
import { SeededRandom } from '../../src/modules/demo/seeded-random.js';
import { postalCodeTable } from '../../src/modules/geo/postal-codes.js';
import { DEFAULT_PROMISE_SETTINGS } from '../../src/modules/promise/promise-settings.schemas.js';
import { announcedDays, isBacklogDay, NODE_BACKLOG_RATE, transitForDraw, trueDistribution } from './noisy-carriers.js';

export type SimService = 'standard' | 'express';
type NodeType = 'warehouse' | 'store';

export interface SimPeriod {
  /** First and last local order dates, inclusive. */
  from: string;
  to: string;
  shipments: number;
}

export interface SimOrder {
  index: number;
  at: number;
  origin: PromiseLocation & { type: NodeType };
  service: SimService;
  postalCode: string;
  point: { latitude: number; longitude: number };
  /** The shipment's luck in transit (see transitForDraw). */
  transitDraw: number;
  /** Carrier choice in the history period, where volume is split between the carriers that serve. */
  carrierDraw: number;
}

/** One promised and delivered test shipment. */
export interface SimShipment {
  order: SimOrder;
  carrierId: string;
  lane: string;
  orderDate: string;
  plannedDeparture: string;
  latest: string;
  confidence: number;
  departedOn: string;
  deliveredOn: string;
  transitDays: number;
  announcedDays: number;
  deliveryCalendar: DeliveryCalendar;
}

const TIME_ZONE = 'Europe/Paris';
const SKU = 'SIM-SKU';
/** Orders per hour of the local day: quiet at night, a lunch and an evening peak. */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 4, 5, 6, 7, 6, 5, 5, 5, 5, 6, 7, 8, 7, 5, 3];

export const HOLIDAYS: ReadonlySet<string> = holidaySet('FR', 2025, 2027);

export const SIM_CARRIERS: Carrier[] = Object.entries(DEMO_CARRIERS).map(([id, c]) => ({
  id,
  name: c.name,
  trackingUrlTemplate: c.trackingUrlTemplate ?? null,
  active: true,
  services: c.services as CarrierServiceConfig[],
}));

/** The demo's two warehouses and its mainland ship-from-store locations, with the 15:00 store cut-off. */
export function simNodes(): Array<PromiseLocation & { type: NodeType }> {
  const locations = [...demoWarehouses(), ...demoStores(new SeededRandom(1))].filter(
    (l) => l.timeZone === TIME_ZONE && (l.type === 'warehouse' || l.capabilities?.includes('ship_from_store')),
  );
  return locations.map((l) => ({
    id: l.id,
    name: l.name,
    type: l.type as NodeType,
    calendar: { timeZone: TIME_ZONE, weeklyHours: l.openingHours ?? {}, exceptions: l.openingExceptions ?? [], holidays: HOLIDAYS },
    // No pickup: the simulation only looks at home delivery.
    capabilities: new Set(l.type === 'warehouse' ? ['ship'] : ['ship_from_store']),
    point: { latitude: l.latitude!, longitude: l.longitude! },
    country: 'FR',
    cutoffs: l.type === 'store' ? { standard: '15:00', express: '15:00' } : {},
    processingDays: DEFAULT_PROMISE_SETTINGS.locationTypes[l.type as NodeType].processingDays,
    pickupPrepMinutes: 0,
    handlingCostMinor: l.handlingCostMinor ?? 0,
    preferenceCostMinor: 0,
    available: new Map([[SKU, 1_000_000]]),
  }));
}

/** Orders spread evenly over the period's days, at weighted hours; 60 % from warehouses, 20 % express. */
export function simOrders(period: SimPeriod, seed: number, nodes: ReturnType<typeof simNodes>): SimOrder[] {
  const random = new SeededRandom(seed);
  const places = [...postalCodeTable('FR')!].filter(([code]) => !code.startsWith('97') && !code.startsWith('98'));
  const warehouses = nodes.filter((n) => n.type === 'warehouse');
  const stores = nodes.filter((n) => n.type === 'store');
  const days = Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1;
  const hourTotal = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const out: SimOrder[] = [];
  for (let index = 0; index < period.shipments; index++) {
    const date = addDays(period.from, random.int(0, days - 1));
    let pick = random.next() * hourTotal;
    let hour = 0;
    while (pick >= HOUR_WEIGHTS[hour]!) pick -= HOUR_WEIGHTS[hour++]!;
    const time = `${String(hour).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`;
    const [postalCode, point] = random.pick(places);
    out.push({
      index,
      at: atLocalTime(TIME_ZONE, date, time),
      origin: random.chance(0.6) ? random.pick(warehouses) : random.pick(stores),
      service: random.chance(0.2) ? 'express' : 'standard',
      postalCode,
      point,
      transitDraw: random.next(),
      carrierDraw: random.next(),
    });
  }
  return out;
}

export function simSettings(confidenceTarget: number): PromiseSettings {
  return { ...DEFAULT_PROMISE_SETTINGS, confidenceTarget };
}

/** The engine's promise for a one-line cart held only at `origin` (the order's, with what was learned of it). */
function promise(order: SimOrder, origin: PromiseLocation, carriers: readonly Carrier[], observed: ReadonlyMap<string, LaneCounts>, settings: PromiseSettings) {
  const result = computePromise({
    now: order.at,
    lines: [{ lineId: '1', sku: SKU, quantity: 1, weightGrams: 800, backorderable: false, preorderable: false }],
    destination: { country: 'FR', point: order.point, timeZone: TIME_ZONE, holidays: HOLIDAYS },
    locations: [origin],
    supply: [],
    carriers,
    observed,
    settings,
    holidaysOf: () => HOLIDAYS,
    services: [order.service],
  });
  const option = result.options[0];
  const shipment = option?.shipments[0];
  if (!option || !shipment?.carrier || !shipment.departureDate) return undefined;
  return { option, shipment, carrier: shipment.carrier, departureDate: shipment.departureDate };
}

function serviceConfig(carrierId: string, service: SimService): CarrierServiceConfig {
  const config = SIM_CARRIERS.find((c) => c.id === carrierId)?.services.find((s) => s.service === service);
  if (!config) throw new Error(`no ${service} service for carrier ${carrierId}`);
  return config;
}

/** The node's departure rule for the service (as the engine plans it): its cut-off, the carrier's pick-up days. */
function departureRule(order: SimOrder, config: CarrierServiceConfig): DepartureRule {
  return { cutoff: order.origin.cutoffs[order.service] ?? config.cutoff, pickupWeekdays: weekdaySets(config).pickup };
}

/** When the parcel really leaves: the planned day, or the next eligible one for each backlog day met. */
function actualDeparture(order: SimOrder, planned: string, config: CarrierServiceConfig, seed: number): string {
  const rate = NODE_BACKLOG_RATE[order.origin.type];
  let date = planned;
  while (isBacklogDay(seed, order.origin.id, date, rate)) {
    const next = nextDeparture(order.origin.calendar, atLocalTime(TIME_ZONE, addDays(date, 1), '00:00'), departureRule(order, config));
    if (!next) throw new Error(`${order.origin.id} never departs after ${date}`);
    date = next.date;
  }
  return date;
}

function travel(order: SimOrder, carrierId: string, lane: string, plannedDeparture: string, seed: number) {
  const config = serviceConfig(carrierId, order.service);
  const deliveryCalendar: DeliveryCalendar = { deliveryWeekdays: new Set(config.deliveryWeekdays), holidays: HOLIDAYS };
  const departedOn = actualDeparture(order, plannedDeparture, config, seed);
  const transitDays = transitForDraw(trueDistribution(carrierId, order.service, lane), order.transitDraw);
  const deliveredOn = addDeliveryDays(departedOn, transitDays, deliveryCalendar);
  const published = config.lanes.find((l) => `${l.country}:${l.maxDistanceKm ?? 'any'}` === lane)!.transit;
  return { config, deliveryCalendar, departedOn, deliveredOn, transitDays, announcedDays: announcedDays(published) };
}

/**
 * The history period: each order goes with one of the carriers able to take it (volume split evenly, so
 * every lane gets evidence), and its delivery is recorded as recordDeliveries does: transit counted in
 * the carrier's delivery days between the real departure and delivery dates; its departure as the ship
 * step records it: the opportunities between the promise's planned departure and the real one
 * (slipBetween). Returns the lane counts the engine learns from (`${carrierId}/${service}` → lane →
 * days → count) and the slips per node (node id → opportunities late → count).
 */
export function recordHistory(orders: readonly SimOrder[], seed: number): { observed: Map<string, Map<string, Map<number, number>>>; slips: Map<string, Map<number, number>>; recorded: number } {
  // The engine is handed immutable snapshots (it caches what it learns per snapshot object, as PromiseData
  // reloads new ones): history promises see none, and the counts below reach it only once complete.
  const before: ReadonlyMap<string, LaneCounts> = new Map();
  const observed = new Map<string, Map<string, Map<number, number>>>();
  const slips = new Map<string, Map<number, number>>();
  const settings = simSettings(DEFAULT_PROMISE_SETTINGS.confidenceTarget);
  let recorded = 0;
  for (const order of orders) {
    const able = SIM_CARRIERS.filter((c) => c.services.some((s) => s.service === order.service && s.originTypes.includes(order.origin.type)));
    const carrier = able[Math.floor(order.carrierDraw * able.length)]!;
    const promised = promise(order, order.origin, [carrier], before, settings);
    if (!promised) continue;
    const trip = travel(order, carrier.id, promised.carrier.lane, promised.departureDate, seed);
    const days = deliveryDaysBetween(trip.departedOn, trip.deliveredOn, trip.deliveryCalendar.deliveryWeekdays, HOLIDAYS);
    const key = `${carrier.id}/${order.service}`;
    const lanes = observed.get(key) ?? new Map<string, Map<number, number>>();
    const counts = lanes.get(promised.carrier.lane) ?? new Map<number, number>();
    counts.set(days, (counts.get(days) ?? 0) + 1);
    lanes.set(promised.carrier.lane, counts);
    observed.set(key, lanes);
    const slip = slipBetween(order.origin.calendar, departureRule(order, trip.config), promised.departureDate, trip.departedOn);
    const slipped = slips.get(order.origin.id) ?? new Map<number, number>();
    slips.set(order.origin.id, slipped.set(slip, (slipped.get(slip) ?? 0) + 1));
    recorded++;
  }
  return { observed, slips, recorded };
}

/**
 * The test period: every order promised by the engine with the learned lanes and each node's learned
 * departure slip (learnSlips over the history's slips, as PromiseData loads them), then delivered.
 */
export function promiseAndDeliver(
  orders: readonly SimOrder[],
  observed: ReadonlyMap<string, LaneCounts>,
  slips: ReadonlyMap<string, SlipDistribution>,
  settings: PromiseSettings,
  seed: number,
): { shipments: SimShipment[]; unpromised: number } {
  const shipments: SimShipment[] = [];
  const origins = new Map<string, PromiseLocation>();
  let unpromised = 0;
  for (const order of orders) {
    let origin = origins.get(order.origin.id);
    if (!origin) origins.set(order.origin.id, (origin = { ...order.origin, departureSlip: slips.get(order.origin.id) }));
    const promised = promise(order, origin, SIM_CARRIERS, observed, settings);
    if (!promised) {
      unpromised++;
      continue;
    }
    const trip = travel(order, promised.carrier.carrierId, promised.carrier.lane, promised.departureDate, seed);
    shipments.push({
      order,
      carrierId: promised.carrier.carrierId,
      lane: promised.carrier.lane,
      orderDate: localDateOf(TIME_ZONE, order.at),
      plannedDeparture: promised.departureDate,
      latest: promised.option.latest,
      confidence: promised.option.confidence,
      departedOn: trip.departedOn,
      deliveredOn: trip.deliveredOn,
      transitDays: trip.transitDays,
      announcedDays: trip.announcedDays,
      deliveryCalendar: trip.deliveryCalendar,
    });
  }
  return { shipments, unpromised };
}
