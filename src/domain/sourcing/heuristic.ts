import { shippingCost } from './cost-model.js';
import { ExactSearchAborted, relaxedOptimum, solveExact } from './exact-partition.js';
import {
  availableAt,
  buildSpace,
  EXACT_PAIR_LIMIT,
  EXACT_STATE_LIMIT,
  itemMaxAt,
  spaceSize,
  stateQuantities,
  type Item,
  type Network,
  type Solution,
} from './sourcing-space.js';

/**
 * Sourcing of orders too large for the exact DP (more than 12 lines or unit counts).
 *
 * 1. Greedy cover: repeatedly open the location with the lowest cost per unit for what it can still
 *    take (whole lines whole, splittable lines as far as its stock goes), up to `maxShipments`.
 * 2. Large-neighbourhood search: the lines of every pair (then every single) shipment, plus the lines
 *    still short, are re-sourced exactly by the DP over the locations the other shipments leave free;
 *    a change is kept when it serves more units or costs less. Stops at a fixed point or a fixed number
 *    of re-optimisations (no clock: same input, same plan).
 * 3. Lower bound (`groupBound`): a relaxation the exact DP can solve, so the plan reports its gap.
 */

const MAX_SWEEPS = 8;
const MAX_SUBSOLVES = 240;
const BOUND_GROUPS = 12;

interface Working {
  candidate: number;
  q: Float64Array;
}

export function solveHeuristic(network: Network, items: Item[]): Solution {
  const allocations = improve(network, items, greedyCover(network, items));
  const served = allocations.reduce((acc, a) => acc + a.q.reduce((x, y) => x + y, 0), 0);
  const servable = items.reduce((acc, it) => acc + it.quantity, 0);
  const lowerBound = served < servable ? -Infinity : groupBound(network, items);
  const cost = allocations.length === 0 ? 0 : allocations.reduce((acc, a) => acc + allocationCost(network, items, a), 0) + network.splitPenalty * (allocations.length - 1);
  return {
    allocations: allocations.map((a) => ({ candidate: a.candidate, quantities: Array.from(a.q) })),
    optimal: lowerBound >= cost,
    lowerBound,
    method: 'heuristic',
  };
}

function allocationCost(network: Network, items: readonly Item[], a: Working): number {
  let weight = 0;
  items.forEach((it, i) => {
    weight += a.q[i]! * it.unitWeight;
  });
  return network.fixed[a.candidate]! + shippingCost(network.tables[network.tableOf[a.candidate]!]!, weight);
}

function greedyCover(network: Network, items: readonly Item[]): Working[] {
  const n = network.candidates.length;
  const K = items.length;
  const skuIndex = new Map<string, number>();
  const skuOf = Int32Array.from(items, (it) => skuIndex.get(it.sku) ?? skuIndex.set(it.sku, skuIndex.size).get(it.sku)!);
  const avail = new Float64Array(n * K);
  for (let c = 0; c < n; c++) items.forEach((it, i) => (avail[c * K + i] = availableAt(network.candidates[c]!, it.sku)));
  const left = Float64Array.from(items, (it) => it.quantity);
  const used = new Uint8Array(n);
  const take = new Float64Array(K);
  const skuTaken = new Float64Array(skuIndex.size);
  const out: Working[] = [];
  while (out.length < network.maxShipments) {
    let best = -1;
    let bestScore = Infinity;
    let bestTake = take;
    for (let c = 0; c < n; c++) {
      if (used[c]) continue;
      skuTaken.fill(0);
      let cap = network.capacity[c]!;
      let units = 0;
      let weight = 0;
      for (let i = 0; i < K; i++) {
        const room = Math.min(avail[c * K + i]! - skuTaken[skuOf[i]!]!, cap);
        const q = items[i]!.split ? Math.min(left[i]!, Math.max(0, room)) : left[i]! > 0 && room >= left[i]! ? left[i]! : 0;
        take[i] = q;
        skuTaken[skuOf[i]!]! += q;
        cap -= q;
        units += q;
        weight += q * items[i]!.unitWeight;
      }
      if (units === 0) continue;
      const score = (network.fixed[c]! + shippingCost(network.tables[network.tableOf[c]!]!, weight) + network.splitPenalty) / units;
      if (score < bestScore) {
        bestScore = score;
        best = c;
        bestTake = take.slice();
      }
    }
    if (best < 0) break;
    used[best] = 1;
    out.push({ candidate: best, q: bestTake });
    for (let i = 0; i < K; i++) left[i] = left[i]! - bestTake[i]!;
  }
  return out;
}

/** Re-sources groups of shipments exactly until no group improves. */
function improve(network: Network, items: readonly Item[], start: Working[]): Working[] {
  let current = start;
  let solves = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let changed = false;
    for (const group of neighbourhoods(current.length)) {
      if (solves++ >= MAX_SUBSOLVES) return current;
      const next = reoptimise(network, items, current, group);
      if (next) {
        current = next;
        changed = true;
        break;
      }
    }
    if (!changed) return current;
  }
  return current;
}

function neighbourhoods(count: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) out.push([a, b]);
  for (let a = 0; a < count; a++) out.push([a]);
  out.push([]);
  return out;
}

function reoptimise(network: Network, items: readonly Item[], current: Working[], group: number[]): Working[] | undefined {
  const K = items.length;
  const served = new Float64Array(K);
  for (const a of current) for (let i = 0; i < K; i++) served[i] = served[i]! + a.q[i]!;
  const subQ = new Float64Array(K);
  for (let i = 0; i < K; i++) subQ[i] = items[i]!.quantity - served[i]!;
  for (const g of group) for (let i = 0; i < K; i++) subQ[i] = subQ[i]! + current[g]!.q[i]!;
  const index: number[] = [];
  for (let i = 0; i < K; i++) if (subQ[i]! > 0) index.push(i);
  const subItems = index.map((i) => ({ ...items[i]!, quantity: subQ[i]! }));
  const size = spaceSize(subItems);
  if (subItems.length === 0 || size.states > EXACT_STATE_LIMIT || size.pairs > EXACT_PAIR_LIMIT) return undefined;

  const inGroup = new Set(group);
  const others = current.filter((_, i) => !inGroup.has(i));
  const busy = new Set(others.map((a) => a.candidate));
  const keep: number[] = [];
  for (let c = 0; c < network.candidates.length; c++) if (!busy.has(c)) keep.push(c);
  const sub: Network = {
    candidates: keep.map((c) => network.candidates[c]!),
    tables: network.tables,
    tableOf: Int32Array.from(keep, (c) => network.tableOf[c]!),
    fixed: Float64Array.from(keep, (c) => network.fixed[c]!),
    capacity: Float64Array.from(keep, (c) => network.capacity[c]!),
    splitPenalty: network.splitPenalty,
    maxShipments: network.maxShipments - others.length,
  };
  const space = buildSpace(sub, subItems);
  let exact;
  try {
    exact = solveExact(sub, space);
  } catch (err) {
    if (err instanceof ExactSearchAborted) return undefined;
    throw err;
  }
  const oldUnits = group.reduce((acc, g) => acc + current[g]!.q.reduce((x, y) => x + y, 0), 0);
  const oldCost = group.reduce((acc, g) => acc + allocationCost(network, items, current[g]!) + network.splitPenalty, 0);
  const newUnits = exact.blocks.reduce((acc, b) => acc + space.units[b.state]!, 0);
  const newCost = exact.blocks.length === 0 ? 0 : exact.cost + network.splitPenalty;
  if (newUnits < oldUnits || (newUnits === oldUnits && !(newCost < oldCost))) return undefined;
  const replaced = exact.blocks.map((b): Working => {
    const q = new Float64Array(K);
    stateQuantities(space, b.state).forEach((v, j) => (q[index[j]!] = v));
    return { candidate: keep[b.candidate]!, q };
  });
  return [...others, ...replaced].sort((a, b) => a.candidate - b.candidate);
}

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/**
 * A lower bound on any plan serving every item. Items are merged into at most 12 groups (same or most
 * similar set of locations able to give them); a group is one relaxed item that any location able to
 * give one of its members may ship, weighing its total weight divided by the most locations that can
 * share it, counting the fewest units of a member. Any plan maps onto the relaxed order (each group goes
 * to the location carrying most of its weight, which carries at least that much weight and units), and
 * shipping never falls with weight, so the relaxed optimum (the DP without the distinct-location rule)
 * is no dearer; shipments the mapping drops are charged their most negative possible cost.
 */
function groupBound(network: Network, items: readonly Item[]): number {
  const n = network.candidates.length;
  const words = Math.ceil(n / 32);
  const covers = items.map((it) => {
    const bits = new Uint32Array(words);
    for (let c = 0; c < n; c++) if (itemMaxAt(network, c, it) > 0) bits[c >>> 5]! |= 1 << (c & 31);
    return bits;
  });
  const bySignature = new Map<string, { members: number[]; cover: Uint32Array }>();
  items.forEach((_, i) => {
    const key = covers[i]!.join(',');
    const g = bySignature.get(key);
    if (g) g.members.push(i);
    else bySignature.set(key, { members: [i], cover: covers[i]! });
  });
  const groups = [...bySignature.values()];
  while (groups.length > BOUND_GROUPS) {
    let best: [number, number] = [0, 1];
    let bestSimilarity = -1;
    for (let a = 0; a < groups.length; a++) {
      for (let b = a + 1; b < groups.length; b++) {
        let inter = 0;
        let union = 0;
        for (let w = 0; w < words; w++) {
          inter += popcount(groups[a]!.cover[w]! & groups[b]!.cover[w]!);
          union += popcount(groups[a]!.cover[w]! | groups[b]!.cover[w]!);
        }
        const similarity = union === 0 ? 1 : inter / union;
        if (similarity > bestSimilarity) {
          bestSimilarity = similarity;
          best = [a, b];
        }
      }
    }
    const [a, b] = best;
    const cover = groups[a]!.cover.map((x, w) => x | groups[b]!.cover[w]!);
    groups[a] = { members: [...groups[a]!.members, ...groups[b]!.members], cover };
    groups.splice(b, 1);
  }
  let totalParts = 0;
  const relaxed: Item[] = groups.map((g, index) => {
    const parts = Math.min(
      g.members.reduce((acc, i) => acc + (items[i]!.split ? items[i]!.quantity : 1), 0),
      network.maxShipments,
      g.cover.reduce((acc, x) => acc + popcount(x), 0),
    );
    totalParts += parts;
    const weight = g.members.reduce((acc, i) => acc + items[i]!.quantity * items[i]!.unitWeight, 0) / parts;
    const units = Math.min(...g.members.map((i) => (items[i]!.split ? 1 : items[i]!.quantity)));
    return { line: -1, split: false, quantity: units, unitWeight: weight / units, sku: `\u0000group ${index}` };
  });
  const space = buildSpace(network, relaxed, (c, it) => {
    const g = groups[Number(it.sku.slice('\u0000group '.length))]!;
    return g.cover[c >>> 5]! & (1 << (c & 31)) && network.capacity[c]! >= it.quantity ? it.quantity : 0;
  });
  const value = relaxedOptimum(network, space).value[space.N - 1]!;
  if (!(value < Infinity)) return -Infinity;
  let cheapestShipment = Infinity;
  for (let c = 0; c < n; c++) cheapestShipment = Math.min(cheapestShipment, network.fixed[c]! + network.tables[network.tableOf[c]!]!.costs[0]!);
  const dropped = Math.max(0, Math.min(network.maxShipments, totalParts, n) - 1);
  return value - network.splitPenalty + Math.min(0, cheapestShipment + network.splitPenalty) * dropped;
}
