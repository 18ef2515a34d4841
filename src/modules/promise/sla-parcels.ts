import { daysBetween, localDateOf, WEEKDAYS, type DeliveryCalendar, type DepartureRule } from '../../domain/promise/calendar.js';
import { laneDistribution, laneKey, weekdaySets, type ServiceLevel } from '../../domain/promise/carriers.js';
import { deliveryWindow, type Arrival, type PickupParcel, type ShippedParcel, type Window } from '../../domain/promise/sla-watch.js';
import { transitQuantile } from '../../domain/promise/transit-distribution.js';
import { COUNTRY_TIME_ZONES } from './compute-promise.js';
import type { PromiseSite, PromiseSnapshot } from './promise-data.js';
import type { WatchedFulfillment, WatchedOrder } from './sla.repository.js';

export interface ParcelContext {
  snapshot: PromiseSnapshot;
  /** Public holidays of a country (carriers do not deliver on them). */
  holidays(country: string): ReadonlySet<string>;
  /** Hours before the end of a pickup hold when the order is at risk (the customer's reminder). */
  holdWarningMinutes: number;
}

export interface WatchedParcel {
  fulfillment: WatchedFulfillment;
  parcel: ShippedParcel | PickupParcel;
}

/**
 * The order's watched fulfillments as parcels for the pure assessment, with the master data the promise
 * used: the location's calendar and cut-off, the planned carrier service's pick-up and delivery days, the
 * lane's learned transit at the promise's quantiles. A fulfillment at a location no longer active, or
 * without any date to measure it by, is left out.
 */
export function orderParcels(w: WatchedOrder, c: ParcelContext): WatchedParcel[] {
  const out: WatchedParcel[] = [];
  for (const f of w.fulfillments) {
    const site = c.snapshot.sitesById.get(f.location_id);
    if (!site) continue;
    const parcel = f.kind === 'pickup' ? pickupParcel(f, site, c) : carriedParcel(w, f, site, c);
    if (parcel) out.push({ fulfillment: f, parcel });
  }
  return out;
}

function pickupParcel(f: WatchedFulfillment, site: PromiseSite, c: ParcelContext): PickupParcel | null {
  const promised = instants(f.promised_earliest, f.promised_latest);
  const readyBy = f.due_at?.getTime() ?? promised?.earliest;
  if (readyBy === undefined || !promised) return null;
  return {
    kind: 'pickup',
    progress: f.status === 'ready_for_pickup' ? 'ready' : (f.status as 'pending' | 'accepted' | 'picked'),
    store: site.calendar,
    prepMinutes: site.pickupPrepMinutes,
    readyBy,
    promised,
    ...(f.hold_until ? { holdUntil: f.hold_until.getTime() } : {}),
    holdWarningMinutes: c.holdWarningMinutes,
  };
}

function carriedParcel(w: WatchedOrder, f: WatchedFulfillment, site: PromiseSite, c: ParcelContext): ShippedParcel | null {
  const tz = site.calendar.timeZone;
  const plannedDeparture = f.departure_date ?? (f.due_at ? localDateOf(tz, f.due_at.getTime()) : null);
  if (plannedDeparture === null) return null;
  let arrival: Arrival;
  let country: string;
  let promised: Window | null;
  if (f.kind === 'transfer') {
    const store = f.destination_location_id ? c.snapshot.sitesById.get(f.destination_location_id) : undefined;
    if (!store) return null;
    arrival = { kind: 'store', calendar: store.calendar, prepMinutes: store.pickupPrepMinutes };
    country = store.country;
    promised = instants(f.promised_earliest, f.promised_latest);
  } else {
    country = (w.order.address as { country?: string } | null)?.country ?? site.country;
    const zone = COUNTRY_TIME_ZONES[country] ?? 'UTC';
    arrival = { kind: 'home', timeZone: zone };
    promised = f.promised_earliest && f.promised_latest ? deliveryWindow(zone, f.promised_earliest, f.promised_latest) : null;
  }
  if (!promised) return null;
  const route = carrierRoute(f, site, plannedDeparture, promised, arrival, c.holidays(country), c.snapshot);
  return {
    kind: 'ship',
    progress: f.status === 'packed' ? 'picked' : (f.status as ShippedParcel['progress']),
    origin: site.calendar,
    ...route,
    plannedDeparture,
    dueAt: f.due_at?.getTime() ?? null,
    arrival,
    promised,
    ...(f.shipped_at ? { shippedOn: localDateOf(tz, f.shipped_at.getTime()) } : {}),
  };
}

type Route = Pick<ShippedParcel, 'departure' | 'transit' | 'delivery'>;

/**
 * The planned carrier service as configured now (its cut-off unless the location sets one, pick-up and
 * delivery days, the lane's transit quantiles). When that service or lane is gone, the promise's own
 * dates stand in: its transit in calendar days, any day a delivery day.
 */
function carrierRoute(
  f: WatchedFulfillment,
  site: PromiseSite,
  plannedDeparture: string,
  promised: Window,
  arrival: Arrival,
  holidays: ReadonlySet<string>,
  snapshot: PromiseSnapshot,
): Route {
  const planned = f.planned_carrier as { carrierId?: string; service?: ServiceLevel; lane?: string } | null;
  const service = planned?.service ?? ((f.service ?? 'standard') as ServiceLevel);
  const config = snapshot.carriers.find((x) => x.id === planned?.carrierId)?.services.find((s) => s.service === service);
  const lane = config?.lanes.find((l) => laneKey(l) === planned?.lane);
  const ownCutoff = site.cutoffs[service];
  if (config && lane) {
    const days = weekdaySets(config);
    const dist = laneDistribution(lane, snapshot.observed.get(`${planned!.carrierId}/${service}`), snapshot.settings.priorWeight);
    const departure: DepartureRule = { cutoff: ownCutoff ?? config.cutoff, pickupWeekdays: days.pickup, processingDays: site.processingDays };
    const delivery: DeliveryCalendar = { deliveryWeekdays: days.delivery, holidays };
    return { departure, delivery, transit: { earliestDays: transitQuantile(dist, snapshot.settings.earliestQuantile), latestDays: transitQuantile(dist, snapshot.settings.confidenceTarget) } };
  }
  const zone = arrival.kind === 'home' ? arrival.timeZone : arrival.calendar.timeZone;
  const transit = (at: number) => Math.max(0, daysBetween(plannedDeparture, localDateOf(zone, at)));
  return {
    departure: { cutoff: ownCutoff ?? site.cutoffs.standard ?? '23:59', processingDays: site.processingDays },
    delivery: { deliveryWeekdays: new Set(WEEKDAYS), holidays: new Set() },
    transit: { earliestDays: transit(promised.earliest), latestDays: transit(promised.latest) },
  };
}

function instants(earliest: string | null, latest: string | null): Window | null {
  const e = earliest ? Date.parse(earliest) : NaN;
  const l = latest ? Date.parse(latest) : NaN;
  return Number.isFinite(e) && Number.isFinite(l) ? { earliest: e, latest: l } : null;
}
