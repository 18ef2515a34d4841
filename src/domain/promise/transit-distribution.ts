/**
 * Transit time as a distribution, not a padded constant: a probability mass over whole carrier delivery
 * days, started from the carrier's published figures (the prior) and learned from deliveries as they are
 * recorded. The promise states a window [earliest, latest] and the probability the latest date is met.
 */

/** P(transit = days[i]) = shares[i]; days ascending, shares sum to 1. */
export interface TransitDistribution {
  days: number[];
  shares: number[];
  /** Deliveries observed in this lane (0 = the prior alone). */
  observations: number;
}

export interface TransitShare {
  days: number;
  share: number;
}

/** Normalises a configured distribution (shares need not sum to 1; duplicates are added). */
export function distributionOf(points: readonly TransitShare[]): TransitDistribution {
  const byDay = new Map<number, number>();
  for (const p of points) if (p.share > 0) byDay.set(p.days, (byDay.get(p.days) ?? 0) + p.share);
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const total = days.reduce((s, d) => s + byDay.get(d)!, 0);
  if (days.length === 0 || total <= 0) throw new Error('a transit distribution needs at least one positive share');
  return { days, shares: days.map((d) => byDay.get(d)! / total), observations: 0 };
}

/**
 * Posterior after `counts` observed deliveries (transit days → count): the prior weighs as `priorWeight`
 * pseudo-deliveries, so a lane with few observations stays near the published figures and a busy lane
 * follows what actually happens. Example: prior {1: 0.9, 2: 0.1} weight 20, counts {1: 50, 3: 30}
 * gives P(1) = (18 + 50) / 100, P(2) = 2 / 100, P(3) = 30 / 100.
 */
export function learnDistribution(prior: TransitDistribution, counts: ReadonlyMap<number, number>, priorWeight: number): TransitDistribution {
  let n = 0;
  for (const c of counts.values()) n += c;
  if (n === 0) return prior;
  const mass = new Map<number, number>();
  prior.days.forEach((d, i) => mass.set(d, prior.shares[i]! * priorWeight));
  for (const [d, c] of counts) mass.set(d, (mass.get(d) ?? 0) + c);
  const learned = distributionOf([...mass].map(([days, share]) => ({ days, share })));
  return { ...learned, observations: n };
}

/** Smallest transit with P(transit ≤ days) ≥ q (q in (0, 1]). */
export function transitQuantile(dist: TransitDistribution, q: number): number {
  let cumulative = 0;
  for (let i = 0; i < dist.days.length; i++) {
    cumulative += dist.shares[i]!;
    // Float sums of shares may stop a hair below 1: the last day always qualifies.
    if (cumulative >= q - 1e-9) return dist.days[i]!;
  }
  return dist.days[dist.days.length - 1]!;
}

/** P(transit ≤ days). */
export function transitProbabilityWithin(dist: TransitDistribution, days: number): number {
  let cumulative = 0;
  for (let i = 0; i < dist.days.length && dist.days[i]! <= days; i++) cumulative += dist.shares[i]!;
  return Math.min(1, cumulative);
}
