import type pg from 'pg';
import { runClosedLoop, type LoopResult } from './closed-loop.js';
import type { CpuPerOrder, IdleCpu } from './cpu-meter.js';
import type { HttpLoadResult } from './http-load.js';
import { runOpenLoop, type OpenLoopResult } from './open-loop.js';
import { orderLoad, type IntakeScene, type OrderBody } from './order-intake.js';
import { baselineDoc, type BaselineCart } from './order-intake-sql.js';
import { probeQueries, summariseTraces, type TraceSummary } from './query-probe.js';
import { round } from './stats.js';

/** The one-call baseline's concurrency (PERFORMANCE.md G1: 16). */
export const SQL_CONCURRENCY = 16;
/** The product's actor for the admin key: the baseline writes its rows under the same name. */
const ACTOR = 'key:bootstrap-admin';

/** A closed loop of one `bench_place_order` call per order from a pg Pool, over the carts given. */
export function sqlIntake(pool: pg.Pool, scene: IntakeScene, carts: BaselineCart[], durationMs: number): Promise<LoopResult> {
  let next = 0;
  return runClosedLoop({ concurrency: SQL_CONCURRENCY, durationMs, warmupMs: 0 }, async () => (await placeOrderCall(pool, scene, carts[next++ % carts.length]!)).rowCount === 1);
}

/** One baseline order: `bench_place_order` as a prepared statement, the document dated by the scene's clock. */
function placeOrderCall(pool: pg.Pool, scene: IntakeScene, cart: BaselineCart): Promise<pg.QueryResult> {
  return pool.query({ name: 'bench_place_order', text: 'SELECT bench_place_order($1::jsonb) AS v', values: [baselineDoc(cart, scene.ordo.ctx.clock.now(), ACTOR)] });
}

/**
 * The baseline at a rate: `bench_place_order` calls arriving as a Poisson process at `rate` per second
 * from the pool (SQL_CONCURRENCY connections, the rest queue in the pool), the first `leadInMs` of
 * arrivals reported apart, each latency counted from its arrival: what the machine itself answers at that
 * load with no product in the way, the floor under the product's p99 at the goal's rate.
 */
export function sqlIntakeAtRate(pool: pg.Pool, scene: IntakeScene, carts: BaselineCart[], rate: number, durationMs: number, leadInMs: number): Promise<OpenLoopResult> {
  let next = 0;
  return runOpenLoop({ rate, durationMs, leadInMs }, () => placeOrderCall(pool, scene, carts[next++ % carts.length]!));
}

/** The first error a baseline window met, so a broken baseline says why. */
export const firstError = (windows: ReadonlyArray<object>): string | undefined => windows.map((w) => (w as LoopResult).firstError).find(Boolean);

/** Status codes summed over the product's windows. */
export function statusCodesOf(windows: ReadonlyArray<object>): string {
  const acc: Record<string, number> = {};
  for (const w of windows) for (const [code, n] of Object.entries((w as HttpLoadResult).statusCodes ?? {})) acc[code] = (acc[code] ?? 0) + n;
  return Object.entries(acc).map(([code, n]) => `${code}: ${n}`).join(', ');
}

/** Round trips and statement times of the product's orders, from a window of its own (not part of the ratio). */
export async function traceProductOrders(scene: IntakeScene, bodies: OrderBody[], connections: number, durationS: number): Promise<TraceSummary> {
  const probe = probeQueries(scene.ordo.app.server);
  try {
    await orderLoad(scene, bodies, connections, durationS);
  } finally {
    probe.stop();
  }
  return summariseTraces(probe.traces.filter((t) => t.statements.length > 0));
}

export function traceNotes(label: string, t: TraceSummary, top: number): string[] {
  return [
    `${label}: ${t.roundTripsPerOrder.mean} PostgreSQL round trips per order (min ${t.roundTripsPerOrder.min}, max ${t.roundTripsPerOrder.max}, BEGIN/COMMIT included) over ${t.requests} orders; statement time ${t.dbMsPerOrder} ms of ${t.serverMsPerOrder} ms in the server per order`,
    ...t.steps.slice(0, top).map((s) => `${label} step: ${s.perOrder}x ${s.meanMs} ms (${round(s.shareOfDbTime * 100, 1)} % of statement time) ${s.shape}`),
  ];
}

/** CPU per order of measured sides (`withCpu`): what each costs the server and the database. */
export function cpuNote(sides: Array<[label: string, cpu: CpuPerOrder]>, idle: IdleCpu): string {
  const parts = sides.map(([label, cpu]) => `${label} ${cpu.nodeMs} ms in the Node process + ${cpu.postgresMs} ms in the database's PostgreSQL backends`);
  return (
    `CPU per order over the measured windows and the background consumers' catch-up after each (a side's events, e-mails included, are consumed by the deployed Ordo, partly after its window at full load): ${parts.join('; ')} (the Node processes are Ordo's, with its background tasks, and the bench's own, the baseline's driver; ` +
    `the load generator is not counted; the idle rate, ${idle.nodeMsPerS} + ${idle.postgresMsPerS} ms/s of polling, is subtracted)`
  );
}
