import { blocksOf, cheapestN, chooseState, relaxedOptimum, type Block, type ExactResult, type SingleCosts } from './exact-partition.js';
import { maxBlocks, type Network, type Space } from './sourcing-space.js';

/**
 * The exact optimiser's entry point: the relaxed partition DP of `exact-partition.ts`, and when its
 * optimum reuses a location, a branch-and-bound over plans with distinct locations (see there).
 */

const NODE_BUDGET = 200_000;

/** `nodeBudget` caps the branch-and-bound (the heuristic's sub-problems use a small one). */
export function solveExact(network: Network, space: Space, nodeBudget = NODE_BUDGET): ExactResult {
  if (network.maxShipments < 1 || space.N === 1) return { blocks: [], cost: 0, optimal: true, lowerBound: 0, repaired: false };
  const relaxed = relaxedOptimum(network, space);
  const { value } = relaxed;
  const split = network.splitPenalty;
  const chosen = chooseState(space, value);
  if (chosen === 0) return { blocks: [], cost: 0, optimal: true, lowerBound: 0, repaired: false };

  const blocks = blocksOf(relaxed, chosen);
  const cost = value[chosen]! - split;
  if (new Set(blocks.map((b) => b.candidate)).size === blocks.length) return { blocks, cost, optimal: true, lowerBound: cost, repaired: false };
  return repair(network, space, relaxed, blocks, nodeBudget);
}

/** State of the branch-and-bound (plain data: no closure is created per node). */
interface Search {
  space: Space;
  split: number;
  /** The n cheapest locations per state. */
  top: SingleCosts;
  n: number;
  layers: Float64Array[];
  layerCount: number;
  used: Uint8Array;
  stack: Block[];
  incumbent: number;
  incumbentBlocks: Block[] | undefined;
  nodes: number;
  budget: number;
  aborted: boolean;
}

/** Relaxed cost (sum of block cost + split) of covering state s with at most k blocks. */
function boundOf(b: Search, k: number, s: number): number {
  if (s === 0) return 0;
  if (k <= 0) return Infinity;
  return b.layerCount === 0 ? b.layers[0]![s]! : b.layers[Math.min(k, b.layerCount) - 1]![s]!;
}

/** Children of a node for block T: each free location among T's cheapest, as (bound, T, candidate, cost). */
function collect(b: Search, kids: number[], S: number, T: number, k: number, g: number): void {
  const rest = boundOf(b, k - 1, S - T);
  if (!(rest < Infinity)) return;
  for (let r = 0; r < b.n; r++) {
    const c = b.top.candidate[T * b.n + r]!;
    if (c < 0) break;
    if (b.used[c]) continue;
    const v = b.top.cost[T * b.n + r]!;
    const bound = g + v + b.split + rest;
    if (!(bound < b.incumbent)) break;
    kids.push(bound, T, c, v);
  }
}

function search(b: Search, S: number, k: number, g: number): void {
  if (b.aborted) return;
  if (++b.nodes > b.budget) {
    b.aborted = true;
    return;
  }
  if (S === 0) {
    if (g < b.incumbent) {
      b.incumbent = g;
      b.incumbentBlocks = b.stack.slice();
    }
    return;
  }
  if (k === 0 || !(g + boundOf(b, k, S) < b.incumbent)) return;
  const { subCounts, firstSubCounts } = b.space;
  const M = 1 << b.space.W;
  const kids: number[] = [];
  const m = S % M;
  const h = (S - m) / M;
  if (m !== 0) {
    const low = m & -m;
    const rest = m ^ low;
    const subs = subCounts[h]!;
    for (let a = 0; a < subs.length; a++) {
      let t = rest;
      for (;;) {
        collect(b, kids, S, subs[a]! * M + low + t, k, g);
        if (t === 0) break;
        t = (t - 1) & rest;
      }
    }
  } else {
    const subs = firstSubCounts[h]!;
    for (let a = 0; a < subs.length; a++) collect(b, kids, S, subs[a]! * M, k, g);
  }
  const order = Array.from({ length: kids.length / 4 }, (_, i) => i * 4);
  order.sort((x, y) => kids[x]! - kids[y]! || kids[x + 1]! - kids[y + 1]! || kids[x + 2]! - kids[y + 2]!);
  for (const o of order) {
    if (!(kids[o]! < b.incumbent)) break;
    const T = kids[o + 1]!;
    const c = kids[o + 2]!;
    const v = kids[o + 3]!;
    b.used[c] = 1;
    b.stack.push({ candidate: c, state: T, cost: v });
    search(b, S - T, k - 1, g + v + b.split);
    b.stack.pop();
    b.used[c] = 0;
    if (b.aborted) return;
  }
}

/**
 * A first plan for the branch-and-bound: the relaxed blocks, each moved to its cheapest free location
 * when its own is already taken (undefined when one finds none).
 */
function quickFix(b: Search, blocks: readonly Block[]): void {
  const taken = new Set<number>();
  const fixed: Block[] = [];
  let g = 0;
  for (const block of [...blocks].sort((x, y) => x.cost - y.cost || x.state - y.state)) {
    let r = 0;
    while (r < b.n && b.top.candidate[block.state * b.n + r]! >= 0 && taken.has(b.top.candidate[block.state * b.n + r]!)) r++;
    const c = r < b.n ? b.top.candidate[block.state * b.n + r]! : -1;
    if (c < 0) return;
    taken.add(c);
    const cost = b.top.cost[block.state * b.n + r]!;
    fixed.push({ candidate: c, state: block.state, cost });
    g += cost + b.split;
  }
  b.incumbent = g;
  b.incumbentBlocks = fixed;
}

/** Branch-and-bound over plans with distinct locations, level by level of units served. */
function repair(network: Network, space: Space, relaxed: ReturnType<typeof relaxedOptimum>, start: readonly Block[], budget: number): ExactResult {
  const { layers, layerCount, value } = relaxed;
  const split = network.splitPenalty;
  const n = Math.min(
    layerCount === 0 ? Infinity : layerCount,
    network.candidates.length,
    maxBlocks(space),
  );
  const b: Search = {
    space,
    split,
    top: cheapestN(network, space, n),
    n,
    layers,
    layerCount,
    used: new Uint8Array(network.candidates.length),
    stack: [],
    incumbent: Infinity,
    incumbentBlocks: undefined,
    nodes: 0,
    budget,
    aborted: false,
  };
  if (start.length <= n) quickFix(b, start);
  const units = space.units;
  const order: number[] = [];
  for (let s = 1; s < space.N; s++) if (value[s]! < Infinity) order.push(s);
  order.sort((x, y) => units[y]! - units[x]! || value[x]! - value[y]! || x - y);
  const kMax = layerCount === 0 ? n : layerCount;
  for (let i = 0; i < order.length; ) {
    const level = units[order[i]!]!;
    const levelBound = value[order[i]!]! - split;
    let j = i;
    for (; j < order.length && units[order[j]!] === level; j++) {
      const S = order[j]!;
      if (!(value[S]! < b.incumbent)) continue;
      search(b, S, kMax, 0);
      if (b.aborted) break;
    }
    if (b.incumbentBlocks) {
      const cost = b.incumbent - split;
      return { blocks: b.incumbentBlocks, cost, optimal: !b.aborted, lowerBound: b.aborted ? levelBound : cost, repaired: true };
    }
    if (b.aborted) break;
    i = j;
  }
  if (b.aborted) throw new ExactSearchAborted();
  return { blocks: [], cost: 0, optimal: true, lowerBound: 0, repaired: true };
}

/** The branch-and-bound ran out of budget before finding any plan: the caller falls back to the heuristic. */
export class ExactSearchAborted extends Error {
  constructor() {
    super('exact sourcing search exceeded its node budget');
  }
}
