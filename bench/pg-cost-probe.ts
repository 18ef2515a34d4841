/**
 * Dev probe (not a figure): what an order costs PostgreSQL, sequentially, on the quick order-intake scene:
 * POST /v1/orders (in process) against the one-call baseline (bench_place_order), in alternating rounds,
 * each followed by the wait for the background consumers ("settle"), with the idle rate (polling) before
 * each round. With pg_stat_statements loaded on the server (shared_preload_libraries, and the extension
 * created in the `postgres` database), it also lists the bench database's costliest statements over the
 * last round: how the sequencer's whole-table scans were found.
 *
 *   npx tsx bench/pg-cost-probe.ts [--orders=300] [--rounds=3] [--keep]   (--keep: leave the database, print its name)
 */
import pg from 'pg';
import type { BenchEnv } from './lib/bench-env.js';
import { backendCpuMs, ownCpuMs } from './lib/cpu-meter.js';
import { authHeaders } from './lib/ordo-instance.js';
import { analyzeTables, openIntakeScene, orderBodies, settle } from './lib/order-intake.js';
import { baselineDoc, PLACE_ORDER_FUNCTION, sourceCarts } from './lib/order-intake-sql.js';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('orders', 300);
const ROUNDS = arg('rounds', 3);
const WARM_UP = 100;
const env: BenchEnv = { quick: true, seconds: (full, quick) => quick ?? full, warmupS: 0, log: (m) => console.error(m) };
const scene = await openIntakeScene(env);
const perOrder = (ms: number): string => (ms / N).toFixed(2);
try {
  const admin = scene.bench.pool(2);
  await admin.query(PLACE_ORDER_FUNCTION);
  const bodies = orderBodies(scene, WARM_UP + ROUNDS * N, { hot: false, seed: 3 });
  const deps = { db: scene.bench.database.db, clock: scene.ordo.ctx.clock, availability: scene.ordo.ctx.availability, data: scene.ordo.ctx.promiseData };
  const carts = await sourceCarts(deps, admin, bodies.slice(0, N));
  const pool = scene.bench.pool(1);
  let posted = 0;
  const product = async (): Promise<void> => {
    const i = posted++;
    const r = await fetch(`${scene.ordo.url}/v1/orders`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json', 'idempotency-key': `pg-cost-${i}` },
      body: JSON.stringify(bodies[i]),
    });
    if (r.status !== 201) throw new Error(`${r.status} ${await r.text()}`);
  };
  const baseline = async (k: number): Promise<void> => {
    await pool.query({ name: 'place', text: 'SELECT bench_place_order($1::jsonb) AS v', values: [baselineDoc(carts[k % carts.length]!, scene.ordo.ctx.clock.now(), 'key:bootstrap-admin')] });
  };
  const measure = async (label: string, run: (k: number) => Promise<void>): Promise<void> => {
    const [pg0, node0, t0] = [backendCpuMs(scene.bench.name), ownCpuMs(), performance.now()];
    for (let k = 0; k < N; k++) await run(k);
    const [pg1, node1, t1] = [backendCpuMs(scene.bench.name), ownCpuMs(), performance.now()];
    await settle(admin);
    const [pg2, node2] = [backendCpuMs(scene.bench.name), ownCpuMs()];
    console.log(`${label}: PostgreSQL ${perOrder(pg1 - pg0)} + settle ${perOrder(pg2 - pg1)} ms/order, Node ${perOrder(node1 - node0)} + ${perOrder(node2 - node1)} ms/order, wall ${perOrder(t1 - t0)} ms/order`);
  };
  const idle = async (): Promise<void> => {
    const [pg0, node0] = [backendCpuMs(scene.bench.name), ownCpuMs()];
    await new Promise((resolve) => setTimeout(resolve, 3000));
    console.log(`idle: PostgreSQL ${((backendCpuMs(scene.bench.name) - pg0) / 3).toFixed(0)} ms/s, Node ${((ownCpuMs() - node0) / 3).toFixed(0)} ms/s`);
  };
  for (let k = 0; k < WARM_UP; k++) await product();
  for (let k = 0; k < WARM_UP; k++) await baseline(k);
  await settle(admin);
  await analyzeTables(admin);
  const stats = new pg.Pool({ connectionString: scene.bench.url.replace(/\/[^/]*$/, '/postgres'), max: 1 });
  const statsOn = await stats.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`).then((r) => r.rowCount === 1, () => false);
  for (let round = 0; round < ROUNDS; round++) {
    if (statsOn && round === ROUNDS - 1) await stats.query('SELECT pg_stat_statements_reset()');
    await idle();
    await measure('baseline', baseline);
    await measure('product ', () => product());
  }
  if (statsOn) {
    const top = await stats.query(
      `SELECT calls, round(total_exec_time::numeric) AS exec_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1
       ORDER BY total_exec_time DESC LIMIT 25`,
      [scene.bench.name],
    );
    console.log('calls, executor ms (last round), statement:');
    for (const r of top.rows) console.log(`${String(r.calls).padStart(7)} ${String(r.exec_ms).padStart(7)}  ${r.query}`);
  }
  await stats.end();
  await pool.end();
  await admin.end();
} finally {
  if (process.argv.includes('--keep')) {
    await scene.ordo.close();
    console.log(`kept database ${scene.bench.name}`);
    process.exit(0);
  } else await scene.close();
}
