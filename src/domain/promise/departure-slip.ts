/**
 * Departure slip: how many departure opportunities (eligible days: the location open, the carrier
 * collecting, see nextDeparture) after the planned one a location's parcels actually left. A node that
 * misses its carrier pick-up now and then (a backlog, a short-staffed day, a late truck) delivers later
 * than its carriers' transit alone says, so the promise dates a parcel by slip ⊕ transit: it leaves at
 * opportunity k with P(slip = k), then takes t carrier delivery days with P(transit = t).
 *
 * Slips are learned per location on top of its location type's (all its locations' evidence pooled),
 * which itself starts from "always on time": a new store inherits what stores do, and a location's own
 * record takes over as its shipments accumulate (each prior weighs `priorWeight` shipments).
 */
import { atLocalTime, nextDeparture, type DeliveryCalendar, type DepartureRule, type LocationCalendar } from './calendar.js';
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from './local-date.js';
import { learnDistribution, type TransitDistribution } from './transit-distribution.js';

/** P(slip = days[i]) = shares[i], `days` counting departure opportunities late (0: on the planned day). */
export type SlipDistribution = TransitDistribution;

/** Slips beyond this count as this many (a parcel forgotten for weeks says little about the next one). */
export const MAX_SLIP = 10;

/** What a location without any evidence (nor its type) is taken to do. */
export const ON_TIME: SlipDistribution = Object.freeze({ days: [0], shares: [1], observations: 0 }) as SlipDistribution;

/**
 * Opportunities late: 0 when the parcel left on (or before) its planned departure, k when it left on the
 * k-th eligible day after it, and a departure on a day that is not eligible counts as the next eligible
 * one (it could not have been collected earlier). Capped at MAX_SLIP, and at the calendar horizon.
 */
export function slipBetween(cal: LocationCalendar, rule: DepartureRule, plannedOn: string, departedOn: string): number {
  if (departedOn <= plannedOn) return 0;
  const each = { cutoff: rule.cutoff, ...(rule.pickupWeekdays ? { pickupWeekdays: rule.pickupWeekdays } : {}) };
  let at = nextDeparture(cal, atLocalTime(cal.timeZone, plannedOn, '00:00'), each);
  let slip = 0;
  while (at !== null && at.date < departedOn && slip < MAX_SLIP) {
    at = nextDeparture(cal, at.cutoffAt, each);
    slip++;
  }
  return slip;
}

/** Recorded slips: location id → opportunities late → shipments. */
export type SlipCounts = ReadonlyMap<string, ReadonlyMap<number, number>>;

/**
 * Each location's slip distribution: its own counts on top of its type's, the type's pooled counts on
 * top of ON_TIME, each prior weighing `priorWeight` shipments. Locations without any evidence share
 * their prior object (quote caches compare distributions by identity).
 */
export function learnSlips(locations: ReadonlyArray<{ id: string; type: string }>, counts: SlipCounts, priorWeight: number): Map<string, SlipDistribution> {
  const pooled = new Map<string, Map<number, number>>();
  for (const l of locations) {
    const own = counts.get(l.id);
    if (!own) continue;
    let sum = pooled.get(l.type);
    if (!sum) pooled.set(l.type, (sum = new Map()));
    for (const [slip, n] of capped(own)) sum.set(slip, (sum.get(slip) ?? 0) + n);
  }
  const typePriors = new Map([...pooled].map(([type, sum]) => [type, learnDistribution(ON_TIME, sum, priorWeight)]));
  const out = new Map<string, SlipDistribution>();
  for (const l of locations) {
    const prior = typePriors.get(l.type) ?? ON_TIME;
    const own = counts.get(l.id);
    out.set(l.id, own ? learnDistribution(prior, capped(own), priorWeight) : prior);
  }
  return out;
}

function capped(counts: ReadonlyMap<number, number>): ReadonlyMap<number, number> {
  let over = false;
  for (const slip of counts.keys()) if (slip > MAX_SLIP) over = true;
  if (!over) return counts;
  const out = new Map<number, number>();
  for (const [slip, n] of counts) out.set(Math.min(slip, MAX_SLIP), (out.get(Math.min(slip, MAX_SLIP)) ?? 0) + n);
  return out;
}

/**
 * The planned departure and the `count` opportunities after it (fewer when the calendar horizon ends
 * first), as local dates: where a parcel slipping 0..count opportunities leaves.
 */
export function departureOpportunities(cal: LocationCalendar, planned: { date: string; cutoffAt: number }, rule: DepartureRule, count: number): string[] {
  const dates = [planned.date];
  const each = { cutoff: rule.cutoff, ...(rule.pickupWeekdays ? { pickupWeekdays: rule.pickupWeekdays } : {}) };
  let at: { date: string; cutoffAt: number } | null = planned;
  while (dates.length <= count && (at = nextDeparture(cal, at.cutoffAt, each)) !== null) dates.push(at.date);
  return dates;
}

/** Delivery days ascending (day numbers, see local-date.ts), with P(delivered on or before each). */
export interface DeliveryDates {
  days: number[];
  cumulative: number[];
}

/**
 * The convolution of slip and transit over the calendars: P(delivered on day D) is the sum over k and t
 * of P(slip = k) · P(transit = t) for which `departures[k]` plus t carrier delivery days (addDeliveryDays)
 * is D. A slip beyond the known departures leaves at the last one. With no slip (ON_TIME) the days are
 * the departure plus each transit day, with the transit distribution's own probabilities.
 */
export function deliveryDates(departures: readonly string[], slip: SlipDistribution, transit: TransitDistribution, cal: DeliveryCalendar): DeliveryDates {
  if (cal.deliveryWeekdays.size === 0 && transit.days[transit.days.length - 1]! > 0) throw new RangeError('the delivery calendar has no delivery weekday');
  const holidays = holidayDays(cal.holidays);
  const first = dayNumberOf(departures[0]!);
  // Mass per day after the first departure, in a scratch buffer (a quote miss runs this for every
  // carrier service it considers): far cheaper than a map of dates, and already in day order.
  let span = 0;
  for (let k = 0; k < slip.days.length; k++) {
    // Transit days ascend: one walk over the calendar from each departure reaches every one of them.
    let day = dayNumberOf(departures[Math.min(slip.days[k]!, departures.length - 1)]!);
    let counted = 0;
    for (let t = 0; t < transit.days.length; t++) {
      while (counted < transit.days[t]!) {
        day++;
        if (cal.deliveryWeekdays.has(weekdayOfDayNumber(day)) && !holidays.has(day)) counted++;
      }
      if (day - first >= scratch.length) scratch = grown(scratch, day - first);
      scratch[day - first] = scratch[day - first]! + slip.shares[k]! * transit.shares[t]!;
      span = Math.max(span, day - first + 1);
    }
  }
  const days: number[] = [];
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < span; i++) {
    if (scratch[i] === 0) continue;
    sum += scratch[i]!;
    scratch[i] = 0;
    days.push(first + i);
    cumulative.push(Math.min(1, sum));
  }
  return { days, cumulative };
}

let scratch: Float64Array = new Float64Array(64);
function grown(buffer: Float64Array, index: number): Float64Array {
  const bigger = new Float64Array(Math.max(buffer.length * 2, index + 1));
  bigger.set(buffer);
  return bigger;
}

/** The first date by which P(delivered) ≥ q, and that probability (float sums may stop a hair below 1: the last date qualifies). */
export function dateQuantile(d: DeliveryDates, q: number): { date: string; probability: number } {
  let i = 0;
  while (i < d.days.length - 1 && d.cumulative[i]! < q - 1e-9) i++;
  return { date: dateOfDayNumber(d.days[i]!), probability: d.cumulative[i]! };
}

/** Holiday sets are immutable values (per country and years): their day numbers are computed once. */
const holidayNumbers = new WeakMap<ReadonlySet<string>, ReadonlySet<number>>();
function holidayDays(holidays: ReadonlySet<string>): ReadonlySet<number> {
  let set = holidayNumbers.get(holidays);
  if (!set) holidayNumbers.set(holidays, (set = new Set([...holidays].map(dayNumberOf))));
  return set;
}
