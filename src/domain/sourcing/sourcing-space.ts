import { shippingTable, type ShippingTable } from './cost-model.js';
import { scratchFloat64, scratchInt32 } from './scratch.js';
import type { SourcingCandidate, SourcingLine, SourcingPolicy, WeightBand } from './sourcing-types.js';

/**
 * What the optimisers work on: the eligible candidates as arrays, and the order's lines as items.
 * A whole item is a line shipped entirely from one location (or not at all); a split item is a line
 * whose units may be divided between locations (`allowLineSplit` and no single location has them all).
 */

export interface Network {
  /** Eligible candidates (not excluded, able to ship, capacity left), sorted by locationId: ties go to the smallest id. */
  candidates: SourcingCandidate[];
  /** Rate cards deduplicated by content; `tableOf[c]` indexes `tables`. */
  tables: ShippingTable[];
  tableOf: Int32Array;
  /** handling + preference of one shipment. */
  fixed: Float64Array;
  /** Units the candidate can still pick (Infinity when unlimited). */
  capacity: Float64Array;
  splitPenalty: number;
  /** Infinity when unlimited. */
  maxShipments: number;
  /**
   * Weight already in a shipment the candidate makes (the heuristic's sub-problems add items to kept
   * shipments): a block there costs fixed + shipping(base + w) - shipping(base).
   */
  baseWeight?: Float64Array;
  /** ATP per candidate, by SKU, filled on first use (`stockOf`). */
  stock: Map<string, Float64Array>;
}

export interface Item {
  /** Index into the order's lines. */
  line: number;
  split: boolean;
  /** Whole item: the line's quantity; split item: the most units the network can give it. */
  quantity: number;
  unitWeight: number;
  sku: string;
}

const byId = (a: SourcingCandidate, b: SourcingCandidate): number => (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0);

/**
 * Rate cards compiled once per array: callers keep their cards (a promise's quotes are cached, with
 * their rates), and every network built from them would otherwise sort and key them again.
 */
const compiledCards = new WeakMap<readonly WeightBand[], { key: string; table: ShippingTable }>();

function compiledCard(bands: readonly WeightBand[]): { key: string; table: ShippingTable } {
  let card = compiledCards.get(bands);
  if (!card) {
    card = { key: bands.map((b) => `${b.maxWeightGrams}:${b.costMinor}`).join(','), table: shippingTable(bands) };
    compiledCards.set(bands, card);
  }
  return card;
}

/**
 * A cart (or an order) prepared for routing over several candidate sets (`routePrepared`): what the
 * routes share, so each works it out once. The options of one promise draw on the same locations and
 * differ only in carrier costs, lead times and pick capacity: each location's stock of the lines is read
 * from its `available` map once per problem, not once per option.
 */
export interface SourcingProblem {
  readonly lines: readonly SourcingLine[];
  /** The lines' SKUs, each once. */
  readonly skus: readonly string[];
  /** Units of each SKU at each location the cart was prepared over: `units[location * skus.length + k]`. */
  readonly units: readonly number[];
}

export function prepareSourcing(lines: readonly SourcingLine[], locations: readonly ReadonlyMap<string, number>[] = []): SourcingProblem {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const units = new Array<number>(locations.length * skus.length);
  for (let l = 0; l < locations.length; l++) {
    for (let k = 0; k < skus.length; k++) units[l * skus.length + k] = locations[l]!.get(skus[k]!) ?? 0;
  }
  return { lines, skus, units };
}

/** Whether the location (its index among those the cart was prepared over) holds some of the cart. */
export function holdsSome(problem: SourcingProblem, location: number): boolean {
  const K = problem.skus.length;
  for (let k = location * K; k < (location + 1) * K; k++) if (problem.units[k]! > 0) return true;
  return false;
}

/** Candidates of a prepared cart: `at[c]` is candidate c's index among the locations it was prepared over. */
export interface PreparedCandidates {
  problem: SourcingProblem;
  at: readonly number[];
}

/** With prepared candidates, the ATP of the cart's SKUs is copied from the problem (see SourcingProblem). */
export function buildNetwork(candidates: readonly SourcingCandidate[], policy: SourcingPolicy, prepared?: PreparedCandidates): Network {
  const excluded = policy.excludedLocationIds?.length ? new Set(policy.excludedLocationIds) : undefined;
  // Indices of the eligible candidates, in locationId order.
  const order: number[] = [];
  candidates.forEach((c, i) => {
    if (!excluded?.has(c.locationId) && c.shippingBands.length > 0 && (c.capacityLeft === undefined || c.capacityLeft > 0)) order.push(i);
  });
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = byId(candidates[order[i - 1]!]!, candidates[order[i]!]!) < 0;
  if (!sorted) order.sort((a, b) => byId(candidates[a]!, candidates[b]!));
  const eligible = order.map((i) => candidates[i]!);
  for (let i = 1; i < eligible.length; i++) {
    if (eligible[i]!.locationId === eligible[i - 1]!.locationId) throw new RangeError(`candidate ${eligible[i]!.locationId} appears twice`);
  }
  const tables: ShippingTable[] = [];
  const byCard = new Map<readonly WeightBand[], number>();
  const byContent = new Map<string, number>();
  const tableOf = scratchInt32(eligible.length);
  const fixed = scratchFloat64(eligible.length);
  const capacity = scratchFloat64(eligible.length);
  eligible.forEach((c, i) => {
    // Candidates usually share rate-card arrays (one per carrier service and zone): look them up by identity first.
    let t = byCard.get(c.shippingBands);
    if (t === undefined) {
      const card = compiledCard(c.shippingBands);
      t = byContent.get(card.key);
      if (t === undefined) {
        t = tables.push(card.table) - 1;
        byContent.set(card.key, t);
      }
      byCard.set(c.shippingBands, t);
    }
    tableOf[i] = t;
    fixed[i] = c.handlingCostMinor + c.preferenceCostMinor;
    capacity[i] = c.capacityLeft ?? Infinity;
  });
  const maxShipments = policy.maxShipments ?? Infinity;
  const stock = new Map<string, Float64Array>();
  if (prepared) {
    const { skus, units } = prepared.problem;
    const K = skus.length;
    const columns = skus.map(() => scratchFloat64(eligible.length));
    for (let c = 0; c < eligible.length; c++) {
      const from = prepared.at[order[c]!]! * K;
      for (let k = 0; k < K; k++) columns[k]![c] = units[from + k]!;
    }
    for (let k = 0; k < K; k++) stock.set(skus[k]!, columns[k]!);
  }
  return { candidates: eligible, tables, tableOf, fixed, capacity, splitPenalty: policy.splitPenaltyMinor, maxShipments, stock };
}

/** ATP of `sku` at every candidate of the network. */
export function stockOf(network: Network, sku: string): Float64Array {
  let stock = network.stock.get(sku);
  if (!stock) {
    const { candidates } = network;
    stock = scratchFloat64(candidates.length);
    for (let c = 0; c < candidates.length; c++) stock[c] = candidates[c]!.available.get(sku) ?? 0;
    network.stock.set(sku, stock);
  }
  return stock;
}

/** Units of each item one location ships (the optimisers' common answer). */
export interface Allocation {
  candidate: number;
  quantities: number[];
}

export interface Solution {
  allocations: Allocation[];
  optimal: boolean;
  /** Lower bound on the cost of the best plan serving as many units (-Infinity when unknown). */
  lowerBound: number;
  method: string;
}

/** Units of `item` candidate `c` can give on its own (whole items: all or nothing). */
export function itemMaxAt(network: Network, c: number, item: Item): number {
  const room = Math.min(stockOf(network, item.sku)[c]!, network.capacity[c]!);
  return item.split ? Math.min(room, item.quantity) : room >= item.quantity ? item.quantity : 0;
}

/**
 * Items of an order: lines with a positive quantity that can be served at all. A line may be divided
 * only when `splittable(line)` and no single candidate can give it whole; a whole line no candidate can
 * give is left out (it is short).
 */
export function buildItems(lines: readonly SourcingLine[], network: Network, splittable: (index: number) => boolean): Item[] {
  const items: Item[] = [];
  lines.forEach((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 0) throw new RangeError(`line ${line.lineId}: quantity must be a non-negative integer`);
    if (!(line.weightGrams >= 0)) throw new RangeError(`line ${line.lineId}: weight must be >= 0`);
    if (line.quantity === 0) return;
    let wholeSomewhere = false;
    let networkUnits = 0;
    const stock = stockOf(network, line.sku);
    for (let i = 0; i < stock.length; i++) {
      const room = Math.min(stock[i]!, network.capacity[i]!);
      if (room >= line.quantity) wholeSomewhere = true;
      networkUnits += Math.max(0, Math.floor(room));
    }
    const split = !wholeSomewhere && splittable(index);
    const quantity = split ? Math.min(line.quantity, networkUnits) : line.quantity;
    if ((wholeSomewhere || split) && quantity > 0) items.push({ line: index, split, quantity, unitWeight: line.weightGrams, sku: line.sku });
  });
  return items;
}

/** Lines sharing a SKU draw on the same stock: their units together must fit the candidate's ATP. */
export interface SharedSku {
  /** Whole items (bits) and split digits of the SKU. */
  mask: number;
  digits: number[];
  /** Per candidate. */
  available: Float64Array;
}

/**
 * The exact optimiser's state space. A state is a sub-order: a bitmask of whole items (low W bits) and
 * a count per split item (mixed radix above them), so `state = mask + 2^W * countIndex`. Sub-states are
 * digit-wise smaller, and `state - sub` is then the index of the difference.
 */
export interface Space {
  items: Item[];
  whole: number[];
  digits: number[];
  W: number;
  H: number;
  N: number;
  radix: Int32Array;
  stride: Int32Array;
  units: Float64Array;
  weight: Float64Array;
  /** Per count index h: every count index <= h digit-wise, and those that keep h's first non-zero digit. */
  subCounts: Int32Array[];
  firstSubCounts: Int32Array[];
  /** Per candidate: whole items it can give whole, and the count index of the most it can give each split item. */
  cover: Int32Array;
  countMax: Int32Array;
  /** Candidates the relaxation (`bestSingle`) may skip: dominated ones (`dominance.ts`), set by the caller. */
  skip: Uint8Array | undefined;
  shared: SharedSku[];
  /** Sum of a shared SKU's split digits, per count index (parallel to `shared`). */
  sharedCountUnits: Float64Array[];
}

/** States above this are left to the heuristic (2^12 sub-orders: 12 whole lines). */
export const EXACT_STATE_LIMIT = 4096;
/** Sub-order pairs the partition DP may visit (3^12 for 12 whole lines, more with split lines). */
export const EXACT_PAIR_LIMIT = 1_100_000;

export function spaceSize(items: readonly Item[]): { states: number; pairs: number } {
  let states = 1;
  let pairs = 1;
  for (const it of items) {
    const r = it.split ? it.quantity + 1 : 2;
    states *= r;
    pairs *= (r * (r + 1)) / 2;
  }
  return { states, pairs };
}

/**
 * What a space owes to its items' layout alone (not to the network, nor to the weights): the state
 * layout, units per state, sub-state lists and shared SKUs. A promise routes the same cart for every
 * option, and carts of one layout (split or whole, quantities, shared SKUs) come again and again with
 * other weights, so it is built once per layout (`skeletonOf`) and shared read-only (its arrays are never
 * scratch ones: they outlive the call). The weight per state is worked out per space (`stateWeights`).
 */
type Skeleton = Pick<Space, 'whole' | 'digits' | 'W' | 'H' | 'N' | 'radix' | 'stride' | 'units' | 'subCounts' | 'firstSubCounts' | 'sharedCountUnits'> & {
  /** Per SKU held by two items or more: the item of its first line, its whole-item mask and digits. */
  shared: { first: number; mask: number; digits: number[] }[];
};

const SKELETONS_KEPT = 64;
/** Sub-count lists of a space without split items (read-only). */
const ONLY_ZERO = Int32Array.of(0);
const NONE = new Int32Array(0);
const skeletons = new Map<string, Skeleton>();

/**
 * The skeleton of items of this layout: per item, split or whole, quantity and which earlier
 * item shares its SKU (SKUs are told apart, never named: two carts of one shape share a skeleton).
 */
function skeletonOf(items: readonly Item[]): Skeleton {
  // The options of a promise route the same cart in turn: the last shape is checked before any key is made.
  if (last && sameShape(last.items, items)) return last.skeleton;
  let key = '';
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    let first = i;
    for (let j = 0; j < i; j++) {
      if (items[j]!.sku === it.sku) {
        first = j;
        break;
      }
    }
    key += `${it.split ? 's' : 'w'}${it.quantity}:${first},`;
  }
  let skeleton = skeletons.get(key);
  if (!skeleton) {
    if (skeletons.size >= SKELETONS_KEPT) skeletons.clear();
    skeleton = buildSkeleton(items);
    skeletons.set(key, skeleton);
  }
  last = { items, skeleton };
  return skeleton;
}

/** The skeleton of the items routed last (read-only, like every skeleton). */
let last: { items: readonly Item[]; skeleton: Skeleton } | undefined;

/** Same split flags, quantities and SKUs item by item: the same skeleton. */
function sameShape(a: readonly Item[], b: readonly Item[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.split !== y.split || x.quantity !== y.quantity || x.sku !== y.sku) return false;
  }
  return true;
}

function buildSkeleton(items: readonly Item[]): Skeleton {
  const whole: number[] = [];
  const digits: number[] = [];
  items.forEach((it, i) => (it.split ? digits : whole).push(i));
  const W = whole.length;
  const M = 1 << W;
  const radix = digits.length === 0 ? NONE : Int32Array.from(digits, (i) => items[i]!.quantity + 1);
  const stride = digits.length === 0 ? NONE : new Int32Array(digits.length);
  let H = 1;
  digits.forEach((_, j) => {
    stride[j] = H;
    H *= radix[j]!;
  });
  const N = M * H;
  const digitOf = (h: number, j: number): number => Math.floor(h / stride[j]!) % radix[j]!;

  // units per state; with whole items only (H = 1) a state is its mask.
  const units = new Float64Array(N);
  for (let m = 1; m < M; m++) {
    const bit = 31 - Math.clz32(m & -m);
    units[m] = units[m & (m - 1)]! + items[whole[bit]!]!.quantity;
  }
  const subCounts: Int32Array[] = [];
  const firstSubCounts: Int32Array[] = [];
  if (H === 1) {
    subCounts.push(ONLY_ZERO);
    firstSubCounts.push(NONE);
  }
  for (let h = 0; h < H && H > 1; h++) {
    let u = 0;
    digits.forEach((_, j) => {
      u += digitOf(h, j);
    });
    for (let m = 0; m < M && h > 0; m++) units[h * M + m] = units[m]! + u;
    const subs = subIndices(digits.map((_, j) => digitOf(h, j)), stride);
    subCounts.push(Int32Array.from(subs));
    const first = digits.findIndex((_, j) => digitOf(h, j) > 0);
    firstSubCounts.push(Int32Array.from(first < 0 ? [] : subs.filter((g) => digitOf(g, first) > 0)));
  }

  const shared: Skeleton['shared'] = [];
  const sharedCountUnits: Float64Array[] = [];
  items.forEach((it, first) => {
    if (items.findIndex((other) => other.sku === it.sku) !== first) return;
    const members = items.filter((other) => other.sku === it.sku).length;
    if (members < 2) return;
    const mask = whole.reduce((acc, i, bit) => (items[i]!.sku === it.sku ? acc | (1 << bit) : acc), 0);
    const ds = digits.flatMap((i, j) => (items[i]!.sku === it.sku ? [j] : []));
    shared.push({ first, mask, digits: ds });
    const perH = new Float64Array(H);
    for (let h = 0; h < H; h++) perH[h] = ds.reduce((acc, j) => acc + digitOf(h, j), 0);
    sharedCountUnits.push(perH);
  });
  return { whole, digits, W, H, N, radix, stride, units, subCounts, firstSubCounts, shared, sharedCountUnits };
}

/** Weight per state of a space of these items (the same sums, in the same order, as units per state). */
function stateWeights(skeleton: Skeleton, items: readonly Item[]): Float64Array {
  const { whole, digits, W, H, N, radix, stride } = skeleton;
  const M = 1 << W;
  const weight = scratchFloat64(N);
  for (let m = 1; m < M; m++) {
    const it = items[whole[31 - Math.clz32(m & -m)]!]!;
    weight[m] = weight[m & (m - 1)]! + it.quantity * it.unitWeight;
  }
  for (let h = 1; h < H; h++) {
    let w = 0;
    for (let j = 0; j < digits.length; j++) w += (Math.floor(h / stride[j]!) % radix[j]!) * items[digits[j]!]!.unitWeight;
    for (let m = 0; m < M; m++) weight[h * M + m] = weight[m]! + w;
  }
  return weight;
}

/**
 * `maxAt` overrides what a candidate can give of an item (the heuristic's bound builds a relaxed
 * space of item groups this way; their SKUs are unique, so no shared-SKU check applies).
 */
export function buildSpace(network: Network, items: Item[], maxAt?: (c: number, item: Item) => number): Space {
  const skeleton = skeletonOf(items);
  const { whole, digits, W, H, N, radix, stride, units, subCounts, firstSubCounts, sharedCountUnits } = skeleton;
  const weight = stateWeights(skeleton, items);
  const n = network.candidates.length;
  const cover = scratchInt32(n);
  const countMax = scratchInt32(n);
  if (maxAt) {
    for (let c = 0; c < n; c++) {
      let mask = 0;
      let h = 0;
      for (let bit = 0; bit < W; bit++) if (maxAt(c, items[whole[bit]!]!) > 0) mask |= 1 << bit;
      for (let j = 0; j < digits.length; j++) h += maxAt(c, items[digits[j]!]!) * stride[j]!;
      cover[c] = mask;
      countMax[c] = h;
    }
  } else {
    // itemMaxAt, item by item over the candidates (one stock array per item instead of a lookup per pair).
    const { capacity } = network;
    for (let bit = 0; bit < W; bit++) {
      const it = items[whole[bit]!]!;
      const stock = stockOf(network, it.sku);
      for (let c = 0; c < n; c++) if (Math.min(stock[c]!, capacity[c]!) >= it.quantity) cover[c] = cover[c]! | (1 << bit);
    }
    for (let j = 0; j < digits.length; j++) {
      const it = items[digits[j]!]!;
      const stock = stockOf(network, it.sku);
      for (let c = 0; c < n; c++) countMax[c] = countMax[c]! + Math.min(stock[c]!, capacity[c]!, it.quantity) * stride[j]!;
    }
  }
  const shared = skeleton.shared.map((s) => ({ mask: s.mask, digits: s.digits, available: stockOf(network, items[s.first]!.sku) }));
  return { items, whole, digits, W, H, N, radix, stride, units, weight, subCounts, firstSubCounts, cover, countMax, skip: undefined, shared, sharedCountUnits };
}

/** Most blocks a plan of this space can have: one per whole item, one per unit of a split item. */
export function maxBlocks(space: Space): number {
  let blocks = space.whole.length;
  for (const i of space.digits) blocks += space.items[i]!.quantity;
  return blocks;
}

/** Every count index digit-wise <= `top` (an odometer over the digits). */
function subIndices(top: number[], stride: Int32Array): number[] {
  const out: number[] = [];
  const g = new Array<number>(top.length).fill(0);
  let index = 0;
  for (;;) {
    out.push(index);
    let j = 0;
    for (; j < top.length; j++) {
      if (g[j]! < top[j]!) {
        g[j]!++;
        index += stride[j]!;
        break;
      }
      index -= g[j]! * stride[j]!;
      g[j] = 0;
    }
    if (j === top.length) return out;
  }
}

/** Per item, the units a state holds. */
export function stateQuantities(space: Space, state: number): number[] {
  const M = 1 << space.W;
  const mask = state % M;
  const h = Math.floor(state / M);
  const q = new Array<number>(space.items.length).fill(0);
  space.whole.forEach((i, bit) => {
    if (mask & (1 << bit)) q[i] = space.items[i]!.quantity;
  });
  space.digits.forEach((i, j) => {
    q[i] = Math.floor(h / space.stride[j]!) % space.radix[j]!;
  });
  return q;
}
