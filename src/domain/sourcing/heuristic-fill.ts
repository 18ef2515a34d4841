import { shippingCost } from './cost-model.js';
import { stockOf, type Item, type Network } from './sourcing-space.js';

/** The heuristic's working plans (`heuristic.ts`): items per candidate, judged by units then cost, and the fill of a set of open locations. */

/** Moves in a chain that makes room for a short item (an augmenting path of the units' flow). */
const MOVE_DEPTH = 2;

export interface Working {
  candidate: number;
  q: Float64Array;
}

export interface Context {
  network: Network;
  items: readonly Item[];
  /** ATP of item i's SKU at candidate c: avail[c * K + i]. */
  avail: Float64Array;
  skuOf: Int32Array;
  skuCount: number;
  /** Items by difficulty: fewest candidates able to give them first, then heaviest. */
  order: number[];
  /** Units of the whole order: a plan serving fewer is short. */
  servable: number;
}

export interface Evaluated {
  plan: Working[];
  units: number;
  cost: number;
}

/** The fewest units of an item a location must be able to give to serve any of it. */
export const leastUnits = (item: Item): number => (item.split ? 1 : item.quantity);

/** Whether candidate c could give `need` units of item i were nothing else taken there (its ATP and capacity). */
export const couldGive = (ctx: Pick<Context, 'network' | 'items' | 'avail'>, c: number, i: number, need = leastUnits(ctx.items[i]!)): boolean =>
  Math.min(ctx.avail[c * ctx.items.length + i]!, ctx.network.capacity[c]!) >= need;

export const better = (a: Evaluated, b: Evaluated): boolean => a.units > b.units || (a.units === b.units && a.cost < b.cost);

export function context(network: Network, items: readonly Item[]): Context {
  const n = network.candidates.length;
  const K = items.length;
  const skuIndex = new Map<string, number>();
  const skuOf = Int32Array.from(items, (it) => skuIndex.get(it.sku) ?? skuIndex.set(it.sku, skuIndex.size).get(it.sku)!);
  const avail = new Float64Array(n * K);
  const holders = new Array<number>(K).fill(0);
  for (let c = 0; c < n; c++) {
    items.forEach((it, i) => {
      avail[c * K + i] = stockOf(network, it.sku)[c]!;
      if (couldGive({ network, items, avail }, c, i)) holders[i]!++;
    });
  }
  const order = items.map((_, i) => i).sort((a, b) => holders[a]! - holders[b]! || items[b]!.quantity * items[b]!.unitWeight - items[a]!.quantity * items[a]!.unitWeight || a - b);
  const servable = items.reduce((acc, it) => acc + it.quantity, 0);
  return { network, items, avail, skuOf, skuCount: skuIndex.size, order, servable };
}

export const shipOf = (network: Network, c: number, weight: number): number => shippingCost(network.tables[network.tableOf[c]!]!, weight);

export function evaluatePlan(ctx: Context, plan: Working[]): Evaluated {
  let units = 0;
  let cost = 0;
  for (const a of plan) {
    let weight = 0;
    ctx.items.forEach((it, i) => {
      units += a.q[i]!;
      weight += a.q[i]! * it.unitWeight;
    });
    cost += ctx.network.fixed[a.candidate]! + shipOf(ctx.network, a.candidate, weight);
  }
  return { plan, units, cost: plan.length === 0 ? 0 : cost + ctx.network.splitPenalty * (plan.length - 1) };
}

/**
 * Fills the open locations item by item at the least marginal cost (opening one costs its fixed cost
 * and the split), then serves what is still short by moving placed items between open locations.
 * Why the second step: the cost-greedy pass can spend a location's capacity (or a SKU's stock shared by
 * two lines) on an item that had other homes, leaving short an item that had only that one; every
 * set of open locations is then judged on fewer units than it can serve, and the location search
 * settles on a plan short of the order's maximum. `polished`: then moves and swaps items between the
 * open locations while it pays (`polish`), dearer but judging the set nearer what it can ship.
 */
export function fill(ctx: Context, open: readonly number[], polished = false): Evaluated {
  const { network, items, avail, skuOf } = ctx;
  const K = items.length;
  const S = open.length;
  const weight = new Float64Array(S);
  const cap = Float64Array.from(open, (c) => network.capacity[c]!);
  const skuUsed = new Float64Array(S * ctx.skuCount);
  const q = open.map(() => new Float64Array(K));
  const loaded = new Uint8Array(S);
  const held = new Float64Array(S);
  const left = Float64Array.from(items, (it) => it.quantity);
  const stockRoom = (j: number, i: number): number => avail[open[j]! * K + i]! - skuUsed[j * ctx.skuCount + skuOf[i]!]!;
  const room = (j: number, i: number): number => Math.min(stockRoom(j, i), cap[j]!);
  const marginal = (j: number, add: number): number =>
    shipOf(network, open[j]!, weight[j]! + add) - (loaded[j] ? shipOf(network, open[j]!, weight[j]!) : -network.fixed[open[j]!]! - network.splitPenalty);
  const put = (j: number, i: number, units: number): void => {
    q[j]![i] = q[j]![i]! + units;
    weight[j] = weight[j]! + units * items[i]!.unitWeight;
    cap[j] = cap[j]! - units;
    skuUsed[j * ctx.skuCount + skuOf[i]!]! += units;
    left[i] = left[i]! - units;
    held[j] = held[j]! + units;
    loaded[j] = 1;
  };
  const move = (i: number, from: number, to: number, units: number): void => {
    put(from, i, -units);
    put(to, i, units);
  };
  for (const i of ctx.order) {
    const it = items[i]!;
    while (left[i]! > 0) {
      let best = -1;
      let bestCost = Infinity;
      let bestUnits = 0;
      for (let j = 0; j < S; j++) {
        const r = room(j, i);
        const units = it.split ? Math.min(left[i]!, r) : r >= left[i]! ? left[i]! : 0;
        if (units <= 0) continue;
        const perUnit = marginal(j, units * it.unitWeight) / units;
        if (perUnit < bestCost) {
          bestCost = perUnit;
          best = j;
          bestUnits = units;
        }
      }
      if (best < 0) break;
      put(best, i, bestUnits);
    }
  }
  const filling: Filling = { q, left, room, stockRoom, cap, weight, held, put, move };
  serveShort(ctx, open, filling);
  if (polished) polish(ctx, open, filling);
  const plan: Working[] = [];
  open.forEach((c, j) => {
    if (q[j]!.some((units) => units > 0)) plan.push({ candidate: c, q: q[j]! });
  });
  return evaluatePlan(ctx, plan);
}

/** A fill under way: placed units per open location, what is left of each item, and the updates. */
interface Filling {
  q: Float64Array[];
  left: Float64Array;
  room: (j: number, i: number) => number;
  stockRoom: (j: number, i: number) => number;
  cap: Float64Array;
  /** Weight and units each open location ships so far. */
  weight: Float64Array;
  held: Float64Array;
  put: (j: number, i: number, units: number) => void;
  move: (i: number, from: number, to: number, units: number) => void;
}

/**
 * Places the short items' units, hardest first, where moving other items away (to open locations
 * with room for them, recursively up to MOVE_DEPTH moves) frees the capacity or the shared SKU stock
 * they need. Units placed are never removed, so the fill only gains units.
 */
function serveShort(ctx: Context, open: readonly number[], f: Filling): void {
  const { items, skuOf } = ctx;
  const visiting = new Uint8Array(open.length);
  const makeRoom = (j: number, i: number, need: number, depth: number): boolean => {
    if (f.room(j, i) >= need) return true;
    if (depth === 0 || !couldGive(ctx, open[j]!, i, need)) return false;
    visiting[j] = 1;
    for (const other of ctx.order) {
      const placed = f.q[j]![other]!;
      if (other === i || placed <= 0) continue;
      const stockShort = need - f.stockRoom(j, i);
      // Only a line of the same SKU frees stock; any line frees capacity.
      if (stockShort > 0 && skuOf[other] !== skuOf[i]) continue;
      const units = items[other]!.split ? Math.min(placed, Math.max(stockShort, need - f.cap[j]!)) : placed;
      for (let to = 0; to < open.length; to++) {
        if (visiting[to] || to === j || !makeRoom(to, other, units, depth - 1)) continue;
        f.move(other, j, to, units);
        break;
      }
      if (f.room(j, i) >= need) break;
    }
    visiting[j] = 0;
    return f.room(j, i) >= need;
  };
  for (const i of ctx.order) {
    while (f.left[i]! > 0) {
      const need = items[i]!.split ? 1 : f.left[i]!;
      let to = 0;
      while (to < open.length && !makeRoom(to, i, need, MOVE_DEPTH)) to++;
      if (to === open.length) break;
      f.put(to, i, items[i]!.split ? Math.min(f.left[i]!, f.room(to, i)) : need);
    }
  }
}

const POLISH_PASSES = 4;

/**
 * Item moves and swaps between the open locations while one lowers the cost (units unchanged). Why: the
 * fill places items one at a time at the least marginal cost, blind to the weight bands a later item
 * will cross, so it can judge a set of locations (the location search's only yardstick) far dearer than
 * the set can ship; such sets are then never kept, however good.
 */
function polish(ctx: Context, open: readonly number[], f: Filling): void {
  const { network, items, skuOf } = ctx;
  const { weight, held } = f;
  const S = open.length;
  const K = items.length;
  const at = (j: number, units: number, w: number): number => (units > 0 ? network.fixed[open[j]!]! + network.splitPenalty + shipOf(network, open[j]!, w) : 0);
  for (let pass = 0; pass < POLISH_PASSES; pass++) {
    let moved = false;
    for (const i of ctx.order) {
      const wi = items[i]!.unitWeight;
      for (let j = 0; j < S; j++) {
        const u = f.q[j]![i]!;
        if (u <= 0) continue;
        for (let to = 0; to < S; to++) {
          if (to === j) continue;
          const before = at(j, held[j]!, weight[j]!) + at(to, held[to]!, weight[to]!);
          if (f.room(to, i) >= u && at(j, held[j]! - u, weight[j]! - u * wi) + at(to, held[to]! + u, weight[to]! + u * wi) < before - 1e-9) {
            f.move(i, j, to, u);
            moved = true;
            break;
          }
          for (let i2 = 0; i2 < K; i2++) {
            const u2 = f.q[to]![i2]!;
            if (i2 === i || u2 <= 0) continue;
            const dw = u * wi - u2 * items[i2]!.unitWeight;
            if (at(j, held[j]! - u + u2, weight[j]! - dw) + at(to, held[to]! + u - u2, weight[to]! + dw) >= before - 1e-9) continue;
            const same = skuOf[i] === skuOf[i2];
            if (f.cap[j]! + u - u2 < 0 || f.cap[to]! + u2 - u < 0) continue;
            if (f.stockRoom(j, i2) + (same ? u : 0) < u2 || f.stockRoom(to, i) + (same ? u2 : 0) < u) continue;
            f.move(i, j, to, u);
            f.move(i2, to, j, u2);
            moved = true;
            break;
          }
          if (f.q[j]![i]! <= 0) break;
        }
      }
    }
    if (!moved) break;
  }
}
