/**
 * CPU per promise, in process: the promise-latency figure's scene (50 locations, 5-line carts, demo
 * carriers, Tuesday 11:00 Paris), without the HTTP load. A dev tool for work on the promise's hot path:
 *
 *   npx tsx bench/promise-probe.ts [--phases=digest,pure,use-case,inject,http] [--seconds=3] [--skus=500] [--base=<checkout>]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/promise-probe.ts --phases=inject --seconds=10
 *
 * Phases: `pure` = computePromise on the prepared inputs; `use-case` = computePromiseFor (inputs read
 * from PostgreSQL, 16 promises in flight so reads batch as under load); `inject` = POST /v1/promise
 * through Fastify's inject (routing, validation, serialisation; no socket); `http` = POST /v1/promise
 * over loopback, 16 connections of autocannon in a child process (not counted). Each reports the CPU time of
 * this process per promise (process.cpuUsage, user + system), the best of 3 windows, and for the phases
 * that read the database, the CPU of its PostgreSQL backends. `digest` hashes the pure results (every
 * option, plan, date and cost) so a change to the hot path can be checked to promise exactly the same.
 * `--base=/path/to/other/checkout` times that checkout's computePromise on the same inputs, windows
 * interleaved with this one's (on a busy machine, only interleaved windows compare).
 */
import { createHash } from 'node:crypto';
import { computePromise, type PromiseInput } from '../src/domain/promise/delivery-promise.js';
import { computePromiseFor, type PromiseDeps } from '../src/modules/promise/compute-promise.js';
import { carts, loadPromiseScene, PROMISE_TIME, waitUntil } from './figures/promise-latency.js';
import { createBenchDatabase } from './lib/bench-db.js';
import { backendCpuMs } from './lib/cpu-meter.js';
import { runHttpLoad } from './lib/http-load.js';
import { authHeaders, startOrdo } from './lib/ordo-instance.js';
import { round } from './lib/stats.js';

const IN_FLIGHT = 16;
const WINDOWS = 3;

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

interface Window {
  cpuUsPerPromise: number;
  wallUsPerPromise: number;
  postgresUsPerPromise: number;
}

/** Runs `batch` (which makes `size` promises) for `seconds`, returning per-promise CPU and wall time. */
async function measure(seconds: number, size: number, batch: () => unknown, database?: string): Promise<Window> {
  const cpu0 = process.cpuUsage();
  const pg0 = database ? backendCpuMs(database) : 0;
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await batch();
    n += size;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pg = database ? backendCpuMs(database) - pg0 : 0;
  return { cpuUsPerPromise: round((cpu.user + cpu.system) / n, 1), wallUsPerPromise: round((wall * 1000) / n, 1), postgresUsPerPromise: round((pg * 1000) / n, 1) };
}

async function best(label: string, seconds: number, size: number, batch: () => unknown, database?: string): Promise<void> {
  await measure(Math.min(1, seconds), size, batch, database);
  const windows: Window[] = [];
  for (let w = 0; w < WINDOWS; w++) windows.push(await measure(seconds, size, batch, database));
  windows.sort((a, b) => a.cpuUsPerPromise - b.cpuUsPerPromise);
  const w = windows[0]!;
  const pg = database ? `, PostgreSQL ${w.postgresUsPerPromise} µs` : '';
  console.log(`${label.padEnd(10)} CPU ${w.cpuUsPerPromise} µs/promise (windows: ${windows.map((x) => x.cpuUsPerPromise).join(' / ')}), wall ${w.wallUsPerPromise} µs${pg}`);
}

function digest(inputs: readonly PromiseInput[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(JSON.stringify(computePromise(input)));
  return hash.digest('hex').slice(0, 16);
}

async function main(): Promise<void> {
  const phases = new Set(arg('phases', 'digest,pure,use-case,inject').split(','));
  const seconds = Number(arg('seconds', '3'));
  const bench = await createBenchDatabase(12);
  try {
    const network = await loadPromiseScene(bench, Number(arg('skus', '500')));
    // A clock standing still: every run promises at the same instant, so digests compare across runs.
    const ordo = await startOrdo(bench.database, undefined, { now: () => new Date(PROMISE_TIME) });
    try {
      if (!(await waitUntil(() => ordo.ctx.availability.loaded, 180_000))) throw new Error('the availability view did not load');
      const requests = carts(network.sampleSkus, network.storePostalCodes, network.channel ?? 'web');
      const deps: PromiseDeps = { db: bench.database.db, clock: ordo.ctx.clock, availability: ordo.ctx.availability, data: ordo.ctx.promiseData };
      const inputs: PromiseInput[] = [];
      let bytes = 0;
      for (const req of requests) {
        const r = await computePromiseFor(deps, req);
        if (!r.ok) throw new Error(`promise refused for a cart: ${r.code} ${r.message}`);
        inputs.push(r.value.input);
        bytes += Buffer.byteLength(JSON.stringify(r.value.response));
      }
      const options = inputs.reduce((n, input) => n + computePromise(input).options.length, 0);
      console.log(`${requests.length} carts, mean ${round(options / inputs.length, 2)} options, mean response ${round(bytes / requests.length / 1024, 2)} KiB`);
      if (phases.has('digest')) console.log(`digest     ${digest(inputs)}`);

      let next = 0;
      const cart = () => next++ % requests.length;
      const base = arg('base', '');
      if (base !== '') {
        // The pure computePromise of another checkout on the same inputs, windows interleaved A-B.
        const other = (await import(`${base}/src/domain/promise/delivery-promise.ts`)) as { computePromise: typeof computePromise };
        for (let r = 0; r < 3; r++) {
          for (const [label, compute] of [['pure', computePromise], ['pure-base', other.computePromise]] as const) {
            await best(label, seconds, inputs.length, () => {
              for (const input of inputs) compute(input);
            });
          }
        }
      }
      if (phases.has('pure')) {
        await best('pure', seconds, inputs.length, () => {
          for (const input of inputs) computePromise(input);
        });
      }
      if (phases.has('use-case')) {
        await best('use-case', seconds, IN_FLIGHT, () => Promise.all(Array.from({ length: IN_FLIGHT }, () => computePromiseFor(deps, requests[cart()]!))), bench.name);
      }
      if (phases.has('inject')) {
        const headers = { ...authHeaders, 'content-type': 'application/json' };
        const bodies = requests.map((r) => JSON.stringify(r));
        await best(
          'inject',
          seconds,
          IN_FLIGHT,
          () =>
            Promise.all(
              Array.from({ length: IN_FLIGHT }, async () => {
                const res = await ordo.app.inject({ method: 'POST', url: '/v1/promise', headers, payload: bodies[cart()]! });
                if (res.statusCode !== 200) throw new Error(`POST /v1/promise answered ${res.statusCode}: ${res.body}`);
              }),
            ),
          bench.name,
        );
      }
      if (phases.has('http')) {
        // Real HTTP (autocannon in a child process): this process's CPU per promise answered.
        const load = { url: `${ordo.url}/v1/promise`, connections: IN_FLIGHT, method: 'POST' as const, headers: { ...authHeaders, 'content-type': 'application/json' }, bodies: requests.map((r) => JSON.stringify(r)) };
        await runHttpLoad({ ...load, durationS: 1 });
        const windows: { cpu: number; pg: number; rate: number }[] = [];
        for (let w = 0; w < WINDOWS; w++) {
          const cpu0 = process.cpuUsage();
          const pg0 = backendCpuMs(bench.name);
          const r = await runHttpLoad({ ...load, durationS: seconds });
          const cpu = process.cpuUsage(cpu0);
          if (r.failed > 0) throw new Error(`POST /v1/promise failed ${r.failed} times: ${JSON.stringify(r.statusCodes)}`);
          windows.push({ cpu: round((cpu.user + cpu.system) / r.ok, 1), pg: round(((backendCpuMs(bench.name) - pg0) * 1000) / r.ok, 1), rate: r.rate });
        }
        windows.sort((a, b) => a.cpu - b.cpu);
        console.log(`http       CPU ${windows[0]!.cpu} µs/promise (windows: ${windows.map((w) => w.cpu).join(' / ')}), ${windows[0]!.rate} promises/s, PostgreSQL ${windows[0]!.pg} µs`);
      }
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}

await main();
