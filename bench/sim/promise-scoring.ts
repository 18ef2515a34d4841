/**
 * Scores of the promise-quality figure: kept rate, padding (promised latest date − actual delivery date,
 * in calendar days, over every shipment: a late one counts negative), calibration of the stated
 * confidence, and the static lead-time table tuned to the same kept rate on the same shipments.
 */
import { addDeliveryDays, daysBetween } from '../../src/domain/promise/calendar.js';
import type { SimShipment } from './promise-sim.js';

export interface Score {
  shipments: number;
  kept: number;
  /** Mean (latest − delivered) in calendar days over all shipments. */
  padding: number;
  /** The same over kept promises only. */
  paddingKept: number;
}

export function score(shipments: readonly SimShipment[], latestOf: (s: SimShipment) => string): Score {
  let kept = 0;
  let padding = 0;
  let paddingKept = 0;
  for (const s of shipments) {
    const slack = daysBetween(s.deliveredOn, latestOf(s));
    padding += slack;
    if (slack >= 0) {
      kept++;
      paddingKept += slack;
    }
  }
  const n = Math.max(1, shipments.length);
  return { shipments: shipments.length, kept: kept / n, padding: padding / n, paddingKept: paddingKept / Math.max(1, kept) };
}

/**
 * The static lead-time table: the carrier's announced days for the lane plus a padding the same for
 * every lane, counted in the carrier's delivery days (weekdays it delivers, public holidays skipped).
 * `order-date`: counted from the order's date plus the node's handling SLA (processing days), as a
 * fixed table on a product page does. `departure`: counted from the engine's own departure date (cut-offs,
 * opening hours, pick-up days), which isolates what the learned lane distributions add.
 */
export type StaticStart = 'order-date' | 'departure';

export function staticLatest(s: SimShipment, padding: number, start: StaticStart): string {
  const from = start === 'order-date' ? s.orderDate : s.plannedDeparture;
  const sla = start === 'order-date' ? s.order.origin.processingDays : 0;
  return addDeliveryDays(from, Math.max(0, sla + s.announcedDays + padding), s.deliveryCalendar);
}

export interface TunedStatic {
  start: StaticStart;
  /** Smallest whole padding (days) whose kept rate reaches the target. */
  padding: number;
  atPadding: Score;
  /**
   * The same kept rate exactly: padding `padding` on a share `mix` of the shipments and `padding - 1` on
   * the rest (kept rate and mean padding are linear in that share). Whole days make the static table
   * overshoot the target; this is the table given the benefit of that doubt.
   */
  mix: number;
  atTarget: { kept: number; padding: number };
  curve: Array<{ padding: number; kept: number; meanPadding: number }>;
}

const PADDINGS = Array.from({ length: 16 }, (_, i) => i - 3);

export function tuneStatic(shipments: readonly SimShipment[], targetKept: number, start: StaticStart): TunedStatic {
  const curve = PADDINGS.map((p) => ({ p, s: score(shipments, (x) => staticLatest(x, p, start)) }));
  const i = curve.findIndex((c) => c.s.kept >= targetKept);
  if (i < 0) throw new Error(`no padding up to ${PADDINGS[PADDINGS.length - 1]} days reaches a kept rate of ${targetKept}`);
  const at = curve[i]!;
  const below = curve[i - 1];
  let mix = 1;
  let atTarget = { kept: at.s.kept, padding: at.s.padding };
  if (below && at.s.kept > below.s.kept) {
    mix = (targetKept - below.s.kept) / (at.s.kept - below.s.kept);
    atTarget = { kept: targetKept, padding: below.s.padding + mix * (at.s.padding - below.s.padding) };
  }
  return {
    start,
    padding: at.p,
    atPadding: at.s,
    mix,
    atTarget,
    curve: curve.map((c) => ({ padding: c.p, kept: c.s.kept, meanPadding: c.s.padding })),
  };
}

export interface CalibrationBucket {
  from: number;
  to: number;
  shipments: number;
  stated: number;
  observed: number;
}

const BUCKET_EDGES = [0, 0.95, 0.97, 0.98, 0.99, 0.995, 1.000001];

/**
 * Stated confidence against the observed kept rate, in buckets of stated confidence; the error is the
 * shipment-weighted mean of |stated − observed| over the buckets (expected calibration error).
 */
export function calibration(shipments: readonly SimShipment[]): { buckets: CalibrationBucket[]; errorPp: number; overallPp: number } {
  const buckets: CalibrationBucket[] = [];
  let weighted = 0;
  for (let b = 0; b + 1 < BUCKET_EDGES.length; b++) {
    const from = BUCKET_EDGES[b]!;
    const to = BUCKET_EDGES[b + 1]!;
    const inside = shipments.filter((s) => s.confidence >= from && s.confidence < to);
    if (inside.length === 0) continue;
    const stated = inside.reduce((sum, s) => sum + s.confidence, 0) / inside.length;
    const observed = inside.filter((s) => s.deliveredOn <= s.latest).length / inside.length;
    buckets.push({ from, to: Math.min(1, to), shipments: inside.length, stated, observed });
    weighted += inside.length * Math.abs(stated - observed);
  }
  const n = Math.max(1, shipments.length);
  const stated = shipments.reduce((sum, s) => sum + s.confidence, 0) / n;
  const observed = shipments.filter((s) => s.deliveredOn <= s.latest).length / n;
  return { buckets, errorPp: (100 * weighted) / n, overallPp: 100 * Math.abs(stated - observed) };
}

/** The premise of the simulation: how often carriers meet the days they announce. */
export function carrierOnTime(shipments: readonly SimShipment[]): number {
  return shipments.filter((s) => s.transitDays <= s.announcedDays).length / Math.max(1, shipments.length);
}
