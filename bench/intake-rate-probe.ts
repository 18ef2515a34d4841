/**
 * Dev probe (not a figure): where the machine's CPU goes while orders arrive at a given rate at Ordo as
 * deployed (the order-intake scene, --quick network, `deploymentFor`, as the G1 figure's goal-rate window).
 *
 *   npx tsx bench/intake-rate-probe.ts [--full] [--rate=98] [--windows=3] [--seconds=8] [--series]   (--full: the figure's full-size network)
 *   ORDO_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/intake-rate-probe.ts
 *
 * Per window: the client's latency (Poisson arrivals, from arrival); the CPUs the machine was busy and
 * the share of every process on it (Ordo, PostgreSQL's backends, the load generator, anything else); the
 * deployed server's GC and event-loop delay (its /metrics); the statements by total time when the server
 * loads pg_stat_statements (see bench/README.md: load it for the probe, reset it afterwards); then how
 * long the background consumers took to catch up. --rate=0: as fast as 32 connections are answered.
 * --series (with a rate): the window half a second at a time, to tell a tail spread over the window from
 * one made in episodes: the orders that arrived, their worst and median latency, and what PostgreSQL's
 * backends of the bench database were doing meanwhile (pg_stat_activity every ~10 ms: on CPU, waiting to
 * flush or write WAL, on a lock...).
 * Each window splits the Ordo workers' CPU between their main threads and their other threads. For the
 * CPU by thread and function without V8's sampler (which counts a thread preempted in a system call as
 * busy there), run `perf record -a -g -F 499 -- sleep 8` during a window, with
 * ORDO_BENCH_SERVER_NODE_ARGS=--perf-basic-prof for the JavaScript names (`perf report --sort pid` gives
 * one line per thread).
 * Every window also shows the WAL written per order (the server's pg_stat_wal: bytes, records, full-page
 * images; the consumers' writes included) and its LSN range, to break it down by record type with
 * pg_waldump (run as the server's owner, -p the cluster's pg_wal).
 */
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import type { BenchEnv } from './lib/bench-env.js';
import { serverBaseUrl } from './lib/bench-db.js';
import { machineCoresBusySince, machineCpu, processes, threadTicks, TICKS_PER_S } from './lib/cpu-meter.js';
import { sampleBackendWaits, type WaitSample } from './lib/backend-waits.js';
import type { AnsweredRequest } from './lib/http-load.js';
import { authHeaders } from './lib/ordo-instance.js';
import { analyzeTables, openIntakeScene, orderBodies, orderLoad, settle } from './lib/order-intake.js';

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}
const rate = arg('rate', 98);
const windows = arg('windows', 3);
const seconds = arg('seconds', 8);
const series = process.argv.includes('--series') && rate > 0;
const SERIES_BUCKET_MS = 500;

/** CPU ticks of every process by what it is: a backend's title without its client and state, a command line otherwise. */
function ticksByProcess(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const [pid, p] of processes()) {
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      // exited meanwhile: counted under its name
    }
    const what = cmdline.startsWith('postgres: ') ? cmdline.replace(/^(postgres: \S+ \S+ \S+).*/, '$1') : cmdline.slice(0, 70) || `[${p.name}]`;
    ticks.set(`${pid}\t${what}`, p.ticks);
  }
  return ticks;
}

/**
 * CPU ticks of the deployed Ordo's HTTP workers (main.ts under its primary, with the semi-space flag the
 * primary gives them), their main threads apart from their other threads (V8's GC helpers, the mail
 * thread, libuv's pool): the event loop is the serial part of every order.
 */
function workerThreadTicks(): { main: number; others: number } {
  const ticks = { main: 0, others: 0 };
  for (const [pid] of processes()) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('src/main.ts') || !cmdline.includes('--max-semi-space-size')) continue;
      for (const [tid, t] of threadTicks(pid)) ticks[tid === pid ? 'main' : 'others'] += t;
    } catch {
      // exited meanwhile
    }
  }
  return ticks;
}

/** Cores used per kind of process since `from`, the busiest first. */
function coresSince(from: Map<string, number>, wallS: number): Array<[string, number]> {
  const byKind = new Map<string, number>();
  for (const [key, t] of ticksByProcess()) {
    const used = t - (from.get(key) ?? 0);
    if (used > 0) byKind.set(key.split('\t')[1]!, (byKind.get(key.split('\t')[1]!) ?? 0) + used);
  }
  return [...byKind].map(([k, t]): [string, number] => [k, t / TICKS_PER_S / wallS]).sort((a, b) => b[1] - a[1]);
}

/** Per SERIES_BUCKET_MS of arrivals: orders, worst and median latency, and the backends' mean activity by wait. */
function printSeries(answered: AnsweredRequest[], backends: WaitSample[], startedAt: number): void {
  const buckets = new Map<number, { latencies: number[]; samples: number; waits: Map<string, number> }>();
  const bucket = (ms: number) => {
    const k = Math.floor(ms / SERIES_BUCKET_MS);
    if (!buckets.has(k)) buckets.set(k, { latencies: [], samples: 0, waits: new Map() });
    return buckets.get(k)!;
  };
  for (const a of answered) bucket(a.arrivalMs).latencies.push(a.latencyMs);
  for (const s of backends) {
    if (s.at < startedAt) continue;
    const b = bucket(s.at - startedAt);
    b.samples++;
    for (const w of s.waits) b.waits.set(w, (b.waits.get(w) ?? 0) + 1);
  }
  console.log(`  by ${SERIES_BUCKET_MS} ms of arrivals: orders, worst and median latency (ms); PostgreSQL backends active on average, by wait`);
  for (const [k, b] of [...buckets].sort((x, y) => x[0] - y[0])) {
    if (b.latencies.length === 0) continue;
    b.latencies.sort((x, y) => x - y);
    const waits = [...b.waits].sort((x, y) => y[1] - x[1]).slice(0, 4).map(([w, n]) => `${w} ${(n / Math.max(b.samples, 1)).toFixed(1)}`);
    console.log(`  ${((k * SERIES_BUCKET_MS) / 1000).toFixed(1).padStart(5)} s ${String(b.latencies.length).padStart(4)} ${b.latencies.at(-1)!.toFixed(0).padStart(5)} ${b.latencies[b.latencies.length >> 1]!.toFixed(0).padStart(5)}   ${waits.join(', ')}`);
  }
}

type WalStats = { bytes: number; records: number; fpi: number; lsn: string };

async function walStats(server: pg.Client): Promise<WalStats> {
  const r = await server.query<{ bytes: string; records: string; fpi: string; lsn: string }>(
    'SELECT wal_bytes::text AS bytes, wal_records::text AS records, wal_fpi::text AS fpi, pg_current_wal_lsn()::text AS lsn FROM pg_stat_wal',
  );
  const row = r.rows[0]!;
  return { bytes: Number(row.bytes), records: Number(row.records), fpi: Number(row.fpi), lsn: row.lsn };
}

/** The WAL written meanwhile, over the orders answered: the background consumers' share is in it. */
function walPerOrder(from: WalStats, to: WalStats, orders: number): string {
  const per = (k: 'bytes' | 'records' | 'fpi') => (to[k] - from[k]) / Math.max(orders, 1);
  return `${(per('bytes') / 1024).toFixed(1)} KB, ${per('records').toFixed(0)} records, ${per('fpi').toFixed(2)} full-page images (pg_waldump --stats=record -s ${from.lsn} -e ${to.lsn})`;
}

const env: BenchEnv = { quick: !process.argv.includes('--full'), seconds: (full, quick) => quick ?? full, warmupS: 2, log: (m) => console.error(m) };
const scene = await openIntakeScene(env);
const admin = scene.bench.pool(1);
const server = new pg.Client({ connectionString: serverBaseUrl().toString() });
await server.connect();
try {
  const metrics = async (): Promise<Map<string, number>> => {
    const text = await (await fetch(`${scene.url}/metrics`, { headers: authHeaders })).text();
    return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l): [string, number] => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
  };
  const statements = (await server.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`)).rowCount === 1;
  const bodies = orderBodies(scene, 1024, { hot: false, seed: 1 });
  await orderLoad(scene, bodies, 32, 3);
  const deployment = await scene.deploy();
  await orderLoad(scene, bodies, 32, 5);
  await settle(admin);
  await analyzeTables(admin);
  console.log(`Ordo: ${deployment.workers} HTTP worker(s), pool ${deployment.poolSize}; ${rate ? `${rate} orders/s offered` : '32 connections as fast as answered'}, windows of ${seconds} s`);
  for (let w = 0; w < windows; w++) {
    if (statements) await server.query('SELECT pg_stat_statements_reset()');
    const [machine, processes, threads, before, wal, t0] = [machineCpu(), ticksByProcess(), workerThreadTicks(), await metrics(), await walStats(server), performance.now()];
    const waits = series ? sampleBackendWaits(server, scene.bench.name, { everyMs: 10 }) : undefined;
    const load = await orderLoad(scene, bodies, 32, seconds, rate || undefined, { series });
    const backends = await waits?.stop();
    const wallS = (performance.now() - t0) / 1000;
    const [busy, cores, after] = [machineCoresBusySince(machine, os.cpus().length), coresSince(processes, wallS), await metrics()];
    const delta = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
    console.log(`\nwindow ${w + 1}: ${load.rate} orders/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, max ${load.maxMs} ms; ${busy} of ${os.cpus().length} CPUs busy`);
    for (const [what, c] of cores.filter(([, c]) => c >= 0.01).slice(0, 8)) console.log(`  ${c.toFixed(2).padStart(5)} cores  ${what}`);
    const threadsNow = workerThreadTicks();
    const threadCores = (k: 'main' | 'others') => ((threadsNow[k] - threads[k]) / TICKS_PER_S / wallS).toFixed(2);
    console.log(`  Ordo's HTTP workers: main threads ${threadCores('main')} cores, their other threads (GC helpers, mail thread, libuv) ${threadCores('others')}`);
    const gc = (kind: string) => `${delta(`nodejs_gc_duration_seconds_count{kind="${kind}"}`)} ${kind} (${(delta(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1000).toFixed(0)} ms)`;
    console.log(`  WAL per order (the whole server's, from pg_stat_wal): ${walPerOrder(wal, await walStats(server), load.ok)}`);
    console.log(`  server (the /metrics of the worker that answered): GC ${gc('minor')}, ${gc('major')}; event-loop delay p99 ${((after.get('nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000).toFixed(1)} ms, max ${((after.get('nodejs_eventloop_lag_max_seconds') ?? 0) * 1000).toFixed(1)} ms`);
    if (statements) {
      const top = await server.query<{ ms: string; calls: string; per: string; q: string }>(
        `SELECT round(total_exec_time)::text AS ms, calls::text, round((total_exec_time / calls)::numeric, 2)::text AS per, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS q
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) ORDER BY total_exec_time DESC LIMIT 15`,
        [scene.bench.name],
      );
      for (const s of top.rows) console.log(`  ${s.ms.padStart(6)} ms ${s.calls.padStart(6)} calls ${s.per.padStart(6)} ms/call  ${s.q}`);
    }
    if (load.series && load.startedAt !== undefined && backends) printSeries(load.series, backends, load.startedAt);
    console.log(`  background consumers caught up ${await settle(admin)} ms after the window`);
  }
} finally {
  await server.end();
  await admin.end();
  await scene.close();
}
