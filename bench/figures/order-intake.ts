import os from 'node:os';
import { abba } from '../lib/abba.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { idleCpu, machineCoresBusySince, machineCpu, meanCpu, withCpu } from '../lib/cpu-meter.js';
import { cpuNote, firstError, SQL_CONCURRENCY, sqlIntake, sqlIntakeAtRate, statusCodesOf, traceNotes, traceProductOrders } from '../lib/intake-drivers.js';
import { auditStock, meanLag, openIntakeScene, ORDER_LINES, orderBodies, orderLoad, settle, settled } from '../lib/order-intake.js';
import { PLACE_ORDER_FUNCTION, sourceCarts } from '../lib/order-intake-sql.js';
import { hasRoute } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';
import { round } from '../lib/stats.js';

const HTTP_CONNECTIONS = 32;
const P99_AIM_MS = 50;
/** The goal's rate: seconds of arrivals measured, after a lead-in (full mode; 2 and 1 in --quick). */
const GOAL_WINDOW_S = 10;
const GOAL_LEAD_IN_S = 3;

/**
 * G1: POST /v1/orders (3-line shipped orders, promise engine over the large network, unique
 * Idempotency-Keys) through the real server at 32 connections, vs the same orders written by one
 * PL/pgSQL call each (`bench_place_order`, same rows, same tables) from a pg Pool of 16, A-B-B-A.
 */
export async function orderIntakeFigure(env: BenchEnv): Promise<FigureResult> {
  const id = 'order-intake';
  const title = 'order intake: POST /v1/orders vs one PL/pgSQL call per order';
  const scene = await openIntakeScene(env);
  try {
    if (!hasRoute(scene.ordo.app, 'POST', '/v1/orders')) {
      return { id, title, goal: 'G1', status: 'not_available', reason: 'POST /v1/orders is not registered by buildApp yet', notes: [] };
    }
    const admin = scene.bench.pool(2);
    await admin.query(PLACE_ORDER_FUNCTION);
    const bodies = orderBodies(scene, env.quick ? 256 : 1024, { hot: false, seed: 1 });
    const deps = { db: scene.bench.database.db, clock: scene.ordo.ctx.clock, availability: scene.ordo.ctx.availability, data: scene.ordo.ctx.promiseData };
    const carts = await sourceCarts(deps, admin, bodies);
    const shipments = carts.map((c) => c.option.shipments.length);
    const fromWarehouses = carts.filter((c) => c.option.shipments.every((s) => scene.warehouses.includes(s.locationId))).length;
    const windowS = env.seconds(5, 2);

    // In process first (a note, and the diagnosis the query probe needs the in-process server for):
    // round trips and where the statement time goes, alone and under load, then one window of one process.
    await orderLoad(scene, bodies, HTTP_CONNECTIONS, env.warmupS);
    const alone = await traceProductOrders(scene, bodies, 1, env.seconds(2, 1));
    await settle(admin);
    const loaded = await traceProductOrders(scene, bodies, HTTP_CONNECTIONS, env.seconds(2, 1));
    await settle(admin);
    const oneProcess = await settled(admin, () => orderLoad(scene, bodies, HTTP_CONNECTIONS, windowS));

    // The headline: Ordo as deployed on this box (its own processes, deploymentFor) against the baseline.
    const deployment = await scene.deploy();
    const pool = scene.bench.pool(SQL_CONCURRENCY);
    await sqlIntake(pool, scene, carts, env.warmupS * 1000);
    await orderLoad(scene, bodies, HTTP_CONNECTIONS, env.warmupS);
    await settle(admin);
    // The idle rate (polling) once the workers are warm and the warm-up's events consumed.
    const idle = await idleCpu(scene.bench.name, 2000, scene.nodeCpuMs);
    const { baseline, product } = await abba(
      () => withCpu(scene.bench.name, idle, () => settled(admin, () => sqlIntake(pool, scene, carts, windowS * 1000)), scene.nodeCpuMs),
      () => withCpu(scene.bench.name, idle, () => settled(admin, () => orderLoad(scene, bodies, HTTP_CONNECTIONS, windowS)), scene.nodeCpuMs),
    );
    const [productCpu, baselineCpu] = [meanCpu(product.windows), meanCpu(baseline.windows)];
    // "p99 at that load": the orders arriving at the goal's rate (half the baseline's), not as fast as answered,
    // in steady state: the window follows a checkpoint (settle), after which every page an order first
    // writes goes to the WAL whole, so the lead-in's arrivals are sent the same way but reported apart.
    const goalRate = Math.max(1, Math.round(0.5 * baseline.rate));
    const [goalLeadInS, goalWindowS] = [env.seconds(GOAL_LEAD_IN_S, 1), env.seconds(GOAL_WINDOW_S, 2)];
    // The same arrivals as one-call SQL orders first: what this machine answers at that load with no product in the way.
    const baselineAtGoal = await settled(admin, () => sqlIntakeAtRate(pool, scene, carts, goalRate, goalWindowS * 1000, goalLeadInS * 1000));
    await pool.end();
    const machine = machineCpu();
    const atGoal = await withCpu(
      scene.bench.name,
      idle,
      () =>
        settled(admin, async () => {
          const load = await orderLoad(scene, bodies, HTTP_CONNECTIONS, goalWindowS, goalRate, { leadInS: goalLeadInS });
          return { ...load, machineCoresBusy: machineCoresBusySince(machine, os.cpus().length) };
        }),
      scene.nodeCpuMs,
      (load) => load.ok + (load.leadIn?.ok ?? 0),
    );
    const leadIn = atGoal.leadIn!;
    const audit = await auditStock(scene, admin);
    const baselineError = firstError([...baseline.windows, baselineAtGoal]);
    const baselineFailed = baseline.failed + baselineAtGoal.failed + baselineAtGoal.leadIn.failed;
    return measuredFigure({
      id,
      title,
      goal: 'G1',
      product: { label: `POST /v1/orders (${ORDER_LINES} lines, ship standard), ${HTTP_CONNECTIONS} connections, ${deployment.workers} HTTP worker process(es) with a pool of ${deployment.poolSize} (Ordo as deployed on this box)`, rate: product.rate, unit: 'orders/s', p50Ms: product.p50Ms, p99Ms: product.p99Ms, details: { ...product } },
      baseline: { label: `SELECT bench_place_order(doc) (the same rows in one PL/pgSQL call), pg Pool of ${SQL_CONCURRENCY}`, rate: baseline.rate, unit: 'orders/s', p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms, details: { ...baseline, atGoalRate: baselineAtGoal } },
      minRatio: 0.5,
      checks: [
        { name: `product p99 with orders arriving at the goal's rate (0.5 x baseline = ${goalRate} orders/s, Poisson arrivals, latency from arrival, ${goalWindowS} s after a lead-in of ${goalLeadInS} s; ${atGoal.rate} answered/s)`, value: atGoal.p99Ms, aim: `<= ${P99_AIM_MS} ms`, pass: atGoal.p99Ms <= P99_AIM_MS },
        { name: 'failed product requests (non-2xx, errors, timeouts)', value: product.failed + atGoal.failed + leadIn.failed, aim: '= 0', pass: product.failed + atGoal.failed + leadIn.failed === 0 },
        { name: 'failed baseline calls', value: `${baselineFailed}${baselineError ? ` (${baselineError})` : ''}`, aim: '= 0', pass: baselineFailed === 0 },
        { name: 'inventory invariant (checkInventory drift: ledger, reserved, holds + allocations)', value: `${audit.drift} of ${audit.checkedPositions} positions`, aim: '= 0', pass: audit.drift === 0 },
        { name: 'oversold positions (reserved > on hand - safety stock)', value: audit.oversold, aim: '= 0', pass: audit.oversold === 0 },
      ],
      notes: [
        `stretch aim (PERFORMANCE.md G1): ratio >= 0.65`,
        `latency: at ${HTTP_CONNECTIONS} connections as fast as answered (the throughput windows) p50 ${product.p50Ms} ms, p99 ${product.p99Ms} ms (queueing: ${HTTP_CONNECTIONS} requests in flight at ${product.rate} orders/s wait ~${Math.round((HTTP_CONNECTIONS / Math.max(product.rate, 1e-3)) * 1000)} ms on average); at the goal's rate (${goalRate} orders/s offered) p50 ${atGoal.p50Ms} ms, p99 ${atGoal.p99Ms} ms; ` +
          `its lead-in, the ${leadIn.requestsTotal} orders arriving in the ${goalLeadInS} s after the checkpoint (same load, not in that p99): p50 ${leadIn.p50Ms} ms, p99 ${leadIn.p99Ms} ms, max ${leadIn.maxMs} ms`,
        `the one-call baseline at the goal's rate (the same Poisson arrivals of bench_place_order calls from the pool of ${SQL_CONCURRENCY}, latency from arrival, same lead-in and window, just before the product's; the floor this machine sets under that p99): ` +
          `${baselineAtGoal.rate} answered/s, p50 ${baselineAtGoal.p50Ms} ms, p99 ${baselineAtGoal.p99Ms} ms, max ${baselineAtGoal.maxMs} ms; lead-in p50 ${baselineAtGoal.leadIn.p50Ms} ms, p99 ${baselineAtGoal.leadIn.p99Ms} ms`,
        `product status codes: ${statusCodesOf(product.windows)}; ${audit.orders} orders in the database after every window (baseline, product, warm-ups, probes and the one-process window)`,
        cpuNote([['product', productCpu], ['baseline', baselineCpu]], idle),
        `at the goal's rate (lead-in included): ${atGoal.machineCoresBusy} of the machine's ${os.cpus().length} CPUs busy (every process: Ordo, PostgreSQL, the load generator); CPU per order ${atGoal.cpuPerOrder.nodeMs} ms in the Node processes + ${atGoal.cpuPerOrder.postgresMs} ms in PostgreSQL, its events' consumption included`,
        `one process (the in-process instance, ORDO_WORKERS=1, one window before the headline): ${oneProcess.rate} orders/s, p50 ${oneProcess.p50Ms} ms, p99 ${oneProcess.p99Ms} ms, status codes ${statusCodesOf([oneProcess])}; ` +
          `one event loop at ${productCpu.nodeMs} ms of Node CPU per order takes at most ~${Math.round(1000 / Math.max(productCpu.nodeMs, 1e-3))} orders/s, against ${productCpu.postgresMs} ms in PostgreSQL, whose CPUs it shares with the load generator (${os.cpus().length} here): the headline runs ${deployment.workers} HTTP worker(s), pool ${deployment.poolSize} (deploymentFor in bench/lib/order-intake.ts)`,
        ...traceNotes('product alone (1 connection)', alone, 8),
        ...traceNotes(`product under load (${HTTP_CONNECTIONS} connections)`, loaded, 12),
        `baseline: 1 round trip per order (the function call; the pg Pool runs it as a prepared statement in autocommit)`,
        `carts: ${bodies.length} distinct ${ORDER_LINES}-line orders (uniform over ${scene.skus.length} SKUs stocked at both warehouses), ship standard to store postal codes, manual payment; the product's sourcing of them: mean ${round(shipments.reduce((a, b) => a + b, 0) / shipments.length, 2)} shipments, ${round((fromWarehouses / carts.length) * 100, 1)} % from warehouses only; the baseline writes exactly that sourcing`,
        `network: generateLargeNetwork (seed 42) ${scene.network.locations} locations x ${scene.network.skus} SKUs (${scene.network.positions} positions), demo carriers, store cut-offs 15:00; warehouse stock topped up to 1e6 and daily pick capacity to 1e8 so nothing sells out in a run; clock pinned to Tuesday 11:00 Paris`,
        `baseline and product interleaved A-B-B-A, windows of ${windowS} s; the deployed Ordo (background tasks on in its leader worker: outbox sequencer, notifications; an availability view per worker) runs during both sides and consumes both sides' events; ` +
          `after each window the bench waits for the consumers to catch up (product: ${meanLag(product.windows)} ms, baseline: ${meanLag(baseline.windows)} ms on average) and checkpoints, so neither side's backlog lands in the other's window`,
      ],
    });
  } finally {
    await scene.close();
  }
}
