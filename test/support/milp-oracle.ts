import type { Highs } from 'highs';
import type { SourcingInstance } from '../../src/domain/sourcing/instance-generator.js';
import { buildSourcingMilp } from '../../src/domain/sourcing/milp-model.js';

export { loadHighs } from '../../src/modules/sourcing/highs-solver.js';

const OPTIONS = { mip_rel_gap: 0, output_flag: false } as const;

/**
 * HiGHS's optimum of the independent formulation of `milp-model.ts` for a sourcing instance, the way
 * `routeOrder` ranks plans: the most units first, then the least cost for those units.
 */
export function milpOptimum(highs: Highs, inst: SourcingInstance): { units: number; cost: number } {
  const phase1 = highs.solve(buildSourcingMilp(inst.lines, inst.candidates, inst.policy, { kind: 'max-units' }).lp, OPTIONS);
  if (phase1.Status !== 'Optimal') throw new Error(`HiGHS max-units: ${phase1.Status}`);
  const units = Math.round(phase1.ObjectiveValue);
  if (units === 0) return { units, cost: 0 };
  const model = buildSourcingMilp(inst.lines, inst.candidates, inst.policy, { kind: 'min-cost', minUnits: units });
  const phase2 = highs.solve(model.lp, OPTIONS);
  if (phase2.Status !== 'Optimal') throw new Error(`HiGHS min-cost: ${phase2.Status}`);
  return { units, cost: phase2.ObjectiveValue + model.objectiveOffset };
}
