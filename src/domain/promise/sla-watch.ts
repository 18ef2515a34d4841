import { addDays, addDeliveryDays, addOpenMinutes, atLocalTime, localDateOf, nextDeparture, type DeliveryCalendar, type DepartureRule, type LocationCalendar } from './calendar.js';

/**
 * SLA watch: where an order stands against what was promised, and the date it can now be kept.
 * Pure: the job loads each open shipment's progress and calls `assessShipment` with the time.
 */

export type SlaState = 'on_track' | 'at_risk' | 'delayed';

export interface ShippedParcel {
  kind: 'ship';
  /** Promised latest delivery date (destination local date). */
  promisedLatest: string;
  origin: LocationCalendar;
  departure: DepartureRule;
  /** The departure date the promise counted on. */
  plannedDeparture: string;
  delivery: DeliveryCalendar;
  /** Transit days the promise used for the latest date (its quantile). */
  latestTransitDays: number;
  picked: boolean;
  /** Local date it left, once shipped. */
  shippedOn?: string;
  delivered: boolean;
}

export interface PickupParcel {
  kind: 'pickup';
  store: LocationCalendar;
  /** Promised ready-for-pickup instant (ms). */
  promisedReadyBy: number;
  prepMinutes: number;
  ready: boolean;
  /** End of the pickup hold (ms), once ready. */
  collectBy?: number;
  collected: boolean;
}

export interface SlaAssessment {
  state: SlaState;
  /** Why, in words ops can act on. */
  reason: string;
  /** Current estimate: a date for deliveries, an ISO instant for pickups. */
  eta: string;
}

/**
 * - A parcel not picked when its planned departure's cut-off has passed is at risk, with the date the next
 *   departure now gives; once the promised date itself has passed it is delayed.
 * - A picked parcel not shipped by the end of its departure day: the same, from the next departure.
 * - A shipped parcel past its promised date and not delivered is delayed, expected the next delivery day.
 * - A pickup not ready by its promised time is at risk until prepared (delayed when the new ready time is
 *   later); a ready pickup not collected by the end of its hold is at risk (the customer is reminded).
 */
export function assessShipment(p: ShippedParcel | PickupParcel, now: number): SlaAssessment {
  return p.kind === 'ship' ? assessDelivery(p, now) : assessPickup(p, now);
}

function assessDelivery(p: ShippedParcel, now: number): SlaAssessment {
  if (p.delivered) return { state: 'on_track', reason: 'delivered', eta: p.promisedLatest };
  if (p.shippedOn !== undefined) {
    const expected = addDeliveryDays(p.shippedOn, p.latestTransitDays, p.delivery);
    const today = localDateOf(p.origin.timeZone, now);
    if (today > p.promisedLatest || expected > p.promisedLatest) {
      const eta = today >= expected ? addDeliveryDays(today, 1, p.delivery) : expected;
      return { state: 'delayed', reason: 'in transit past the promised date', eta };
    }
    return { state: 'on_track', reason: 'in transit', eta: expected };
  }
  const planned = nextDeparture(p.origin, atLocalTime(p.origin.timeZone, p.plannedDeparture, '00:00'), { ...p.departure, processingDays: 0 });
  const missedCutoff = planned !== null && now >= planned.cutoffAt && !p.picked;
  const endOfDeparture = atLocalTime(p.origin.timeZone, addDays(p.plannedDeparture, 1), '00:00');
  const missedDeparture = now >= endOfDeparture;
  if (!missedCutoff && !missedDeparture) return { state: 'on_track', reason: p.picked ? 'picked, leaves as planned' : 'to pick before the cut-off', eta: p.promisedLatest };
  const next = nextDeparture(p.origin, now, { ...p.departure, processingDays: 0 });
  if (!next) return { state: 'delayed', reason: 'no departure possible in the calendar horizon', eta: p.promisedLatest };
  const eta = addDeliveryDays(next.date, p.latestTransitDays, p.delivery);
  const why = p.picked ? 'not shipped on its departure day' : 'not picked by the cut-off';
  // Still in the location's hands: ops can recover (express upgrade, re-routing), so it is a risk, with the
  // date it now reaches the customer; it becomes a delay once the promised date itself has passed.
  const today = localDateOf(p.origin.timeZone, now);
  return today > p.promisedLatest ? { state: 'delayed', reason: why, eta } : { state: 'at_risk', reason: `${why}; expected ${eta}`, eta };
}

function assessPickup(p: PickupParcel, now: number): SlaAssessment {
  if (p.collected) return { state: 'on_track', reason: 'collected', eta: new Date(p.promisedReadyBy).toISOString() };
  if (p.ready) {
    if (p.collectBy !== undefined && now >= p.collectBy) return { state: 'at_risk', reason: 'not collected by the end of the hold', eta: new Date(p.collectBy).toISOString() };
    return { state: 'on_track', reason: 'ready for pickup', eta: new Date(p.promisedReadyBy).toISOString() };
  }
  if (now < p.promisedReadyBy) return { state: 'on_track', reason: 'being prepared', eta: new Date(p.promisedReadyBy).toISOString() };
  const ready = addOpenMinutes(p.store, now, p.prepMinutes) ?? now;
  return { state: ready > p.promisedReadyBy ? 'delayed' : 'at_risk', reason: 'not ready at the promised time', eta: new Date(ready).toISOString() };
}

/** Emit only when something changed since the last alert: a new state or a new estimate. */
export function alertNeeded(previous: { state: SlaState; eta: string } | undefined, current: SlaAssessment): boolean {
  if (current.state === 'on_track') return false;
  return !previous || previous.state !== current.state || previous.eta !== current.eta;
}
