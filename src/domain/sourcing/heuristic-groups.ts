import { relaxedOptimum } from './exact-partition.js';
import { ExactSearchAborted, solveExact } from './exact-search.js';
import { buildSpace, itemMaxAt, stateQuantities, stockOf, type Item, type Network } from './sourcing-space.js';

/**
 * Items of a large order merged into at most 12 groups of items the same (or most similar) locations
 * can give, so the exact DP applies again: as a restriction (each group ships whole from one location:
 * a feasible plan, the heuristic's second start) and as a relaxation (the lower bound behind its gap).
 * Items of one SKU always share a group (their stock is shared).
 */

export interface ItemGroup {
  members: number[];
  /** Candidates able to give at least one member (bitset). */
  cover: Uint32Array;
}

const GROUPS = 12;

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};
const has = (bits: Uint32Array, c: number): boolean => (bits[c >>> 5]! & (1 << (c & 31))) !== 0;

export function groupItems(network: Network, items: readonly Item[]): ItemGroup[] {
  const n = network.candidates.length;
  const words = Math.ceil(n / 32);
  const bySku = new Map<string, ItemGroup>();
  items.forEach((it, i) => {
    const g = bySku.get(it.sku) ?? { members: [], cover: new Uint32Array(words) };
    g.members.push(i);
    for (let c = 0; c < n; c++) if (itemMaxAt(network, c, it) > 0) g.cover[c >>> 5]! |= 1 << (c & 31);
    bySku.set(it.sku, g);
  });
  const bySignature = new Map<string, ItemGroup>();
  for (const g of bySku.values()) {
    const key = g.cover.join(',');
    const same = bySignature.get(key);
    if (same) same.members.push(...g.members);
    else bySignature.set(key, g);
  }
  const groups = [...bySignature.values()];
  while (groups.length > GROUPS) {
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
    groups[a] = { members: [...groups[a]!.members, ...groups[b]!.members].sort((x, y) => x - y), cover: groups[a]!.cover.map((x, w) => x | groups[b]!.cover[w]!) };
    groups.splice(b, 1);
  }
  return groups;
}

const groupSku = (g: number): string => `\u0000group ${g}`;
const groupIndex = (it: Item): number => Number(it.sku.slice(groupSku(0).length - 1));

/**
 * The best plan shipping each group whole from one location (exact over the groups), as per-item
 * quantities per candidate; groups no single location can give stay short.
 */
export function groupedPlan(network: Network, items: readonly Item[], groups: readonly ItemGroup[]): { candidate: number; q: Float64Array }[] {
  const whole: Item[] = groups.map((g, index) => {
    const units = g.members.reduce((acc, i) => acc + items[i]!.quantity, 0);
    const weight = g.members.reduce((acc, i) => acc + items[i]!.quantity * items[i]!.unitWeight, 0);
    return { line: -1, split: false, quantity: units, unitWeight: weight / units, sku: groupSku(index) };
  });
  const space = buildSpace(network, whole, (c, it) => {
    const g = groups[groupIndex(it)]!;
    if (!has(g.cover, c) || it.quantity > network.capacity[c]!) return 0;
    const need = new Map<string, number>();
    for (const i of g.members) need.set(items[i]!.sku, (need.get(items[i]!.sku) ?? 0) + items[i]!.quantity);
    for (const [sku, q] of need) if (stockOf(network, sku)[c]! < q) return 0;
    return it.quantity;
  });
  let blocks;
  try {
    blocks = solveExact(network, space, 20_000).blocks;
  } catch (err) {
    if (err instanceof ExactSearchAborted) return [];
    throw err;
  }
  return blocks.map((b) => {
    const q = new Float64Array(items.length);
    stateQuantities(space, b.state).forEach((v, g) => {
      if (v > 0) for (const i of groups[g]!.members) q[i] = items[i]!.quantity;
    });
    return { candidate: b.candidate, q };
  });
}

/**
 * A lower bound on any plan serving every item. A group becomes one relaxed item that any location able
 * to give one of its members may ship, weighing its total weight divided by the most locations that can
 * share it, counting the fewest units of a member. Any plan maps onto the relaxed order (each group goes
 * to the location carrying most of its weight, which carries at least that much weight and units), and
 * shipping never falls with weight, so the relaxed optimum (the DP without the distinct-location rule)
 * is no dearer; shipments the mapping drops are charged their most negative possible cost.
 */
export function groupBound(network: Network, items: readonly Item[], groups: readonly ItemGroup[]): number {
  const n = network.candidates.length;
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
    return { line: -1, split: false, quantity: units, unitWeight: weight / units, sku: groupSku(index) };
  });
  const space = buildSpace(network, relaxed, (c, it) => (has(groups[groupIndex(it)]!.cover, c) && network.capacity[c]! >= it.quantity ? it.quantity : 0));
  const value = relaxedOptimum(network, space).value[space.N - 1]!;
  if (!(value < Infinity)) return -Infinity;
  let cheapestShipment = Infinity;
  for (let c = 0; c < n; c++) cheapestShipment = Math.min(cheapestShipment, network.fixed[c]! + network.tables[network.tableOf[c]!]!.costs[0]!);
  const dropped = Math.max(0, Math.min(network.maxShipments, totalParts, n) - 1);
  return value - network.splitPenalty + Math.min(0, cheapestShipment + network.splitPenalty) * dropped;
}
