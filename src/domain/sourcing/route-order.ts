import { alternativesFor } from './baselines.js';
import { planCost, shipmentCost, type WeighedLine } from './cost-model.js';
import { dominatedCandidates } from './dominance.js';
import { ExactSearchAborted, solveExact } from './exact-search.js';
import { solveHeuristic } from './heuristic.js';
import { withScratch } from './scratch.js';
import {
  buildItems,
  buildNetwork,
  buildSpace,
  EXACT_PAIR_LIMIT,
  EXACT_STATE_LIMIT,
  holdsSome,
  prepareSourcing,
  spaceSize,
  stateQuantities,
  stockOf,
  type Item,
  type Network,
  type Solution,
  type PreparedCandidates,
  type SourcingProblem,
} from './sourcing-space.js';
import type { PlannedShipment, Shortfall, SourcingCandidate, SourcingLine, SourcingPlan, SourcingPolicy } from './sourcing-types.js';

/**
 * Where an order (or a cart) is served from: the plan that serves the most units the network can give
 * under the policy and, among those, costs least under the cost model (`cost-model.ts`).
 *
 * Invariants: for every line, assigned + short = ordered; no location gives more than its ATP per SKU
 * or its capacity left; one shipment per location; at most `maxShipments` shipments; with `shipComplete`
 * everything comes from one location or nothing is assigned; excluded locations are never used.
 * Up to 12 lines (4,096 sub-orders, a divisible line counting as its unit counts) the plan is proven
 * optimal, gap 0 (`exact-dp`, or `exact-dp+bb` when a branch-and-bound had to keep locations
 * distinct); above, the `heuristic` (location search and exact re-sourcing of neighbourhoods) reports
 * its gap to a lower bound. Deterministic: ties go to the smallest locationId.
 * A line is divided between locations only with `allowLineSplit` and when no single location can give
 * it whole; otherwise it ships whole or is short whole.
 *
 * Example: Bob's two shirts, the nearest store has one of them, another store both, the warehouse both
 * at a lower parcel price: the plan is one shipment from whichever of the two costs least, with
 * alternatives ("everything from store-2", "each line from the nearest location") and their costs.
 */
export function routeOrder(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy, opts: RouteOptions = {}): SourcingPlan {
  return route(lines, candidates, policy, opts);
}

/**
 * `routeOrder` of a cart prepared once for several routes over candidates drawn from the same locations
 * (a promise routes the cart once per delivery option): the same answer, and the routes skip what they
 * share (see SourcingProblem). `at[c]`: candidate c's index among the locations the cart was prepared
 * over, whose stock stands for the candidate's `available`.
 */
export function routePrepared(problem: SourcingProblem, candidates: readonly SourcingCandidate[], at: readonly number[], policy: SourcingPolicy, opts: RouteOptions = {}): SourcingPlan {
  return route(problem.lines, candidates, policy, opts, { problem, at });
}

function route(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy, opts: RouteOptions, prepared?: PreparedCandidates): SourcingPlan {
  // The optimisers' typed arrays live for this call only (scratch.ts): the plan is plain data.
  return withScratch(() => {
    const network = buildNetwork(candidates, policy, prepared);
    const explain = opts.explain ?? true;
    if (policy.shipComplete) return toPlan(lines, network, buildItems(lines, network, () => false), shipComplete(lines, network), policy, explain);
    const items = buildItems(lines, network, () => policy.allowLineSplit === true);
    return toPlan(lines, network, items, solve(network, items), policy, explain);
  });
}

export { holdsSome, prepareSourcing, type SourcingProblem };

export interface RouteOptions {
  /**
   * Compute the alternatives (default true). They are what an explanation shows, and cost about as much
   * as the optimum itself: a promise computes them only for the option an order or a hold will keep.
   */
  explain?: boolean;
}

/** Exact when the sub-order space is small enough, else the heuristic. */
function solve(network: Network, items: Item[]): Solution {
  const size = spaceSize(items);
  if (size.states <= EXACT_STATE_LIMIT && size.pairs <= EXACT_PAIR_LIMIT) {
    try {
      const space = buildSpace(network, items);
      // Locations that cannot change the optimum are skipped (see dominance.ts).
      space.skip = dominatedCandidates(network, space);
      const exact = solveExact(network, space);
      return {
        allocations: exact.blocks.map((b) => ({ candidate: b.candidate, quantities: stateQuantities(space, b.state) })),
        optimal: exact.optimal,
        lowerBound: exact.lowerBound,
        method: exact.repaired ? 'exact-dp+bb' : 'exact-dp',
      };
    } catch (err) {
      if (!(err instanceof ExactSearchAborted)) throw err;
    }
  }
  return solveHeuristic(network, items);
}

/** Everything from the cheapest single location able to ship all the lines whole, or nothing. */
function shipComplete(lines: readonly SourcingLine[], network: Network): Solution {
  const all = lines.filter((l) => l.quantity > 0);
  const items = buildItems(lines, network, () => false);
  const none: Solution = { allocations: [], optimal: true, lowerBound: 0, method: 'ship-complete' };
  if (items.length !== all.length || all.length === 0 || network.maxShipments < 1) return none;
  const needs = new Map<string, number>();
  for (const it of items) needs.set(it.sku, (needs.get(it.sku) ?? 0) + it.quantity);
  const stocks = [...needs].map(([sku, q]) => [stockOf(network, sku), q] as const);
  const units = items.reduce((acc, it) => acc + it.quantity, 0);
  const everything = weighed(lines, items, items.map((it) => it.quantity));
  let best: { candidate: number; cost: number } | undefined;
  network.candidates.forEach((c, i) => {
    if (units > network.capacity[i]! || stocks.some(([stock, q]) => stock[i]! < q)) return;
    const cost = shipmentCost(c, everything, network.tables[network.tableOf[i]!]).costMinor;
    if (!best || cost < best.cost) best = { candidate: i, cost };
  });
  if (!best) return none;
  const chosen: { candidate: number; cost: number } = best;
  return { allocations: [{ candidate: chosen.candidate, quantities: items.map((it) => it.quantity) }], optimal: true, lowerBound: chosen.cost, method: 'ship-complete' };
}

function weighed(lines: readonly SourcingLine[], items: readonly Item[], quantities: readonly number[]): WeighedLine[] {
  const weighedLines: WeighedLine[] = [];
  for (let i = 0; i < items.length; i++) {
    const q = quantities[i]!;
    if (q <= 0) continue;
    const line = lines[items[i]!.line]!;
    weighedLines.push({ lineId: line.lineId, sku: line.sku, quantity: q, unitWeightGrams: line.weightGrams });
  }
  return weighedLines;
}

/** The plan of a solution, every cost recomputed from the cost model. */
function toPlan(lines: readonly SourcingLine[], network: Network, items: Item[], solution: Solution, policy: SourcingPolicy, explain: boolean): SourcingPlan {
  const assigned = new Array<number>(lines.length).fill(0);
  const shipments: PlannedShipment[] = [...solution.allocations]
    .sort((a, b) => a.candidate - b.candidate)
    .map((a) => {
      // Items are in line order, so the shipment's lines are too.
      a.quantities.forEach((q, i) => {
        assigned[items[i]!.line]! += q;
      });
      return shipmentCost(network.candidates[a.candidate]!, weighed(lines, items, a.quantities), network.tables[network.tableOf[a.candidate]!]);
    });
  const shortfalls: Shortfall[] = [];
  lines.forEach((line, i) => {
    const short = line.quantity - assigned[i]!;
    if (short > 0) shortfalls.push({ lineId: line.lineId, sku: line.sku, quantity: short });
  });
  const totalCostMinor = planCost(shipments, policy.splitPenaltyMinor);
  // A lower bound of -Infinity means none is known (the heuristic served fewer units than it might).
  const excess = totalCostMinor - solution.lowerBound;
  const gap = solution.optimal || excess <= 0 ? 0 : totalCostMinor !== 0 ? Math.min(1, excess / Math.abs(totalCostMinor)) : 1;
  return {
    shipments,
    shortfalls,
    totalCostMinor,
    optimal: solution.optimal,
    gap,
    alternatives: explain ? alternativesFor(lines, network, shipments, policy) : [],
    method: solution.method,
  };
}
