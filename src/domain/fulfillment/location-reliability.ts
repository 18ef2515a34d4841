/**
 * A location's data reliability learned from how its fulfillments ended: each rejection, short pick or
 * late shipment is a failure. The estimate is the share of good outcomes with `prior` imaginary good
 * ones in front (a Beta prior), so one bad day does not sink a store with no history, and a store that
 * keeps failing sinks steadily. Rounded to 0.01: the stored value (read by sourcing and by safety stock)
 * changes only when the estimate really moves.
 * Example: 10 fulfillments of which 2 rejected, prior 20 → (20 + 8) / 30 = 0.93.
 */
export interface PerformanceCounts {
  /** Every fulfillment that ended, failures included. */
  fulfillments: number;
  rejections: number;
  shortPicks: number;
  lateShipments: number;
}

export const RELIABILITY_PRIOR = 20;

export function learnedReliability(c: PerformanceCounts, prior = RELIABILITY_PRIOR): number {
  const failures = c.rejections + c.shortPicks + c.lateShipments;
  const good = Math.max(0, c.fulfillments - failures);
  const r = (prior + good) / (prior + Math.max(c.fulfillments, failures));
  return Math.round(Math.min(1, Math.max(0, r)) * 100) / 100;
}
