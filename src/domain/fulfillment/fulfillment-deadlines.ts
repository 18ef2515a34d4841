import { addOpenMinutes, atLocalTime, openIntervalsOn, type LocationCalendar } from '../promise/calendar.js';
import type { ServiceLevel } from '../promise/carriers.js';
import type { FulfillmentKind } from './fulfillment-lifecycle.js';

export interface DeadlineSite {
  calendar: LocationCalendar;
  cutoffs: Partial<Record<ServiceLevel, string>>;
}

/**
 * The instant a fulfillment must be done by, from the promise it carries: a shipment or a transfer must
 * leave on its departure date before the earliest of the location's cut-off for the service, the planned
 * carrier's collection cut-off and the location's closing time; a pickup must be ready at the promised
 * ready time (`earliest`).
 * Null when the promise gave no date. Example: departure 2026-11-23, cut-off 15:00 in Paris →
 * 2026-11-23T14:00:00Z.
 */
export function fulfillmentDueAt(
  kind: FulfillmentKind,
  site: DeadlineSite,
  promise: { service?: string | null; departureDate?: string | null; earliest?: string | null; carrierCutoff?: string | null },
): number | null {
  if (kind === 'pickup') {
    const at = promise.earliest ? Date.parse(promise.earliest) : NaN;
    return Number.isFinite(at) ? at : null;
  }
  const day = promise.departureDate;
  if (!day) return null;
  const cutoffTime = site.cutoffs[(promise.service ?? 'standard') as ServiceLevel] ?? site.cutoffs.standard;
  const limits = [
    openIntervalsOn(site.calendar, day).at(-1)?.end,
    cutoffTime ? atLocalTime(site.calendar.timeZone, day, cutoffTime) : undefined,
    promise.carrierCutoff ? atLocalTime(site.calendar.timeZone, day, promise.carrierCutoff) : undefined,
  ].filter((x): x is number => x !== undefined);
  return limits.length > 0 ? Math.min(...limits) : atLocalTime(site.calendar.timeZone, day, '23:59');
}

/**
 * By when the location must accept a new fulfillment before it is re-routed: `timeoutMinutes` of its
 * open time after `now` (a store that closed for the night is not timed out overnight), and never after
 * the deadline itself when that is still ahead.
 * Example: created Mon 18:30, store 10:00–19:00, 120 min → Tue 11:30.
 */
export function acceptanceDeadline(calendar: LocationCalendar, now: number, timeoutMinutes: number, dueAt: number | null): number {
  const open = addOpenMinutes(calendar, now, timeoutMinutes) ?? now + timeoutMinutes * 60_000;
  return dueAt !== null && dueAt > now ? Math.min(open, dueAt) : open;
}

/**
 * May new ship work wait in the release hold until `releaseAt` (release-held.ts)? Only when it comes out
 * of the hold before it is urgent: `urgentMinutes` or more before it is due. Work released already
 * urgent could miss the departure its promise planned, so it goes to its location at once. Work
 * without a deadline may wait.
 * Example: due 16:00, hold until 10:10, urgent within 120 min → held; hold until 14:10 → released at once.
 */
export function mayHold(releaseAt: number, dueAt: number | null, urgentMinutes: number): boolean {
  return dueAt === null || releaseAt + urgentMinutes * 60_000 <= dueAt;
}
