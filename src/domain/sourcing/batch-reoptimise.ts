import { fmt, linear, lpText, orderTerms, stockRows, type LocationUse } from './milp-model.js';
import type { AssignedLine, SourcingCandidate, SourcingLine, SourcingPolicy } from './sourcing-types.js';

/**
 * Re-optimisation of held orders together (G6): orders sourced one by one as they arrived compete for
 * the same stock, so an early order can take the unit a later one needed to ship complete. Before
 * release, the held orders are re-planned jointly as one MILP for a general solver (HiGHS): the least
 * total cost (every shipment's handling, parcels, preference and split penalty) such that every order
 * serves at least the units its current plan serves, and, per location, all orders together stay
 * within the shared ATP (stock free now plus the units these orders hold) and the capacity left.
 * The caller keeps a new plan only where it lowers that order's cost or shipments.
 */

export interface HeldOrder {
  orderId: string;
  lines: SourcingLine[];
  /** Its candidates (rate cards to its destination, its policy's exclusions); their ATP is ignored here. */
  candidates: SourcingCandidate[];
  policy: SourcingPolicy;
  /** Units its current plan serves: the new plan may not serve fewer. */
  servedUnits: number;
}

/** Shared stock of one location for the batch: ATP now plus what the held orders hold there. */
export interface PooledStock {
  locationId: string;
  available: ReadonlyMap<string, number>;
  capacityLeft?: number;
}

export interface BatchMilp {
  lp: string;
  /** Add to the solver's objective: each order's first shipment pays no split penalty. */
  objectiveOffset: number;
  unitVariables: { name: string; orderIndex: number; lineIndex: number; locationId: string; unitsPerValue: number }[];
}

export function buildBatchMilp(orders: readonly HeldOrder[], pool: readonly PooledStock[]): BatchMilp {
  const stock = new Map(pool.map((p) => [p.locationId, p]));
  const none: PooledStock = { locationId: '', available: new Map(), capacityLeft: 0 };
  const rows: string[] = [];
  const objective: [number, string][] = [];
  const uses: LocationUse[] = [];
  const vars = { bounds: [] as string[], generals: [] as string[], binaries: [] as string[] };
  const unitVariables: BatchMilp['unitVariables'] = [];
  let objectiveOffset = 0;
  orders.forEach((order, o) => {
    // Each order sees the pooled stock (the joint rows below keep the sum within it).
    const candidates = order.candidates.map((c): SourcingCandidate => {
      const s = stock.get(c.locationId) ?? none;
      const pooled: SourcingCandidate = { ...c, available: s.available };
      if (s.capacityLeft === undefined) delete pooled.capacityLeft;
      else pooled.capacityLeft = s.capacityLeft;
      return pooled;
    });
    const t = orderTerms(`o${o}_`, order.lines, candidates, order.policy);
    rows.push(...t.rows);
    objective.push(...t.objective);
    uses.push(...t.uses);
    vars.bounds.push(...t.bounds);
    vars.generals.push(...t.generals);
    vars.binaries.push(...t.binaries);
    unitVariables.push(...t.unitVariables.map((v) => ({ ...v, orderIndex: o })));
    if (order.servedUnits > 0) {
      rows.push(`served_o${o}: ${linear(t.units)} >= ${fmt(order.servedUnits)}`);
      objectiveOffset -= order.policy.splitPenaltyMinor;
    }
  });
  rows.push(...stockRows(uses, (id) => stock.get(id) ?? none));
  return { lp: lpText('Minimize', objective, rows, vars), objectiveOffset, unitVariables };
}

/** The batch solution as each order's lines per location (solver column values by name). */
export function readBatchSolution(
  model: BatchMilp,
  orders: readonly HeldOrder[],
  columns: Readonly<Record<string, { Primal: number }>>,
): Map<string, AssignedLine[]>[] {
  const plans = orders.map(() => new Map<string, AssignedLine[]>());
  for (const v of model.unitVariables) {
    const value = Math.round(columns[v.name]?.Primal ?? 0);
    if (value <= 0) continue;
    const line = orders[v.orderIndex]!.lines[v.lineIndex]!;
    const plan = plans[v.orderIndex]!;
    plan.set(v.locationId, [...(plan.get(v.locationId) ?? []), { lineId: line.lineId, sku: line.sku, quantity: value * v.unitsPerValue }]);
  }
  return plans;
}
