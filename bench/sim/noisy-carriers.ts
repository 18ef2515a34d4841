/**
 * What "really" happens to parcels in the promise-quality simulation (G7): the demo carriers publish a
 * transit distribution per lane (src/modules/demo/demo-carriers.ts); the truth below differs from it
 * the way carriers do in practice. Measured against the days a carrier announces (the published
 * distribution's 90th percentile: "48 h", "J+1"), each lane is on time 88–96 % of the time, about 91 %
 * over the simulated volume (ShipMatrix peak figures: 90–93 %, PERFORMANCE.md §7). Short lanes are
 * tight, long ones have a heavier tail (rural areas, sorting-hub backlogs). Nodes miss their carrier
 * pick-up on some days (a backlog), and the parcel leaves on the next eligible day.
 *
 * Assumptions the figure rests on, stated here so they can be argued with: the truth is stationary
 * (history and test periods draw from the same distributions), and transit does not depend on the
 * weekday of departure once counted in the carrier's delivery days.
 */
import { distributionOf, transitQuantile, type TransitDistribution, type TransitShare } from '../../src/domain/promise/transit-distribution.js';

const t = (...pairs: Array<[number, number]>): TransitShare[] => pairs.map(([days, share]) => ({ days, share }));

/** True transit in carrier delivery days, per `${carrierId}/${service}/${laneKey}`. */
export const TRUE_TRANSIT: Readonly<Record<string, TransitShare[]>> = {
  // Published {1: .70, 2: .25, 3: .05}, announced 2 days: on time 96 %.
  'colissimo/standard/FR:100': t([1, 0.55], [2, 0.41], [3, 0.03], [4, 0.01]),
  // Published {1: .45, 2: .45, 3: .08, 4: .02}, announced 2 days: on time 90 %.
  'colissimo/standard/FR:400': t([1, 0.25], [2, 0.65], [3, 0.06], [4, 0.025], [5, 0.01], [6, 0.005]),
  // Published {2: .60, 3: .30, 4: .10}, announced 3 days: on time 88 %, a long tail.
  'colissimo/standard/FR:any': t([2, 0.35], [3, 0.53], [4, 0.07], [5, 0.03], [6, 0.015], [8, 0.005]),
  // Published {1: .55, 2: .38, 3: .07}, announced 2 days: on time 95 %.
  'dpd/standard/FR:400': t([1, 0.58], [2, 0.37], [3, 0.04], [4, 0.01]),
  // Published {2: .55, 3: .35, 4: .10}, announced 3 days: on time 90 %.
  'dpd/standard/FR:any': t([2, 0.45], [3, 0.45], [4, 0.06], [5, 0.03], [6, 0.01]),
  // Published {1: .93, 2: .06, 3: .01}, announced 1 day: on time 92 %.
  'chronopost/express/FR:any': t([1, 0.92], [2, 0.06], [3, 0.015], [4, 0.005]),
};

/** Share of local days on which a node misses its carrier pick-up (staffing, peaks, a late truck). */
export const NODE_BACKLOG_RATE = { warehouse: 0.01, store: 0.03 } as const;

/** Days a carrier announces for a lane: the 90th percentile of what it publishes. */
export const ANNOUNCED_QUANTILE = 0.9;

export function announcedDays(published: readonly TransitShare[]): number {
  return transitQuantile(distributionOf(published), ANNOUNCED_QUANTILE);
}

const truthCache = new Map<string, TransitDistribution>();

export function trueDistribution(carrierId: string, service: string, lane: string): TransitDistribution {
  const key = `${carrierId}/${service}/${lane}`;
  let dist = truthCache.get(key);
  if (!dist) {
    const shares = TRUE_TRANSIT[key];
    if (!shares) throw new Error(`the simulation has no true transit for ${key}`);
    dist = distributionOf(shares);
    truthCache.set(key, dist);
  }
  return dist;
}

/**
 * Transit days for a uniform draw u in [0, 1). The draw belongs to the shipment, not to the carrier: the
 * same shipment gets the same luck whichever carrier the promise picked (common random numbers).
 */
export function transitForDraw(dist: TransitDistribution, u: number): number {
  let cumulative = 0;
  for (let i = 0; i < dist.days.length; i++) {
    cumulative += dist.shares[i]!;
    if (u < cumulative) return dist.days[i]!;
  }
  return dist.days[dist.days.length - 1]!;
}

/** Whether a node misses its pick-up on a local date: a fixed hash of (seed, node, date), so every shipment of that day agrees. */
export function isBacklogDay(seed: number, nodeId: string, date: string, rate: number): boolean {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const text of [nodeId, date]) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0xff, 0x01000193) >>> 0;
  }
  // murmur3's finaliser spreads the last bytes over every bit.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296 < rate;
}
