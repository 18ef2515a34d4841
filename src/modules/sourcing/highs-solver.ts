import highsModule, { type Highs } from 'highs';
import { buildBatchMilp, readBatchSolution, type HeldOrder, type PooledStock } from '../../domain/sourcing/batch-reoptimise.js';
import type { AssignedLine } from '../../domain/sourcing/sourcing-types.js';

/** A new HiGHS instance. The package's declarations are CommonJS-flavoured: under NodeNext the default import types as the module. */
export const loadHighs = highsModule as unknown as () => Promise<Highs>;
let instance: Promise<Highs> | undefined;

export type BatchSolution = { status: 'optimal'; plans: Map<string, AssignedLine[]>[]; objectiveMinor: number; millis: number } | { status: 'not_solved'; reason: string; millis: number };

/**
 * Solves the joint re-plan of held orders (buildBatchMilp) with HiGHS (WASM, loaded once per process),
 * within `timeLimitMs`. Anything but a proven optimum (time limit, infeasible, a solver error) answers
 * not_solved: the caller keeps every plan as it is. A failed instance is dropped (the WASM module is not
 * reliable after an abort) and loaded again next time.
 */
export async function solveBatch(orders: readonly HeldOrder[], pool: readonly PooledStock[], timeLimitMs: number, now: () => number = Date.now): Promise<BatchSolution> {
  const started = now();
  const millis = () => now() - started;
  try {
    instance ??= loadHighs();
    const highs = await instance;
    const model = buildBatchMilp(orders, pool);
    const result = highs.solve(model.lp, { time_limit: timeLimitMs / 1000, mip_rel_gap: 0, output_flag: false });
    if (result.Status !== 'Optimal') return { status: 'not_solved', reason: String(result.Status), millis: millis() };
    const plans = readBatchSolution(model, orders, result.Columns as Record<string, { Primal: number }>);
    return { status: 'optimal', plans, objectiveMinor: result.ObjectiveValue + model.objectiveOffset, millis: millis() };
  } catch (err) {
    instance = undefined;
    return { status: 'not_solved', reason: err instanceof Error ? err.message : String(err), millis: millis() };
  }
}
