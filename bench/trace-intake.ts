/**
 * Dev probe (not a figure): every PostgreSQL statement one POST /v1/orders makes on the order-intake
 * scene (--quick network, a fresh PostgreSQL database), with the Node CPU per order, sequential orders.
 * `npx tsx bench/trace-intake.ts [--full] [--profile=out.cpuprofile] [--dump=statements.json] [--concurrent=N] [--rate=N]`
 * (open the profile in Chrome DevTools; the dump holds the full text of the last order's statements, to
 * replay them by hand; --rate breaks down the latency tail at a given arrival rate, see below).
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import type { BenchEnv } from './lib/bench-env.js';
import { authHeaders } from './lib/ordo-instance.js';
import { analyzeTables, openIntakeScene, orderBodies, orderLoad, settle, type OrderBody } from './lib/order-intake.js';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { probeQueries, statementShape, type RequestTrace } from './lib/query-probe.js';
import { sampleBackendWaits } from './lib/backend-waits.js';

const ORDERS = 20;
/**
 * --concurrent=N: the profiled orders come from autocannon in a child process, N connections for 5 s (the
 * figure's load; the client's CPU is not in this process), instead of 20 one by one from this process.
 */
const concurrent = Number(process.argv.find((a) => a.startsWith('--concurrent='))?.slice('--concurrent='.length) ?? 1);
/**
 * --rate=N: after a 5 s warm-up at 32 connections, orders arrive at N per second (open loop, 32 connections
 * at most) for 10 s, and the tail is broken down: server-side time in statements vs elsewhere for the
 * slowest 2 % and the median half, what PostgreSQL's backends wait on (pg_stat_activity every 20 ms),
 * the event-loop delay and the GC pauses of this process (the in-process server), and the server's WAL per
 * order (pg_stat_wal over the window, background consumers included).
 */
const rate = Number(process.argv.find((a) => a.startsWith('--rate='))?.slice('--rate='.length) ?? 0);
const dumpPath = process.argv.find((a) => a.startsWith('--dump='))?.slice('--dump='.length);
const profilePath = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
/** --full: the figure's full-size network (200 locations x 10,000 SKUs) instead of the --quick one. */
const full = process.argv.includes('--full');
const env: BenchEnv = { quick: !full, seconds: (f, quick) => quick ?? f, warmupS: 0, log: (m) => console.error(m) };
const scene = await openIntakeScene(env);
try {
  const bodies = orderBodies(scene, 3 * ORDERS, { hot: false, seed: 7 });
  const post = async (i: number): Promise<void> => {
    const r = await fetch(`${scene.ordo.url}/v1/orders`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json', 'idempotency-key': `trace-${i}` },
      body: JSON.stringify(bodies[i]),
    });
    if (r.status !== 201) console.error(r.status, await r.text());
  };
  for (let i = 0; i < ORDERS; i++) await post(i); // warm-up
  const admin = scene.bench.pool(1);
  if (rate > 0) await orderLoad(scene, bodies, 32, 5);
  // The warm-up's events consumed (and a checkpoint), as before each of the figure's windows, and the
  // statistics of filled order tables (analyzeTables).
  await settle(admin);
  await analyzeTables(admin);
  await admin.end();
  if (rate > 0) {
    await tailAt(rate);
  } else {
    await traceOrders(post, bodies);
  }
} finally {
  await scene.close();
}

async function traceOrders(post: (i: number) => Promise<void>, bodies: OrderBody[]): Promise<void> {
  const profiled = concurrent > 1 ? 0 : ORDERS;
  const session = new inspector.Session();
  if (profilePath) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  let placed = profiled;
  if (concurrent > 1) {
    const load = await orderLoad(scene, bodies, concurrent, 5);
    placed = load.ok;
  } else {
    for (let i = ORDERS; i < ORDERS + profiled; i++) await post(i);
  }
  const cpu = process.cpuUsage(cpu0);
  if (profilePath) fs.writeFileSync(profilePath, JSON.stringify((await session.post('Profiler.stop')).profile));
  console.log(`Node CPU per order (server, its background tasks and this client): ${((cpu.user + cpu.system) / 1000 / placed).toFixed(2)} ms over ${placed} orders`);
  const probe = probeQueries(scene.ordo.app.server);
  for (let i = ORDERS + profiled; i < 2 * ORDERS + profiled; i++) await post(i);
  probe.stop();
  const traces = probe.traces.filter((t) => t.statements.length > 0);
  console.log(`round trips per order: ${traces.map((t) => t.statements.length).join(', ')}`);
  if (dumpPath) fs.writeFileSync(dumpPath, JSON.stringify(traces.at(-1)!.statements, null, 1));
  for (const s of traces.at(-1)!.statements) console.log(`${s.ms.toFixed(2).padStart(7)} ms  ${s.text.replace(/\s+/g, ' ').slice(0, 160)}`);
}

async function tailAt(perSecond: number): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const gcByKind = new Map<number, number[]>();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail: { kind: number } }).detail.kind;
      gcByKind.set(kind, [...(gcByKind.get(kind) ?? []), e.duration]);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();
  const probe = probeQueries(scene.ordo.app.server);
  const sampler = scene.bench.pool(1);
  const sampling = sampleBackendWaits(sampler, scene.bench.name, { everyMs: 20, withQuery: true });
  const walStats = async () => (await sampler.query<{ bytes: string; fpi: string; records: string }>('SELECT wal_bytes::text AS bytes, wal_fpi::text AS fpi, wal_records::text AS records FROM pg_stat_wal')).rows[0]!;
  const wal0 = await walStats();
  const load = await orderLoad(scene, orderBodies(scene, 1024, { hot: false, seed: 9 }), 32, 10, perSecond);
  const waits = new Map<string, number>();
  for (const { waits: now } of await sampling.stop()) for (const w of now) waits.set(w, (waits.get(w) ?? 0) + 1);
  // The whole server's WAL over the window (background consumers included), per order answered.
  const wal1 = await walStats();
  const perOrder = (k: 'bytes' | 'fpi' | 'records') => ((Number(wal1[k]) - Number(wal0[k])) / Math.max(1, load.ok)).toFixed(1);
  console.log(`WAL per order (the server's, consumers included): ${perOrder('bytes')} bytes, ${perOrder('records')} records, ${perOrder('fpi')} full-page images`);
  await sampler.end();
  probe.stop();
  loop.disable();
  gc.disconnect();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`client: ${load.rate} orders/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, max ${load.maxMs} ms`);
  console.log(`event-loop delay: p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms`);
  const kinds: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental marking', 8: 'weak callbacks' };
  for (const [kind, d] of gcByKind) console.log(`GC ${kinds[kind] ?? kind}: ${d.length} pauses, ${d.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, longest ${Math.max(...d).toFixed(1)} ms`);
  console.log('PostgreSQL backends, samples by wait event:');
  for (const [w, n] of [...waits].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(n).padStart(5)}  ${w}`);
  const traces = probe.traces.filter((t) => t.statements.length > 0).sort((a, b) => b.totalMs - a.totalMs);
  const at = (q: number) => traces[Math.floor((1 - q) * traces.length)]!.totalMs.toFixed(1);
  console.log(`server side: ${traces.length} orders, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
  breakdown('slowest 2 %', traces.slice(0, Math.max(1, Math.floor(traces.length / 50))));
  breakdown('median half', traces.slice(Math.floor(traces.length / 4), Math.floor((3 * traces.length) / 4)));
}

function breakdown(label: string, traces: RequestTrace[]): void {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const inStatements = sum(traces.map((t) => sum(t.statements.map((s) => s.ms)))) / traces.length;
  console.log(`${label}: ${traces.length} orders, ${(sum(traces.map((t) => t.totalMs)) / traces.length).toFixed(1)} ms in the server, ${inStatements.toFixed(1)} ms of it in statements`);
  const steps = new Map<string, number[]>();
  for (const t of traces) {
    for (const s of t.statements) {
      const shape = statementShape(s.text).slice(0, 60);
      steps.set(shape, [...(steps.get(shape) ?? []), s.ms]);
    }
  }
  for (const [shape, v] of steps) console.log(`  ${(sum(v) / traces.length).toFixed(1).padStart(6)} ms per order  ${v.length} calls  ${shape}`);
}
