import { planCost, shipmentCost } from './cost-model.js';
import type { AssignedLine, SourcingCandidate, SourcingLine, SourcingPolicy } from './sourcing-types.js';

/**
 * Which plans of a batch re-optimisation are kept (G6). The batch (batch-reoptimise.ts) proposes a plan
 * for every held unit (an order, or the orders of one customer to one address that would ship merged);
 * a proposal is kept only where it lowers that unit's cost or its number of shipments. Units that trade
 * stock (one gives up the units at a location another takes) are judged together: the two-order swap
 * where the first pays a little more so the second ships complete is kept when both together cost less
 * and neither ships more parcels. Pure: costs come from the one cost model (cost-model.ts).
 */

/** Lines per location. */
export type PlanByLocation = ReadonlyMap<string, readonly AssignedLine[]>;

export interface ReplanUnit {
  id: string;
  /** The unit's lines (their ids are the plan lines' ids), with weights. */
  lines: readonly SourcingLine[];
  /** Rate cards and handling to the unit's destination. */
  candidates: readonly SourcingCandidate[];
  policy: SourcingPolicy;
  current: PlanByLocation;
  proposed: PlanByLocation;
}

export interface PlanCost {
  costMinor: number;
  shipments: number;
}

export interface ReplanChoice {
  /** Units whose proposals are applied together (they exchange stock). */
  unitIds: string[];
  before: PlanCost;
  after: PlanCost;
  perUnit: Map<string, { before: PlanCost; after: PlanCost }>;
}

/** A plan's cost under the cost model; undefined when a location of it is not a candidate (cannot ship there now). */
export function costOfPlan(unit: Pick<ReplanUnit, 'lines' | 'candidates' | 'policy'>, plan: PlanByLocation): PlanCost | undefined {
  const weight = new Map(unit.lines.map((l) => [l.lineId, l.weightGrams]));
  const shipments = [];
  for (const [locationId, lines] of plan) {
    if (lines.length === 0) continue;
    const candidate = unit.candidates.find((c) => c.locationId === locationId);
    if (!candidate || candidate.shippingBands.length === 0) return undefined;
    shipments.push(shipmentCost(candidate, lines.map((l) => ({ ...l, unitWeightGrams: weight.get(l.lineId) ?? 0 }))));
  }
  return { costMinor: planCost(shipments, unit.policy.splitPenaltyMinor), shipments: shipments.length };
}

/** Units per `location/sku` (lines of one SKU added up). */
function unitsAt(plan: PlanByLocation): Map<string, number> {
  const out = new Map<string, number>();
  for (const [locationId, lines] of plan) for (const l of lines) out.set(`${locationId}/${l.sku}`, (out.get(`${locationId}/${l.sku}`) ?? 0) + l.quantity);
  return out;
}

/** The stock positions whose units the proposal moves (taken or given up). */
export function changedPositions(current: PlanByLocation, proposed: PlanByLocation): string[] {
  const before = unitsAt(current);
  const after = unitsAt(proposed);
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => (before.get(k) ?? 0) !== (after.get(k) ?? 0)).sort();
}

const better = (after: PlanCost, before: PlanCost): boolean =>
  after.costMinor < before.costMinor || (after.costMinor === before.costMinor && after.shipments < before.shipments);

/**
 * The proposals to apply, grouped by the stock they exchange: units that move units of a common stock
 * position form one group. A group is kept when, together, it costs less (or as much with fewer
 * shipments) and none of its units ships more parcels than before; a unit alone must itself be better.
 * Proposals that move nothing (the same units from the same places) or cannot be costed are dropped.
 */
export function chooseReplans(units: readonly ReplanUnit[]): ReplanChoice[] {
  const changed = units
    .map((u) => ({ u, before: costOfPlan(u, u.current), after: costOfPlan(u, u.proposed), keys: changedPositions(u.current, u.proposed) }))
    .filter((x): x is typeof x & { before: PlanCost; after: PlanCost } => x.before !== undefined && x.after !== undefined && x.keys.length > 0);
  // Union-find over shared stock positions.
  const parent = changed.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  changed.forEach((x, i) => {
    for (const k of x.keys) {
      const o = owner.get(k);
      if (o === undefined) owner.set(k, i);
      else parent[find(i)] = find(o);
    }
  });
  const groups = new Map<number, typeof changed>();
  changed.forEach((x, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), x]));
  const kept: ReplanChoice[] = [];
  for (const group of groups.values()) {
    const before = sum(group.map((x) => x.before));
    const after = sum(group.map((x) => x.after));
    if (!better(after, before) || group.some((x) => x.after.shipments > x.before.shipments)) continue;
    kept.push({ unitIds: group.map((x) => x.u.id), before, after, perUnit: new Map(group.map((x) => [x.u.id, { before: x.before, after: x.after }])) });
  }
  return kept;
}

function sum(costs: readonly PlanCost[]): PlanCost {
  return costs.reduce((a, c) => ({ costMinor: a.costMinor + c.costMinor, shipments: a.shipments + c.shipments }), { costMinor: 0, shipments: 0 });
}
