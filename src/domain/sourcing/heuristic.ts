import { solveRelaxedMerged, type Block } from './exact-partition.js';
import { ExactSearchAborted, solveExact } from './exact-search.js';
import { better, context, couldGive, evaluatePlan, fill, shipOf, type Context, type Evaluated, type Working } from './heuristic-fill.js';
import { groupBound, groupedPlan, groupItems } from './heuristic-groups.js';
import { buildSpace, EXACT_PAIR_LIMIT, EXACT_STATE_LIMIT, spaceSize, stateQuantities, type Item, type Network, type Solution, type Space, stockOf } from './sourcing-space.js';

/**
 * Sourcing of orders too large for the exact DP (more than 12 lines or unit counts).
 *
 * 1. Open locations: start from a greedy cover (repeatedly the location with the lowest cost per unit
 *    for what it can still take), then add / drop / swap open locations while it pays (the classic
 *    facility-location search), each set of open locations filled item by item at the least marginal
 *    cost (hardest items first), then short items placed by moving others (`heuristic-fill.ts`). Units
 *    come first: a plan short at the shipment limit is also searched from greedy maximum-coverage
 *    starts, and with two locations swapped at once. The search then goes on from where it stopped with
 *    each set's fill polished (item moves and swaps between its locations) and with cost-driven double
 *    swaps: the greedy fill overprices sets once weight bands are crossed, and the optimum often ships
 *    from two or three other locations, none of which pays alone.
 * 2. Large-neighbourhood search: the items of every pair (then every single) shipment, plus those still
 *    short, are re-sourced exactly by the DP over the locations the other shipments leave free; a change
 *    is kept when it serves more units or costs less.
 * 3. Lower bound (`groupBound`), so the plan reports its gap.
 * Iteration caps, never a clock: same input, same plan.
 */

const MAX_LOCATION_ROUNDS = 12;
const SWAP_POOL = 48;
/** Locations giving the most units: the maximum-coverage starts' first picks and double-swap partners. */
const PAIR_POOL = 12;
/** Locations holding a short item tried in a double swap (with each partner). */
const SHORT_HOLDERS = 8;
/** First locations of the greedy maximum-coverage starts. */
const UNITS_STARTS = 6;
const MAX_SUBSOLVES = 80;
/** Closed locations paired in the polished search's double swaps: those with the best single swap. */
const DOUBLE_POOL = 10;
/** Branch-and-bound nodes for a sub-problem whose relaxed plan cannot simply be merged. */
const SUB_NODE_BUDGET = 2_000;
/** Sub-orders of a location-driven neighbourhood (10 whole items): small enough to re-solve often. */
const NEIGHBOURHOOD_STATES = 1024;

export function solveHeuristic(network: Network, items: Item[]): Solution {
  // No shipment allowed: nothing ships, as in the exact search (the grouped start below opens one anyway).
  if (network.maxShipments < 1) return { allocations: [], optimal: true, lowerBound: 0, method: 'heuristic' };
  const ctx = context(network, items);
  const start = greedyCover(ctx);
  const pools = locationPools(ctx);
  let searched = searchLocations(ctx, start.map((a) => a.candidate), pools);
  // The cheap locations the cost-greedy start opens may not be those that serve the most units under a
  // shipment limit: a short plan is searched again from the locations that add the most units.
  if (searched.units < ctx.servable && Number.isFinite(network.maxShipments)) {
    const fromUnits = searchLocations(ctx, unitsCover(ctx, pools), pools);
    if (better(fromUnits, searched)) searched = fromUnits;
  }
  // The greedy fill misjudges sets (see polish in heuristic-fill.ts): the search goes on, polished.
  const refined = searchLocations(ctx, searched.plan.map((a) => a.candidate), pools, true);
  if (better(refined, searched)) searched = refined;
  const fromGreedy = improve(ctx, better(searched, evaluatePlan(ctx, start)) ? searched.plan : start, pools.swap);
  const groups = groupItems(network, items);
  const fromGroups = improve(ctx, groupedPlan(network, items, groups), pools.swap);
  const final = [fromGroups, fromGreedy].reduce((a, b) => (better(b, a) ? b : a));
  const allocations = final.plan;
  const lowerBound = final.units < ctx.servable ? -Infinity : groupBound(network, items, groups);
  return {
    allocations: allocations.map((a) => ({ candidate: a.candidate, quantities: Array.from(a.q) })),
    optimal: lowerBound >= final.cost,
    lowerBound,
    method: 'heuristic',
  };
}

function greedyCover(ctx: Context): Working[] {
  const { network, items, avail, skuOf } = ctx;
  const n = network.candidates.length;
  const K = items.length;
  const left = Float64Array.from(items, (it) => it.quantity);
  const used = new Uint8Array(n);
  const take = new Float64Array(K);
  const skuTaken = new Float64Array(ctx.skuCount);
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
      const score = (network.fixed[c]! + shipOf(network, c, weight) + network.splitPenalty) / units;
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

/**
 * Greedy maximum coverage, once from each of the first UNITS_STARTS locations of the pair pool (the
 * first pick decides much: the location giving most units alone may not belong to any best set): up
 * to the shipment limit, the pool's location adding the most units (then the cheapest). The best set.
 */
function unitsCover(ctx: Context, pools: Pools): number[] {
  let best: Evaluated | undefined;
  let bestOpen: number[] = [];
  for (const first of pools.pair.slice(0, UNITS_STARTS)) {
    let open = [first];
    let current = fill(ctx, open);
    while (open.length < ctx.network.maxShipments) {
      let step = current;
      let stepOpen = open;
      for (const c of pools.swap) {
        if (open.includes(c)) continue;
        const next = [...open, c].sort((a, b) => a - b);
        const e = fill(ctx, next);
        if (better(e, step)) {
          step = e;
          stepOpen = next;
        }
      }
      if (step.units === current.units) break;
      current = step;
      open = stepOpen;
    }
    if (!best || better(current, best)) {
      best = current;
      bestOpen = open;
    }
  }
  return bestOpen;
}

/** The first SHORT_HOLDERS locations of the pool able to give some unit of an item the plan leaves short. */
function shortHolders(ctx: Context, plan: Evaluated, pool: readonly number[]): number[] {
  const { items } = ctx;
  const K = items.length;
  const served = new Float64Array(K);
  for (const a of plan.plan) for (let i = 0; i < K; i++) served[i] = served[i]! + a.q[i]!;
  const holders: number[] = [];
  for (const c of pool) {
    if (holders.length === SHORT_HOLDERS) break;
    for (let i = 0; i < K; i++) {
      if (served[i]! < items[i]!.quantity && couldGive(ctx, c, i)) {
        holders.push(c);
        break;
      }
    }
  }
  return holders;
}

interface Pools {
  /** The locations worth opening: lowest fixed cost per unit they could give. */
  swap: number[];
  /** The locations able to give the most units, for the search's double swaps. */
  pair: number[];
}

function locationPools(ctx: Context): Pools {
  const { network, items } = ctx;
  const K = items.length;
  const pool: { c: number; score: number; units: number }[] = [];
  for (let c = 0; c < network.candidates.length; c++) {
    let units = 0;
    for (let i = 0; i < K; i++) if (couldGive(ctx, c, i)) units += items[i]!.quantity;
    if (units > 0) pool.push({ c, score: (network.fixed[c]! + network.splitPenalty) / units, units: Math.min(units, network.capacity[c]!) });
  }
  const pair = [...pool].sort((a, b) => b.units - a.units || a.c - b.c).slice(0, PAIR_POOL).map((p) => p.c);
  pool.sort((a, b) => a.score - b.score || a.c - b.c);
  return { swap: pool.slice(0, SWAP_POOL).map((p) => p.c), pair };
}

/**
 * Add / drop / swap open locations (best move per round) among the swap pool. When no such move helps
 * and the plan is short at the shipment limit, two open locations are also swapped for two of the pair
 * pool: serving more units may take two new locations at once (one alone cannot take the items the
 * closed one gave and those still short), which single swaps, judged by units first, never reach.
 * `polished`: every set is judged by its polished fill, and when no single move helps, two open
 * locations are swapped for two of the DOUBLE_POOL closed ones with the best single swap (units, then
 * cost): none of the two pays alone, as when the optimum ships from other locations altogether.
 */
function searchLocations(ctx: Context, start: number[], pools: Pools, polished = false): Evaluated {
  const { network } = ctx;
  // The pools' union, the pair pool first: where a double swap looks for a short item's holder and its partner.
  const pairable = [...new Set([...pools.pair, ...pools.swap])];
  let open = [...start].sort((a, b) => a - b);
  let current = fill(ctx, open, polished);
  for (let round = 0; round < MAX_LOCATION_ROUNDS; round++) {
    let best = current;
    let bestOpen = open;
    const tryOpen = (next: number[]): Evaluated => {
      const e = fill(ctx, next, polished);
      if (better(e, best)) {
        best = e;
        bestOpen = next;
      }
      return e;
    };
    for (const c of open) tryOpen(open.filter((x) => x !== c));
    const closed = pools.swap.filter((c) => !open.includes(c));
    if (open.length < network.maxShipments) for (const c of closed) tryOpen([...open, c].sort((a, b) => a - b));
    // Each closed location's best single swap (units first, as `better`): the double swaps' partners.
    const swapped = new Map<number, Evaluated>();
    for (const out of open) {
      for (const c of closed) {
        const e = tryOpen([...open.filter((x) => x !== out), c].sort((a, b) => a - b));
        const known = swapped.get(c);
        if (!known || better(e, known)) swapped.set(c, e);
      }
    }
    if (polished && best === current && open.length >= 2) {
      const partners = [...swapped]
        .sort(([c, a], [d, b]) => b.units - a.units || a.cost - b.cost || c - d)
        .slice(0, DOUBLE_POOL)
        .map(([c]) => c);
      for (let x = 0; x < open.length; x++) {
        for (let y = x + 1; y < open.length; y++) {
          const rest = open.filter((_, k) => k !== x && k !== y);
          for (let u = 0; u < partners.length; u++) for (let v = u + 1; v < partners.length; v++) tryOpen([...rest, partners[u]!, partners[v]!].sort((a, b) => a - b));
        }
      }
    }
    if (best === current && current.units < ctx.servable && open.length >= network.maxShipments && open.length >= 2) {
      // One of the two must hold a short item, or no unit more can be served.
      const holders = shortHolders(ctx, current, pairable).filter((c) => !open.includes(c));
      const partners = pairable.filter((c) => !open.includes(c));
      for (let x = 0; x < open.length; x++) {
        for (let y = x + 1; y < open.length; y++) {
          const rest = open.filter((_, k) => k !== x && k !== y);
          for (const u of holders) for (const v of partners) if (u < v || (v !== u && !holders.includes(v))) tryOpen([...rest, u, v].sort((a, b) => a - b));
        }
      }
    }
    if (best === current) break;
    current = best;
    open = bestOpen.filter((c) => best.plan.some((a) => a.candidate === c));
  }
  return current;
}

interface Neighbourhood {
  /** Shipments whose items are all released. */
  shipments: number[];
  /** Items released from every shipment holding them. */
  items: number[];
}

/** Re-sources neighbourhoods exactly, round robin, until a full round finds nothing (or the cap on re-optimisations). */
function improve(ctx: Context, start: Working[], swapPool: readonly number[]): Evaluated {
  let current = evaluatePlan(ctx, start);
  let hoods = neighbourhoods(ctx, current.plan, swapPool);
  let solves = 0;
  for (let pos = 0, failures = 0; failures < hoods.length && solves < MAX_SUBSOLVES; pos++) {
    const next = reoptimise(ctx, current.plan, hoods[pos % hoods.length]!);
    if (next) solves++;
    if (next && better(next, current)) {
      current = next;
      hoods = neighbourhoods(ctx, current.plan, swapPool);
      failures = 0;
    } else {
      failures++;
    }
  }
  return current;
}

/**
 * Pairs and singles of shipments (re-sourced whole), the short items alone, then per promising closed
 * location the items it could give (those of the smallest shipments first, up to the exact limit).
 */
function neighbourhoods(ctx: Context, plan: readonly Working[], swapPool: readonly number[]): Neighbourhood[] {
  const out: Neighbourhood[] = [];
  for (let a = 0; a < plan.length; a++) for (let b = a + 1; b < plan.length; b++) out.push({ shipments: [a, b], items: [] });
  for (let a = 0; a < plan.length; a++) out.push({ shipments: [a], items: [] });
  out.push({ shipments: [], items: [] });
  const { items } = ctx;
  const K = items.length;
  const holder = new Int32Array(K).fill(-1);
  const size = plan.map((a) => a.q.reduce((n, q) => n + (q > 0 ? 1 : 0), 0));
  plan.forEach((a, j) => a.q.forEach((q, i) => q > 0 && (holder[i] = j)));
  const open = new Set(plan.map((a) => a.candidate));
  for (const c of swapPool) {
    if (open.has(c)) continue;
    const can = items
      .map((_, i) => i)
      .filter((i) => couldGive(ctx, c, i))
      .sort((x, y) => (holder[x]! < 0 ? -1 : size[holder[x]!]!) - (holder[y]! < 0 ? -1 : size[holder[y]!]!) || x - y);
    const chosen: number[] = [];
    for (const i of can) {
      const sz = spaceSize([...chosen, i].map((x) => items[x]!));
      if (sz.states > NEIGHBOURHOOD_STATES) break;
      chosen.push(i);
    }
    if (chosen.length > 0) out.push({ shipments: [], items: chosen });
  }
  return out;
}

/**
 * Releases a neighbourhood (plus whatever is short) and sources it exactly: on free locations, or added
 * to a kept shipment (its ATP and capacity reduced by what it keeps, its weight as a base, no new
 * handling or split). Returns the resulting plan, or undefined when it does not fit the exact limit or
 * breaks the shipment limit.
 */
function reoptimise(ctx: Context, plan: readonly Working[], hood: Neighbourhood): Evaluated | undefined {
  const { network, items } = ctx;
  const K = items.length;
  const kept = plan.map((a) => a.q.slice());
  for (const j of hood.shipments) kept[j]!.fill(0);
  for (const i of hood.items) for (const q of kept) q[i] = 0;
  const released = Float64Array.from(items, (it) => it.quantity);
  for (const q of kept) for (let i = 0; i < K; i++) released[i] = released[i]! - q[i]!;
  const index: number[] = [];
  for (let i = 0; i < K; i++) if (released[i]! > 0) index.push(i);
  const subItems = index.map((i) => ({ ...items[i]!, quantity: released[i]! }));
  const size = spaceSize(subItems);
  if (subItems.length === 0 || size.states > EXACT_STATE_LIMIT || size.pairs > EXACT_PAIR_LIMIT) return undefined;

  const shipmentAt = new Map<number, number>();
  plan.forEach((a, j) => {
    if (kept[j]!.some((q) => q > 0)) shipmentAt.set(a.candidate, j);
  });
  // Only locations able to give some released item (on the ATP they had: a kept shipment only lowers it).
  const keep: number[] = [];
  for (let c = 0; c < network.candidates.length; c++) {
    for (const i of index) {
      if (couldGive(ctx, c, i, items[i]!.split ? 1 : released[i]!)) {
        keep.push(c);
        break;
      }
    }
  }
  const sub: Network = {
    ...network,
    candidates: keep.map((c) => network.candidates[c]!),
    tableOf: Int32Array.from(keep, (c) => network.tableOf[c]!),
    fixed: Float64Array.from(keep, (c) => (shipmentAt.has(c) ? -network.splitPenalty : network.fixed[c]!)),
    capacity: Float64Array.from(keep, (c) => network.capacity[c]!),
    baseWeight: new Float64Array(keep.length),
    stock: new Map(),
  };
  keep.forEach((c, k) => {
    const j = shipmentAt.get(c);
    if (j === undefined) return;
    const q = kept[j]!;
    const available = new Map(network.candidates[c]!.available);
    items.forEach((it, i) => {
      if (q[i]! <= 0) return;
      available.set(it.sku, (available.get(it.sku) ?? 0) - q[i]!);
      sub.capacity[k] = sub.capacity[k]! - q[i]!;
      sub.baseWeight![k] = sub.baseWeight![k]! + q[i]! * it.unitWeight;
    });
    sub.candidates[k] = { ...network.candidates[c]!, available };
  });
  const space = buildSpace(sub, subItems);
  const blocks = solveRelaxedMerged(sub, space) ?? boundedSearch(sub, space);
  if (!blocks) return undefined;
  const next = new Map<number, Float64Array>();
  for (const [c, j] of shipmentAt) next.set(c, kept[j]!);
  for (const b of blocks) {
    const c = keep[b.candidate]!;
    const q = next.get(c) ?? new Float64Array(K);
    stateQuantities(space, b.state).forEach((v, j) => (q[index[j]!] = q[index[j]!]! + v));
    next.set(c, q);
  }
  if (next.size > network.maxShipments) return undefined;
  return evaluatePlan(
    ctx,
    [...next].sort((a, b) => a[0] - b[0]).map(([candidate, q]) => ({ candidate, q })),
  );
}

/** The branch-and-bound on a small budget, when merging the relaxed plan's shared locations does not fit. */
function boundedSearch(network: Network, space: Space): Block[] | undefined {
  try {
    return solveExact(network, space, SUB_NODE_BUDGET).blocks;
  } catch (err) {
    if (err instanceof ExactSearchAborted) return undefined;
    throw err;
  }
}
