import { shippingCost, type ShippingTable } from './cost-model.js';
import { scratchFloat64, scratchUint8 } from './scratch.js';
import { maxBlocks, type Network, type Space } from './sourcing-space.js';

/**
 * Candidates the exact optimiser's relaxation can skip without changing its answer, plan for plan.
 *
 * Definitions (per sub-order T of the space): l can ship T when T's whole items are in cover[l], its
 * split counts are digit-wise <= countMax[l], units(T) <= capacity[l] and each shared SKU's units fit
 * l's stock; then cost(l, T) = fixed[l] + shipping_l(weight(T)). Each of these tests is monotone in
 * (cover, countMax digits, capacity, shared stock), none of them can tell a capacity or a stock above
 * the whole order's units from a larger one, so "d is at least as able as l" below is sufficient.
 *
 * d dominates l when
 *   (1) d is at least as able: cover[l] ⊆ cover[d], every countMax digit of d >= l's, min(capacity,
 *       order units) of d >= l's, and for every shared SKU min(stock, order units) of d >= l's;
 *   (2) d is no dearer on any sub-order, and cheaper where it comes later: with
 *       Δ = min over the states T of (shipping_l(weight(T)) - shipping_d(weight(T))),
 *       fixed[d] - fixed[l] < Δ, or fixed[d] - fixed[l] = Δ and d < l.
 * With integer costs and weights (minor units, grams: all arithmetic exact) (1) and (2) give, for every
 * T that l can ship, that d can ship it and (cost(d, T), d) < (cost(l, T), l) lexicographically.
 *
 * Claim: the cheapest location of each state (`bestSingle`: least cost, ties to the smallest index) is
 * the same when every dominated candidate is skipped. Proof: let a be that location for state T over
 * all candidates. If a were dominated, by some d (skipped or not), d could ship T and come before a in
 * (cost, index) order: a would not be the cheapest. So a is not skipped, and it stays the cheapest of
 * the candidates that are not. The relaxed DP reads nothing else of the candidates, so it is unchanged;
 * the branch-and-bound (`cheapestN`) still enumerates every candidate.
 *
 * Dominators are looked for among `HUBS` candidates only (the cheapest ones, by handling and cheapest
 * parcel): trying every pair would cost more than it saves on large networks. That bounds the work,
 * never the exactness.
 */

/** Candidates tried as dominators of each candidate. */
const HUBS = 32;
/** Networks smaller than this are enumerated whole: skipping a few locations saves less than finding them costs. */
const MIN_CANDIDATES = 100;
/** Sub-orders below which a candidate is enumerated rather than tested for dominance. */
const MIN_VISITS = 16;
/** Sub-orders per candidate, on average, below which the whole search for dominators is not worth it. */
const WORTH_IT = 32;

/** Per candidate, 1 when `bestSingle` may skip it (dominated or unable to ship anything); undefined when none is. */
export function dominatedCandidates(network: Network, space: Space): Uint8Array | undefined {
  const n = network.candidates.length;
  if (n < MIN_CANDIDATES || network.baseWeight || !integral(network, space)) return undefined;
  const { cover, countMax, subCounts } = space;
  const { capacity, fixed, tableOf, tables } = network;
  // Sub-orders each candidate would be enumerated for: looking for dominators pays only when they are many.
  const visitsOf = (c: number): number => (cover[c] === 0 && countMax[c] === 0 ? 0 : subCounts[countMax[c]!]!.length * (1 << popcount(cover[c]!)));
  let total = 0;
  for (let c = 0; c < n; c++) total += visitsOf(c);
  if (total < WORTH_IT * n) return undefined;
  const visits = scratchFloat64(n);
  for (let c = 0; c < n; c++) visits[c] = visitsOf(c);

  // The cheapest candidates (handling and cheapest parcel, then index) are the likeliest dominators.
  const hubs: number[] = [];
  const key = (c: number): number => fixed[c]! + tables[tableOf[c]!]!.costs[0]!;
  for (let c = 0; c < n; c++) {
    if (visits[c] === 0 || (hubs.length === HUBS && key(c) >= key(hubs[HUBS - 1]!))) continue;
    if (hubs.length === HUBS) hubs.pop();
    let at = hubs.length;
    while (at > 0 && key(hubs[at - 1]!) > key(c)) at--;
    hubs.splice(at, 0, c);
  }
  const orderUnits = space.units[space.N - 1]!;
  const cost = new CostOrder(network, space);
  const skip = scratchUint8(n);
  for (let l = 0; l < n; l++) {
    // Enumerating a candidate with few sub-orders costs less than looking for its dominator.
    if (visits[l]! < MIN_VISITS) continue;
    for (const d of hubs) {
      if (d === l || (cover[l]! & ~cover[d]!) !== 0 || Math.min(capacity[d]!, orderUnits) < Math.min(capacity[l]!, orderUnits)) continue;
      if (countMax[l] !== countMax[d] && !digitsCover(space, countMax[d]!, countMax[l]!)) continue;
      if (space.shared.length > 0 && !sharedCover(space, d, l, orderUnits)) continue;
      if (!cost.before(d, l)) continue;
      skip[l] = 1;
      break;
    }
  }
  return skip;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * Every fixed cost, rate-card price and band maximum, and every unit weight, a whole number: sums,
 * differences and parcel arithmetic are exact, so are the comparisons of (2) and its breakpoints.
 */
function integral(network: Network, space: Space): boolean {
  for (let c = 0; c < network.fixed.length; c++) if (!Number.isInteger(network.fixed[c])) return false;
  for (const t of network.tables) {
    for (let i = 0; i < t.costs.length; i++) if (!Number.isInteger(t.costs[i]) || !Number.isInteger(t.maxes[i])) return false;
  }
  return space.items.every((it) => Number.isInteger(it.unitWeight));
}

/** Every split count of `a` >= the same count of `b` (mixed-radix digits). */
function digitsCover(space: Space, a: number, b: number): boolean {
  for (let j = 0; j < space.digits.length; j++) {
    if (Math.floor(a / space.stride[j]!) % space.radix[j]! < Math.floor(b / space.stride[j]!) % space.radix[j]!) return false;
  }
  return true;
}

function sharedCover(space: Space, d: number, l: number, orderUnits: number): boolean {
  for (const s of space.shared) if (Math.min(s.available[d]!, orderUnits) < Math.min(s.available[l]!, orderUnits)) return false;
  return true;
}

/**
 * Condition (2), with Δ per pair of rate cards computed on first use. Shipping is a step function of
 * weight, constant on every interval (p, q] between consecutive points j·F + m (F the card's full-parcel
 * weight, m 0 or one of its band maxima, j >= 0; see `shippingCost`). Between consecutive points of two
 * cards both are constant, so the least difference over weights up to the heaviest state is the least
 * difference at those points up to it, and at it: a lower bound of Δ over the states, which is all (2)
 * needs. More points than states: the states themselves.
 */
class CostOrder {
  private readonly delta = new Map<number, number>();
  constructor(
    private readonly network: Network,
    private readonly space: Space,
  ) {}

  before(d: number, l: number): boolean {
    const a = this.network.tableOf[d]!;
    const b = this.network.tableOf[l]!;
    const gap = this.network.fixed[d]! - this.network.fixed[l]!;
    const delta = a === b ? 0 : this.deltaOf(a, b);
    return gap < delta || (gap === delta && d < l);
  }

  private deltaOf(a: number, b: number): number {
    const key = a * this.network.tables.length + b;
    let delta = this.delta.get(key);
    if (delta === undefined) {
      const ta = this.network.tables[a]!;
      const tb = this.network.tables[b]!;
      const { N, weight } = this.space;
      const heaviest = weight[N - 1]!;
      const diff = (w: number): number => shippingCost(tb, w) - shippingCost(ta, w);
      delta = diff(heaviest);
      const points = (Math.floor(heaviest / ta.fullWeight) + 1) * ta.maxes.length + (Math.floor(heaviest / tb.fullWeight) + 1) * tb.maxes.length;
      if (points < N) {
        for (const t of [ta, tb]) {
          for (let j = 0; j * t.fullWeight < heaviest; j++) {
            for (let i = 0; i < t.maxes.length && j * t.fullWeight + t.maxes[i]! <= heaviest; i++) delta = Math.min(delta, diff(j * t.fullWeight + t.maxes[i]!));
          }
        }
      } else {
        for (let s = 1; s < N; s++) delta = Math.min(delta, diff(weight[s]!));
      }
      this.delta.set(key, delta);
    }
    return delta;
  }
}
