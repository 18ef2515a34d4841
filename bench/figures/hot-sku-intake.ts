import { abba } from '../lib/abba.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { idleCpu, meanCpu, withCpu } from '../lib/cpu-meter.js';
import { cpuNote, firstError, SQL_CONCURRENCY, sqlIntake, statusCodesOf, traceNotes, traceProductOrders } from '../lib/intake-drivers.js';
import { auditStock, meanLag, openIntakeScene, ORDER_LINES, orderBodies, orderLoad, settle, settled } from '../lib/order-intake.js';
import { PLACE_ORDER_FUNCTION, sourceCarts } from '../lib/order-intake-sql.js';
import { hasRoute } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';
import { round } from '../lib/stats.js';

const HTTP_CONNECTIONS = 32;

/**
 * G3: the G1 intake twice on the same server, A-B-B-A: 3 uniform SKUs per order (A), then SKU #1 plus
 * 2 uniform SKUs in every order (B). The ratio is hot / uniform. The same pair written by the one-call
 * PL/pgSQL baseline is a note: it shows what the database itself loses to the hot row.
 */
export async function hotSkuIntakeFigure(env: BenchEnv): Promise<FigureResult> {
  const id = 'hot-sku-intake';
  const title = 'order intake with one hot SKU in every order vs uniform SKUs';
  const scene = await openIntakeScene(env);
  try {
    if (!hasRoute(scene.ordo.app, 'POST', '/v1/orders')) {
      return { id, title, goal: 'G3', status: 'not_available', reason: 'POST /v1/orders is not registered by buildApp yet', notes: [] };
    }
    const admin = scene.bench.pool(2);
    const count = env.quick ? 256 : 1024;
    const uniform = orderBodies(scene, count, { hot: false, seed: 1 });
    const hot = orderBodies(scene, count, { hot: true, seed: 2 });
    const windowS = env.seconds(5, 2);

    // Where each run waits (the query probe needs the in-process server): the uniform run is itself
    // bound by rows every order of a warehouse touches.
    await orderLoad(scene, uniform, HTTP_CONNECTIONS, env.warmupS);
    const uniformTrace = await traceProductOrders(scene, uniform, HTTP_CONNECTIONS, env.seconds(2, 1));
    await settle(admin);
    const hotTrace = await traceProductOrders(scene, hot, HTTP_CONNECTIONS, env.seconds(2, 1));
    await settle(admin);
    // The carts of the database's own hot-row penalty (a note), sourced by the in-process promise engine.
    await admin.query(PLACE_ORDER_FUNCTION);
    const deps = { db: scene.bench.database.db, clock: scene.ordo.ctx.clock, availability: scene.ordo.ctx.availability, data: scene.ordo.ctx.promiseData };
    const sqlCount = env.quick ? 128 : 512;
    const [uniformCarts, hotCarts] = [await sourceCarts(deps, admin, uniform.slice(0, sqlCount)), await sourceCarts(deps, admin, hot.slice(0, sqlCount))];

    // The ratio: Ordo as deployed (its own processes, deploymentFor this box), uniform vs hot.
    const deployment = await scene.deploy();
    await orderLoad(scene, uniform, HTTP_CONNECTIONS, env.warmupS);
    await orderLoad(scene, hot, HTTP_CONNECTIONS, env.warmupS);
    await settle(admin);
    // The idle rate (polling) once the workers are warm and the warm-up's events consumed.
    const idle = await idleCpu(scene.bench.name, 2000, scene.nodeCpuMs);
    const { baseline: even, product: skewed } = await abba(
      () => withCpu(scene.bench.name, idle, () => settled(admin, () => orderLoad(scene, uniform, HTTP_CONNECTIONS, windowS)), scene.nodeCpuMs),
      () => withCpu(scene.bench.name, idle, () => settled(admin, () => orderLoad(scene, hot, HTTP_CONNECTIONS, windowS)), scene.nodeCpuMs),
    );
    const hotRows = await admin.query<{ location_id: string; reserved: number; orders: number }>(
      `SELECT sp.location_id, sp.reserved, (SELECT count(*) FROM order_allocation a WHERE a.sku = sp.sku AND a.location_id = sp.location_id)::int AS orders
       FROM stock_position sp WHERE sp.sku = $1 AND sp.reserved > 0 ORDER BY sp.reserved DESC LIMIT 4`,
      [scene.hotSku],
    );

    // The database's own hot-row penalty, same orders, one PL/pgSQL call each (a note, not the ratio).
    const pool = scene.bench.pool(SQL_CONCURRENCY);
    const sqlWindowMs = env.seconds(3, 1) * 1000;
    await sqlIntake(pool, scene, uniformCarts, env.warmupS * 1000);
    await settle(admin);
    const sql = await abba(
      () => settled(admin, () => sqlIntake(pool, scene, uniformCarts, sqlWindowMs)),
      () => settled(admin, () => sqlIntake(pool, scene, hotCarts, sqlWindowMs)),
    );
    await pool.end();
    const sqlError = firstError([...sql.baseline.windows, ...sql.product.windows]);
    const audit = await auditStock(scene, admin);

    return measuredFigure({
      id,
      title,
      goal: 'G3',
      product: { label: `POST /v1/orders, SKU #1 (${scene.hotSku}) + 2 uniform SKUs per order, ${HTTP_CONNECTIONS} connections, ${deployment.workers} HTTP worker process(es) with a pool of ${deployment.poolSize} (Ordo as deployed on this box)`, rate: skewed.rate, unit: 'orders/s', p50Ms: skewed.p50Ms, p99Ms: skewed.p99Ms, details: { ...skewed } },
      baseline: { label: `POST /v1/orders, ${ORDER_LINES} uniform SKUs per order, ${HTTP_CONNECTIONS} connections (the same server)`, rate: even.rate, unit: 'orders/s', p50Ms: even.p50Ms, p99Ms: even.p99Ms, details: { ...even } },
      minRatio: 0.8,
      checks: [
        { name: 'failed requests (non-2xx, errors, timeouts), both runs', value: skewed.failed + even.failed, aim: '= 0', pass: skewed.failed + even.failed === 0 },
        { name: 'inventory invariant (checkInventory drift: ledger, reserved, holds + allocations)', value: `${audit.drift} of ${audit.checkedPositions} positions`, aim: '= 0', pass: audit.drift === 0 },
        { name: 'oversold positions (reserved > on hand - safety stock)', value: audit.oversold, aim: '= 0', pass: audit.oversold === 0 },
      ],
      notes: [
        `stretch aim (PERFORMANCE.md G3): ratio >= 0.9`,
        `one-call PL/pgSQL baseline on the same carts (pg Pool of ${SQL_CONCURRENCY}, windows of ${sqlWindowMs / 1000} s, A-B-B-A): uniform ${sql.baseline.rate} orders/s (p99 ${sql.baseline.p99Ms} ms), hot ${sql.product.rate} orders/s (p99 ${sql.product.p99Ms} ms), ratio ${round(sql.product.rate / Math.max(sql.baseline.rate, 1e-9), 3)}${sqlError ? `; first error: ${sqlError}` : ''}`,
        `SKU #1 positions most reserved after the run: ${hotRows.rows.map((r) => `${r.location_id} reserved ${r.reserved} (${r.orders} allocations)`).join(', ')}`,
        `status codes: uniform ${statusCodesOf(even.windows)}; hot ${statusCodesOf(skewed.windows)}; ${audit.orders} orders in the database after every window`,
        cpuNote([['hot run', meanCpu(skewed.windows)], ['uniform run', meanCpu(even.windows)]], idle),
        ...traceNotes(`uniform run under load (${HTTP_CONNECTIONS} connections, in-process instance)`, uniformTrace, 4),
        ...traceNotes(`hot run under load (${HTTP_CONNECTIONS} connections, in-process instance)`, hotTrace, 4),
        `network and carts as in order-intake (${scene.network.locations} locations x ${scene.network.skus} SKUs); SKU #1 has 1e6 units at each warehouse; uniform and hot runs interleaved A-B-B-A, windows of ${windowS} s, each followed by the background consumers catching up (uniform ${meanLag(even.windows)} ms, hot ${meanLag(skewed.windows)} ms on average) and a checkpoint`,
      ],
    });
  } finally {
    await scene.close();
  }
}
