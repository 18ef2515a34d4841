import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighs, milpOptimum } from '../../../test/support/milp-oracle.js';
import { expectValidPlan } from '../../../test/support/sourcing-checks.js';
import { generateInstance } from './instance-generator.js';
import { routeOrder } from './route-order.js';

/**
 * The heuristic's cost against HiGHS's min-cost optimum of the MILP (`milp-model.ts`) on the bench's
 * large orders (16 whole lines x 40 locations, every unit servable). Seeds 9000005 and 9000017 were
 * 3.76 % and 4.15 % dearer than the optimum: the optimum ships from two or three other locations, and
 * the location search judged every set by a greedy fill that overprices a set once weight bands are
 * crossed, and moved one location at a time.
 */

let highs: Highs;

beforeAll(async () => {
  highs = await loadHighs();
});

function gapToOptimum(seed: number): number {
  const inst = generateInstance({ lines: 16, candidates: 40, seed, shipCompleteShare: 0, maxShipmentsShare: 0, lineSplitShare: 0, maxQuantity: 2 });
  const plan = routeOrder(inst.lines, inst.candidates, inst.policy, { explain: false });
  expectValidPlan(inst.lines, inst.candidates, inst.policy, plan);
  expect(plan.method).toBe('heuristic');
  expect(plan.shortfalls).toEqual([]);
  const optimum = milpOptimum(highs, inst);
  expect(optimum.units).toBe(inst.lines.reduce((acc, l) => acc + l.quantity, 0));
  return plan.totalCostMinor / optimum.cost - 1;
}

describe('heuristic cost within 1 % of the MILP optimum (HiGHS min-cost oracle)', () => {
  it('seeds 9000005 and 9000017 (3.76 % and 4.15 % before the polished location search)', { timeout: 120_000 }, () => {
    expect(gapToOptimum(9_000_005)).toBeLessThanOrEqual(0.01);
    expect(gapToOptimum(9_000_017)).toBeLessThanOrEqual(0.01);
  });
});
