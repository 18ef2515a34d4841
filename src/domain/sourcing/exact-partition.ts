import { shippingCost } from './cost-model.js';
import { scratchFloat64, scratchInt32 } from './scratch.js';
import { maxBlocks, type Network, type Space } from './sourcing-space.js';

/**
 * Exact sourcing of a sub-order space (see `Space`): the plan maximising the units served, then
 * minimising cost, with at most `maxShipments` shipments and at most one shipment per location.
 *
 * 1. best[T]: the cheapest single location able to ship sub-order T alone (ATP per SKU, capacity),
 *    found by enumerating each candidate's feasible sub-orders (submasks of its coverage).
 * 2. A partition DP over sub-orders, dp_k[S] = min over blocks T of S (T holding S's first item) of
 *    best[T] + split + dp_{k-1}[S - T], one layer per allowed shipment count.
 * 3. The DP lets two blocks use the same location, which a plan cannot (capacity and ATP are per
 *    location, and merging is not always cheaper: a capacity can fit each block but not both, a negative
 *    preference paid twice looks cheaper). So the DP is a relaxation, exact whenever its locations are
 *    distinct. Otherwise a branch-and-bound (`exact-search.ts`; bound: the relaxed DP of what is left) searches
 *    the plans with distinct locations, each block choosing among its N cheapest locations (N = the most
 *    blocks a plan can have: if a block's location is not among them, one of them is free and no
 *    dearer, so some optimum only uses them).
 */

export interface Block {
  candidate: number;
  state: number;
  /** Shipment cost (without the split penalty). */
  cost: number;
}

export interface ExactResult {
  blocks: Block[];
  /** Plan cost: sum of block costs + split x (blocks - 1). */
  cost: number;
  optimal: boolean;
  /** Lower bound on the optimal plan cost serving as many units. */
  lowerBound: number;
  /** The relaxation reused a location and the branch-and-bound settled the plan. */
  repaired: boolean;
}

/** Per state: the cheapest single location, or the N cheapest (for the branch-and-bound). */
export interface SingleCosts {
  cost: Float64Array;
  candidate: Int32Array;
}

type Visit = (candidate: number, state: number, cost: number) => void;

/** Calls `visit` for every (candidate, sub-order) the candidate can ship alone, with its cost; `skip`: candidates left out. */
function forEachFeasible(network: Network, space: Space, visit: Visit, skip?: Uint8Array): void {
  const { W, N, units, weight, subCounts, cover, countMax, shared } = space;
  const M = 1 << W;
  const shipByTable: (Float64Array | undefined)[] = [];
  for (let c = 0; c < network.candidates.length; c++) {
    const C = cover[c]!;
    const hMax = countMax[c]!;
    if ((C === 0 && hMax === 0) || skip?.[c]) continue;
    const t = network.tableOf[c]!;
    const table = network.tables[t]!;
    const kept = network.baseWeight?.[c] ?? 0;
    let ship = kept > 0 ? undefined : shipByTable[t];
    if (!ship) ship = scratchFloat64(N).fill(NaN);
    if (kept === 0) shipByTable[t] = ship;
    const keptCost = kept > 0 ? shippingCost(table, kept) : 0;
    const fixed = network.fixed[c]!;
    const cap = network.capacity[c]!;
    const subs = subCounts[hMax]!;
    for (let a = 0; a < subs.length; a++) {
      const h = subs[a]!;
      const base = h * M;
      let m = C;
      for (;;) {
        const s = base + m;
        if (s !== 0 && units[s]! <= cap && (shared.length === 0 || sharedFits(space, c, m, h))) {
          let sc = ship[s]!;
          if (sc !== sc) sc = ship[s] = shippingCost(table, kept + weight[s]!) - keptCost;
          visit(c, s, fixed + sc);
        }
        if (m === 0) break;
        m = (m - 1) & C;
      }
    }
  }
}

function sharedFits(space: Space, c: number, mask: number, h: number): boolean {
  for (let g = 0; g < space.shared.length; g++) {
    const s = space.shared[g]!;
    if (space.units[mask & s.mask]! + space.sharedCountUnits[g]![h]! > s.available[c]!) return false;
  }
  return true;
}

/** Costs (Infinity) and candidates (-1) of `length` entries. */
function emptyCosts(length: number): SingleCosts {
  return { cost: scratchFloat64(length).fill(Infinity), candidate: scratchInt32(length).fill(-1) };
}

function bestSingle(network: Network, space: Space): SingleCosts {
  const { cost, candidate } = emptyCosts(space.N);
  // Dominated candidates are never the cheapest of a state (dominance.ts): they may be skipped.
  forEachFeasible(
    network,
    space,
    (c, s, v) => {
      // Candidates come in locationId order: a strict < keeps the smallest id on ties.
      if (v < cost[s]!) {
        cost[s] = v;
        candidate[s] = c;
      }
    },
    space.skip,
  );
  return { cost, candidate };
}

/** The `n` cheapest locations per state, flattened (state * n + rank), -1 past the last. */
export function cheapestN(network: Network, space: Space, n: number): SingleCosts {
  const { cost, candidate } = emptyCosts(space.N * n);
  forEachFeasible(network, space, (c, s, v) => {
    const base = s * n;
    if (!(v < cost[base + n - 1]!)) return;
    let r = n - 1;
    while (r > 0 && v < cost[base + r - 1]!) {
      cost[base + r] = cost[base + r - 1]!;
      candidate[base + r] = candidate[base + r - 1]!;
      r--;
    }
    cost[base + r] = v;
    candidate[base + r] = c;
  });
  return { cost, candidate };
}

/**
 * Partition DP. `layers[k][S]`: min of sum (best[T] + split) over partitions of S into at most k + 1
 * blocks (one unbounded layer when the shipment limit cannot bind). `choice` = the block holding S's
 * first item, or -1 when the previous layer is as good.
 */
function partition(space: Space, best: Float64Array, split: number, layerCount: number): { layers: Float64Array[]; choice: Int32Array[] } {
  const { W, N, subCounts, firstSubCounts } = space;
  const M = 1 << W;
  const full = M - 1;
  const layers: Float64Array[] = [];
  const choice: Int32Array[] = [];
  const unbounded = layerCount === 0;
  for (let k = 0; k < Math.max(1, layerCount); k++) {
    const cur = scratchFloat64(N);
    const arg = scratchInt32(N).fill(-1);
    const prev = unbounded ? cur : k === 0 ? undefined : layers[k - 1]!;
    for (let s = 1; s < N; s++) {
      let min = Infinity;
      let at = -1;
      if (!prev) {
        min = best[s]!;
        at = min < Infinity ? s : -1;
      } else {
        const m = s & full;
        const h = (s - m) / M;
        if (m !== 0) {
          const low = m & -m;
          const rest = m ^ low;
          const subs = subCounts[h]!;
          for (let a = 0; a < subs.length; a++) {
            const base = subs[a]! * M + low;
            let t = rest;
            for (;;) {
              const T = base + t;
              const v = best[T]! + prev[s - T]!;
              if (v < min) {
                min = v;
                at = T;
              }
              if (t === 0) break;
              t = (t - 1) & rest;
            }
          }
        } else {
          const subs = firstSubCounts[h]!;
          for (let a = 0; a < subs.length; a++) {
            const T = subs[a]! * M;
            const v = best[T]! + prev[s - T]!;
            if (v < min) {
              min = v;
              at = T;
            }
          }
        }
      }
      const value = min + split;
      if (prev && !unbounded && prev[s]! <= value) {
        cur[s] = prev[s]!;
      } else {
        cur[s] = value;
        arg[s] = at;
      }
    }
    layers.push(cur);
    choice.push(arg);
  }
  return { layers, choice };
}

/** Relaxed optimum (locations may repeat): a lower bound, used by the heuristic's bound too. */
export function relaxedOptimum(network: Network, space: Space): { value: Float64Array; best: SingleCosts; layers: Float64Array[]; choice: Int32Array[]; layerCount: number } {
  const layerCount = network.maxShipments >= maxBlocks(space) ? 0 : network.maxShipments;
  const best = bestSingle(network, space);
  const { layers, choice } = partition(space, best.cost, network.splitPenalty, layerCount);
  return { value: layers[layers.length - 1]!, best, layers, choice, layerCount };
}

/** The state to serve: most units, then least relaxed cost, then the smallest index. */
export function chooseState(space: Space, value: Float64Array): number {
  let chosen = 0;
  for (let s = 1; s < space.N; s++) {
    if (!(value[s]! < Infinity)) continue;
    const du = space.units[s]! - space.units[chosen]!;
    if (du > 0 || (du === 0 && value[s]! < value[chosen]!)) chosen = s;
  }
  return chosen;
}

export function blocksOf(relaxed: ReturnType<typeof relaxedOptimum>, state: number): Block[] {
  const { best, choice, layerCount } = relaxed;
  const blocks: Block[] = [];
  let k = choice.length - 1;
  for (let s = state; s !== 0; ) {
    while (choice[k]![s] === -1) k--;
    const T = choice[k]![s]!;
    blocks.push({ candidate: best.candidate[T]!, state: T, cost: best.cost[T]! });
    s -= T;
    if (layerCount > 0) k--;
  }
  return blocks;
}

/**
 * A fast, not proven, plan for the heuristic's sub-problems: the relaxed optimum with the blocks that
 * share a location merged, when the merged block still fits there (undefined otherwise).
 */
export function solveRelaxedMerged(network: Network, space: Space): Block[] | undefined {
  if (network.maxShipments < 1 || space.N === 1) return [];
  const relaxed = relaxedOptimum(network, space);
  const blocks = blocksOf(relaxed, chooseState(space, relaxed.value));
  const byCandidate = new Map<number, number>();
  for (const b of blocks) byCandidate.set(b.candidate, (byCandidate.get(b.candidate) ?? 0) + b.state);
  if (byCandidate.size === blocks.length) return blocks;
  const merged: Block[] = [];
  for (const [c, state] of byCandidate) {
    const cost = costAt(network, space, c, state);
    if (cost === undefined) return undefined;
    merged.push({ candidate: c, state, cost });
  }
  return merged;
}

/** Cost of shipping `state` from candidate c alone, or undefined when it does not fit there. */
function costAt(network: Network, space: Space, c: number, state: number): number | undefined {
  const M = 1 << space.W;
  const m = state % M;
  const h = (state - m) / M;
  if ((m & ~space.cover[c]!) !== 0 || space.units[state]! > network.capacity[c]!) return undefined;
  for (let j = 0; j < space.digits.length; j++) {
    const digit = (x: number): number => Math.floor(x / space.stride[j]!) % space.radix[j]!;
    if (digit(h) > digit(space.countMax[c]!)) return undefined;
  }
  if (space.shared.length > 0 && !sharedFits(space, c, m, h)) return undefined;
  const table = network.tables[network.tableOf[c]!]!;
  const kept = network.baseWeight?.[c] ?? 0;
  return network.fixed[c]! + shippingCost(table, kept + space.weight[state]!) - (kept > 0 ? shippingCost(table, kept) : 0);
}

