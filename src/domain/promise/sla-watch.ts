import {
  addDays,
  addDeliveryDays,
  addOpenMinutes,
  atLocalTime,
  localDateOf,
  nextDeparture,
  openIntervalsOn,
  type DeliveryCalendar,
  type DepartureRule,
  type LocationCalendar,
} from './calendar.js';

/**
 * SLA watch: where an order stands against what was promised, and when it can now arrive. Pure: the job
 * turns each open fulfillment into a parcel, assesses it with `assessShipment`, combines them with
 * `assessOrder` and asks `slaChange` whether anything is worth saying.
 *
 * A parcel is AT RISK while the promise is in danger but not yet broken: its location is short of time
 * (not picked with at most `riskMarginMinutes` of open time before its deadline, past its deadline without
 * leaving or, for a pickup, without being ready), its recomputed estimate ends after the order's promised
 * latest instant, or a prepared pickup's hold is about to end. It is DELAYED once the promise is broken:
 * the promised latest instant has passed and the parcel is still not delivered (not ready, for a pickup),
 * or it can no longer leave at all. Estimates are windows of instants: a delivery spans whole days in the
 * customer's zone, as the promise showed them; a pickup, the instants the goods are ready at the store.
 */

export type SlaState = 'on_track' | 'at_risk' | 'delayed';

/** Why, as a stable code: order events and the timeline carry it. */
export type SlaReason =
  | 'on_schedule'
  | 'in_transit'
  | 'ready_for_pickup'
  | 'not_accepted_near_deadline'
  | 'not_picked_near_deadline'
  | 'not_picked_by_deadline'
  | 'not_shipped_by_deadline'
  | 'no_departure'
  | 'late_in_transit'
  | 'pickup_not_ready'
  | 'hold_ending'
  | 'rescheduled';

/** Epoch milliseconds. */
export interface Window {
  earliest: number;
  latest: number;
}

export interface SlaAssessment {
  state: SlaState;
  reason: SlaReason;
  eta: Window;
}

export interface SlaRules {
  now: number;
  /** The order's promise: what the customer was told. */
  promise: Window;
  /** Open minutes before a deadline under which work not yet picked is at risk. */
  riskMarginMinutes: number;
}

/** Where a carried parcel ends: at the customer (dates in their zone), or at the pickup store that prepares it on arrival. */
export type Arrival = { kind: 'home'; timeZone: string } | { kind: 'store'; calendar: LocationCalendar; prepMinutes: number };

/** A shipment to the customer, or a transfer to the pickup store. */
export interface ShippedParcel {
  kind: 'ship';
  /** `packed` counts as picked; delivered or received parcels are no longer watched. */
  progress: 'pending' | 'accepted' | 'picked' | 'shipped';
  origin: LocationCalendar;
  /** The departure rule the promise used: cut-off for the service, carrier pick-up days, processing days. */
  departure: DepartureRule;
  /** The departure date the promise counted on. */
  plannedDeparture: string;
  /** The fulfillment's own deadline (due_at); the earlier of it and the planned departure's cut-off counts. */
  dueAt: number | null;
  /** Transit in carrier delivery days at the promise's earliest quantile and confidence target. */
  transit: { earliestDays: number; latestDays: number };
  delivery: DeliveryCalendar;
  arrival: Arrival;
  /** This parcel's own promised window. */
  promised: Window;
  /** Local date (origin) it left, once shipped (the planned departure when unknown). */
  shippedOn?: string;
}

/** Goods prepared at the pickup store. */
export interface PickupParcel {
  kind: 'pickup';
  progress: 'pending' | 'accepted' | 'picked' | 'ready';
  store: LocationCalendar;
  prepMinutes: number;
  /** Promised ready instant (the fulfillment's due_at). */
  readyBy: number;
  promised: Window;
  /** End of the pickup hold, once ready, and how many minutes before it the order is at risk. */
  holdUntil?: number;
  holdWarningMinutes: number;
}

/**
 * One parcel against the order's promise.
 * - Not yet left, before its deadline: on track with its promised window, at risk (same window) when it
 *   is not picked and at most the margin of open time is left.
 * - Not left by its deadline: the next departure from now (calendar, cut-off, carrier days; processing days
 *   again unless picked), then the lane's transit quantiles as the promise does.
 * - In transit: the shipping date plus transit; once that window is over, today or the next delivery day.
 * - A pickup not ready at its promised time: ready after the preparation still needed (none once picked),
 *   by the close of that opening; a ready pickup is at risk when its hold nears its end.
 * Any of these (a ready pickup aside: it kept the promise) is then at risk when the estimate ends after
 * the order's promise, and delayed once the promise's latest instant has passed.
 * @example unpicked at 16:01 past a 16:00 Monday cut-off, one-day transit, promised Tuesday → at risk,
 *   expected Wednesday (next departure Tuesday); still not delivered after Tuesday → delayed.
 */
export function assessShipment(p: ShippedParcel | PickupParcel, r: SlaRules): SlaAssessment {
  return p.kind === 'ship' ? assessCarried(p, r) : assessPickup(p, r);
}

function assessCarried(p: ShippedParcel, r: SlaRules): SlaAssessment {
  if (p.progress === 'shipped') {
    let eta = arrivalWindow(p, p.shippedOn ?? p.plannedDeparture, p.transit);
    // Overdue: it can still come today, else on the next delivery day.
    if (r.now > eta.latest) eta = arrivalWindow(p, localDateOf(arrivalZone(p.arrival), r.now), { earliestDays: 0, latestDays: 1 });
    return judge(eta, r, 'on_track', 'in_transit', 'late_in_transit');
  }
  const picked = p.progress === 'picked';
  const deadline = departureDeadline(p);
  if (deadline !== null && r.now >= deadline) {
    const next = nextDeparture(p.origin, r.now, { ...p.departure, processingDays: picked ? 0 : (p.departure.processingDays ?? 0) });
    if (!next) return { state: 'delayed', reason: 'no_departure', eta: p.promised };
    const why = picked ? 'not_shipped_by_deadline' : 'not_picked_by_deadline';
    return judge(arrivalWindow(p, next.date, p.transit), r, 'at_risk', why, why);
  }
  if (!picked && deadline !== null && nearDeadline(p.origin, r.now, deadline, r.riskMarginMinutes)) {
    return judge(p.promised, r, 'at_risk', p.progress === 'pending' ? 'not_accepted_near_deadline' : 'not_picked_near_deadline', 'rescheduled');
  }
  return judge(p.promised, r, 'on_track', 'on_schedule', 'rescheduled');
}

function assessPickup(p: PickupParcel, r: SlaRules): SlaAssessment {
  if (p.progress === 'ready') {
    // The goods wait at the store: the promise is kept, whatever the estimates said before.
    const ending = p.holdUntil !== undefined && r.now >= p.holdUntil - p.holdWarningMinutes * 60_000;
    return { state: ending ? 'at_risk' : 'on_track', reason: ending ? 'hold_ending' : 'ready_for_pickup', eta: p.promised };
  }
  const picked = p.progress === 'picked';
  if (r.now >= p.readyBy) {
    const ready = addOpenMinutes(p.store, r.now, picked ? 0 : p.prepMinutes) ?? r.now;
    // Ready "by closing time": an estimate that does not move every minute the work waits.
    return judge({ earliest: ready, latest: closingAfter(p.store, ready) }, r, 'at_risk', 'pickup_not_ready', 'pickup_not_ready');
  }
  if (!picked && nearDeadline(p.store, r.now, p.readyBy, r.riskMarginMinutes)) {
    return judge(p.promised, r, 'at_risk', p.progress === 'pending' ? 'not_accepted_near_deadline' : 'not_picked_near_deadline', 'rescheduled');
  }
  return judge(p.promised, r, 'on_track', 'on_schedule', 'rescheduled');
}

/**
 * The parcel against the promise: delayed once its latest instant has passed (only work not yet delivered,
 * or not ready, is judged here), else at risk when the estimate ends after it; `lateReason` says why the
 * estimate ends late. Otherwise `state` for `reason`.
 */
function judge(eta: Window, r: SlaRules, state: SlaState, reason: SlaReason, lateReason: SlaReason): SlaAssessment {
  const late = eta.latest > r.promise.latest;
  if (r.now > r.promise.latest) return { state: 'delayed', reason: late ? lateReason : reason, eta };
  return late ? { state: 'at_risk', reason: lateReason, eta } : { state, reason, eta };
}

/** The instant the parcel must have left by: its due_at, or the planned departure day's cut-off when earlier. */
function departureDeadline(p: ShippedParcel): number | null {
  const planned = nextDeparture(p.origin, atLocalTime(p.origin.timeZone, p.plannedDeparture, '00:00'), { ...p.departure, processingDays: 0 });
  const candidates = [p.dueAt, planned?.cutoffAt ?? null].filter((t): t is number => t !== null);
  return candidates.length > 0 ? Math.min(...candidates) : null;
}

/** At most `margin` open minutes left before the deadline (none at all when the location never opens again). */
function nearDeadline(cal: LocationCalendar, now: number, deadline: number, margin: number): boolean {
  const after = addOpenMinutes(cal, now, margin);
  return after === null || after >= deadline;
}

const arrivalZone = (a: Arrival): string => (a.kind === 'home' ? a.timeZone : a.calendar.timeZone);

/** When a parcel leaving on `departureDate` arrives: whole days at home (as the promise's window), or ready at the store. */
function arrivalWindow(p: ShippedParcel, departureDate: string, transit: ShippedParcel['transit']): Window {
  const earliest = addDeliveryDays(departureDate, transit.earliestDays, p.delivery);
  const latest = addDeliveryDays(departureDate, transit.latestDays, p.delivery);
  const a = p.arrival;
  if (a.kind === 'home') return deliveryWindow(a.timeZone, earliest, latest);
  const ready = (date: string): number => {
    const at = atLocalTime(a.calendar.timeZone, date, '00:00');
    return addOpenMinutes(a.calendar, at, a.prepMinutes) ?? at;
  };
  return { earliest: ready(earliest), latest: ready(latest) };
}

/**
 * Delivery dates as the promise's window of instants: from the start of the first local day to the last
 * second of the last one. @example Paris, 2026-11-24..2026-11-24 → 2026-11-23T23:00:00Z..2026-11-24T22:59:59Z
 */
export function deliveryWindow(timeZone: string, earliestDate: string, latestDate: string): Window {
  return { earliest: atLocalTime(timeZone, earliestDate, '00:00'), latest: atLocalTime(timeZone, addDays(latestDate, 1), '00:00') - 1000 };
}

/** The end of the opening that contains `at` (an open instant), or `at` itself. */
function closingAfter(cal: LocationCalendar, at: number): number {
  return openIntervalsOn(cal, localDateOf(cal.timeZone, at)).find((i) => i.start <= at && at < i.end)?.end ?? at;
}

const SEVERITY: Readonly<Record<SlaState, number>> = { on_track: 0, at_risk: 1, delayed: 2 };

/**
 * The order's standing from its parcels: the worst state (its reason from the worst parcel expected last),
 * and the estimate of the whole order (it is complete when its last parcel is). No parcel: on track.
 * @example parcels on track until Tue and delayed to Thu → delayed, expected by Thu.
 */
export function assessOrder(parcels: readonly SlaAssessment[], promise: Window): SlaAssessment {
  if (parcels.length === 0) return { state: 'on_track', reason: 'on_schedule', eta: promise };
  let worst = parcels[0]!;
  for (const a of parcels) {
    const rank = SEVERITY[a.state] - SEVERITY[worst.state];
    if (rank > 0 || (rank === 0 && a.eta.latest > worst.eta.latest)) worst = a;
  }
  return {
    state: worst.state,
    reason: worst.reason,
    eta: { earliest: Math.max(...parcels.map((a) => a.eta.earliest)), latest: Math.max(...parcels.map((a) => a.eta.latest)) },
  };
}

/** What to do with a new assessment: nothing, an alert (order.at_risk / order.delayed), or a silent return on track. */
export type SlaChange = 'none' | 'alert' | 'recover';

/**
 * Once per change: an alert when the order enters a new state or its estimate's end moves (an earliest
 * that moves alone is not news: a late pickup's would move every minute); back on track is recorded
 * without an alert. `previous` is the state recorded for the same promise (undefined: none, on track).
 */
export function slaChange(previous: { state: SlaState; etaLatest: number } | undefined, current: SlaAssessment): SlaChange {
  const was = previous?.state ?? 'on_track';
  if (current.state === 'on_track') return was === 'on_track' ? 'none' : 'recover';
  return was !== current.state || previous?.etaLatest !== current.eta.latest ? 'alert' : 'none';
}
