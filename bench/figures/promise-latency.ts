import { computePromise, type PromiseInput } from '../../src/domain/promise/delivery-promise.js';
import { atLocalTime } from '../../src/domain/promise/calendar.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { DEMO_CARRIERS } from '../../src/modules/demo/demo-carriers.js';
import { SeededRandom } from '../../src/modules/demo/seeded-random.js';
import { computePromiseFor, type PromiseDeps } from '../../src/modules/promise/compute-promise.js';
import type { PromiseRequest } from '../../src/modules/promise/promise.schemas.js';
import { putCarrier } from '../../src/modules/promise/put-carrier.js';
import { abba } from '../lib/abba.js';
import { createBenchDatabase, type BenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { runHttpLoad } from '../lib/http-load.js';
import { loadLargeNetwork, type LargeNetwork } from '../lib/large-network.js';
import { authHeaders, startOrdo } from '../lib/ordo-instance.js';
import { poolPerWorker, startOrdoServer } from '../lib/ordo-server.js';
import { availableParallelism } from 'node:os';
import { hasRoute } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';
import { LatencyRecorder, round } from '../lib/stats.js';

const CONCURRENCY = 16;
const LINES = 5;
const CARTS = 512;
/**
 * This figure's own ratio aim (PERFORMANCE.md has none): the 2,000 promises/s against the ~6,000
 * availability reads/s of such a basket measured on this box (quiet, 2026-11-22), i.e. a promise may cost
 * three times the ATP read it starts from.
 */
const RATIO_AIM = 0.33;
/**
 * Seconds of promise load after the cold-start window, before the measured windows: new worker processes
 * reach steady state (V8 has compiled the promise path's hot functions) after ~10 s of load on this box
 * (helper-41, 2026-11-23: p99 of the first windows 40-50 ms, then 12-20 ms). The headline is steady state;
 * the cold start is reported as a note.
 */
const STEADY_WARMUP_S = 10;
/** 50 locations: the demo's 2 warehouses, 3 suppliers and marketplace seller, and 44 stores. */
const NETWORK = { locations: 50, seed: 42, storeAssortment: 0.8 };
/** Store cut-offs as the demo sets them: ship-from-store parcels accepted before 15:00 leave that day. */
const STORE_CUTOFFS = { standard: '15:00', express: '15:00', same_day: '14:00' };
/**
 * Promises are made on a Tuesday late morning (Paris), whatever the wall clock says: every store open,
 * every cut-off ahead, same day possible, so the figure does not depend on when the bench runs.
 */
export const PROMISE_TIME = atLocalTime('Europe/Paris', '2026-11-24', '11:00');

function pinnedClock(): Clock {
  const offset = PROMISE_TIME - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export function carts(skus: readonly string[], postalCodes: readonly string[], channel: string): PromiseRequest[] {
  const random = new SeededRandom(7);
  return Array.from({ length: CARTS }, () => {
    const picked = new Set<string>();
    while (picked.size < LINES) picked.add(random.pick(skus));
    return {
      channel,
      lines: [...picked].map((sku) => ({ sku, quantity: random.chance(0.2) ? 2 : 1 })),
      destination: { postalCode: random.pick(postalCodes), country: 'FR' },
    };
  });
}

/** Eligible locations of a promise that hold at least one line of the cart. */
function candidatesOf(input: PromiseInput): number {
  return input.locations.filter((l) => input.lines.some((line) => (l.available.get(line.sku) ?? 0) > 0)).length;
}

/** The figure's network in a fresh bench database: locations, stock, store cut-offs, demo carriers. */
export async function loadPromiseScene(bench: BenchDatabase, skus: number): Promise<LargeNetwork> {
  const db = bench.database.db;
  const network = await loadLargeNetwork(db, { ...NETWORK, skus });
  await db.updateTable('location').set({ cutoffs: JSON.stringify(STORE_CUTOFFS) }).where('type', '=', 'store').execute();
  for (const [carrierId, carrier] of Object.entries(DEMO_CARRIERS)) {
    const put = await putCarrier(db, systemActor('bench'), carrierId, carrier);
    if (!put.ok) throw new Error(`carrier ${carrierId}: ${put.message}`);
  }
  await bench.pool(1).query('VACUUM ANALYZE');
  return network;
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * The delivery promise for a 5-line cart over 50 candidate locations (demo carriers, opening hours,
 * cut-offs): (a) in-process, the pure `computePromise`; (b) POST /v1/promise over HTTP, interleaved
 * A-B-B-A with GET /v1/availability for the same basket and postal code (the ATP read a promise starts
 * from), same server, same connections.
 */
export async function promiseLatencyFigure(env: BenchEnv): Promise<FigureResult> {
  const id = 'promise-latency';
  const title = 'delivery promise: 5 lines x 50 locations';
  const bench = await createBenchDatabase(12);
  try {
    const db = bench.database.db;
    const network = await loadPromiseScene(bench, env.quick ? 500 : 2_000);
    const ordo = await startOrdo(bench.database, undefined, pinnedClock());
    let closed = false;
    try {
      if (!hasRoute(ordo.app, 'POST', '/v1/promise')) {
        return { id, title, goal: 'G7', status: 'not_available', reason: 'POST /v1/promise is not there yet', notes: [] };
      }
      if (!(await waitUntil(() => ordo.ctx.availability.loaded, 180_000))) throw new Error('the availability view did not load within 180 s');
      const channel = network.channel ?? 'web';
      const requests = carts(network.sampleSkus, network.storePostalCodes, channel);
      const deps: PromiseDeps = { db, clock: ordo.ctx.clock, availability: ordo.ctx.availability, data: ordo.ctx.promiseData };

      // The use case once per cart: it checks every cart is promisable and gives the pure inputs (live ATP,
      // loads, carriers) that (a) times on its own. Its own latency, database reads included, is a note.
      const inputs: PromiseInput[] = [];
      const useCase = new LatencyRecorder();
      const optionCounts: number[] = [];
      const responseBytes: number[] = [];
      for (const req of requests) {
        const t0 = performance.now();
        const r = await computePromiseFor(deps, req);
        useCase.add(performance.now() - t0);
        if (!r.ok) throw new Error(`promise refused for a bench cart: ${r.code} ${r.message}`);
        inputs.push(r.value.input);
        optionCounts.push(r.value.result.options.length);
        responseBytes.push(Buffer.byteLength(JSON.stringify(r.value.response)));
      }
      const useCaseStats = useCase.summary();
      const candidates = inputs.map(candidatesOf);
      const shipOptions = inputs.map((input) => computePromise(input).options.filter((o) => o.kind === 'ship').length);

      const iterations = env.quick ? 2_000 : 20_000;
      for (let i = 0; i < Math.min(500, iterations); i++) computePromise(inputs[i % inputs.length]!);
      const pure = new LatencyRecorder();
      let pureMs = 0;
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        computePromise(inputs[i % inputs.length]!);
        const ms = performance.now() - t0;
        pure.add(ms);
        pureMs += ms;
      }
      const pureStats = pure.summary();
      const pureRate = round((iterations / pureMs) * 1000, 1);

      const windowS = env.seconds(4, 1);
      const headers = { ...authHeaders, 'content-type': 'application/json' };
      const loads = (url: string) => ({
        promise: { url: `${url}/v1/promise`, connections: CONCURRENCY, method: 'POST' as const, headers, bodies: requests.map((r) => JSON.stringify(r)) },
        availability: {
          url: `${url}/v1/availability`,
          connections: CONCURRENCY,
          method: 'GET' as const,
          headers: authHeaders,
          paths: requests.map((r) => `/v1/availability?skus=${encodeURIComponent(r.lines.map((l) => l.sku).join(','))}&postalCode=${r.destination!.postalCode}&country=FR&channel=${encodeURIComponent(channel)}`),
        },
      });
      // One process (this in-process instance): a note.
      const single = loads(ordo.url);
      await runHttpLoad({ ...single.promise, durationS: env.warmupS });
      const oneProcess = await runHttpLoad({ ...single.promise, durationS: windowS });
      await ordo.close();
      closed = true;

      // The headline: Ordo as deployed, its own processes, one HTTP worker per core (ORDO_WORKERS), the
      // database connections of a box shared with PostgreSQL (poolPerWorker).
      const workers = availableParallelism();
      const pool = poolPerWorker(workers, workers);
      const server = await startOrdoServer(bench.url, workers, { ORDO_CLOCK_START: new Date(PROMISE_TIME).toISOString(), ORDO_DB_POOL_SIZE: String(pool) });
      let measured;
      try {
        const { promise: promiseLoad, availability: availabilityLoad } = loads(server.url);
        await runHttpLoad({ ...availabilityLoad, durationS: env.warmupS });
        const cold = await runHttpLoad({ ...promiseLoad, durationS: env.warmupS });
        await runHttpLoad({ ...promiseLoad, durationS: env.seconds(STEADY_WARMUP_S, 3) });
        await runHttpLoad({ ...availabilityLoad, durationS: env.warmupS });
        const { baseline, product } = await abba(
          () => runHttpLoad({ ...availabilityLoad, durationS: windowS }),
          () => runHttpLoad({ ...promiseLoad, durationS: windowS }),
        );
        // Latency with nobody queueing in front: one connection.
        measured = { availability: baseline, promise: product, cold, alone: await runHttpLoad({ ...promiseLoad, connections: 1, durationS: windowS }) };
      } finally {
        await server.close();
      }
      const { availability, promise, cold, alone } = measured;

      const mean = (xs: number[]): number => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 1);
      return measuredFigure({
        id,
        title,
        goal: 'G7',
        product: { label: `POST /v1/promise, ${LINES}-line cart, ${CONCURRENCY} connections, ${workers} worker processes with a pool of ${pool}`, rate: promise.rate, unit: 'promises/s', p50Ms: promise.p50Ms, p99Ms: promise.p99Ms, details: { ...promise } },
        baseline: { label: `GET /v1/availability, the same ${LINES} SKUs + postal code, ${CONCURRENCY} connections`, rate: availability.rate, unit: 'req/s', p50Ms: availability.p50Ms, p99Ms: availability.p99Ms, details: { ...availability } },
        minRatio: RATIO_AIM,
        checks: [
          { name: 'POST /v1/promise p99 over HTTP', value: promise.p99Ms, aim: '<= 20 ms', pass: promise.p99Ms <= 20 },
          { name: 'POST /v1/promise throughput (2 cores, load generator included)', value: promise.rate, aim: '>= 2,000 promises/s', pass: promise.rate >= 2_000 },
          { name: 'in-process computePromise p99', value: round(pureStats.p99, 3), aim: '<= 20 ms', pass: pureStats.p99 <= 20 },
          { name: 'HTTP requests all 200', value: promise.failed + availability.failed + alone.failed, aim: '= 0 failed', pass: promise.failed + availability.failed + alone.failed === 0 },
        ],
        notes: [
          `in-process computePromise (pure): p50 ${round(pureStats.p50, 3)} ms, p99 ${round(pureStats.p99, 3)} ms, max ${round(pureStats.max, 2)} ms, ${pureRate} promises/s on one core over ${iterations} calls`,
          `in-process computePromiseFor (the use case: promise data version, products, supply and pick loads read from PostgreSQL, then computePromise): p50 ${round(useCaseStats.p50, 3)} ms, p99 ${round(useCaseStats.p99, 3)} ms over ${requests.length} sequential calls`,
          `carts: ${requests.length} distinct, ${LINES} lines from ${network.sampleSkus.length} stocked SKUs, destinations at store postal codes; locations holding at least one line: mean ${mean(candidates)}, min ${Math.min(...candidates)} of ${network.locations}; options per promise: mean ${mean(optionCounts)} (home delivery services: mean ${mean(shipOptions)}); response body mean ${round(mean(responseBytes) / 1024, 1)} KiB`,
          `network: generateLargeNetwork (seed ${NETWORK.seed}, store assortment ${NETWORK.storeAssortment}) ${network.locations} locations x ${network.skus} SKUs, demo carriers, store cut-offs ${STORE_CUTOFFS.standard}; promise clock pinned to Tuesday 11:00 Paris`,
          `POST /v1/promise on one connection: ${alone.rate} promises/s, p50 ${alone.p50Ms} ms, p99 ${alone.p99Ms} ms`,
          `cold start (not in the headline): the first ${env.warmupS} s of promises after the workers started (${env.warmupS} s of availability reads) ${cold.rate} promises/s, p50 ${cold.p50Ms} ms, p99 ${cold.p99Ms} ms; then ${env.seconds(STEADY_WARMUP_S, 3)} s more of promise load before the measured windows (steady state)`,
          `one server process (ORDO_WORKERS=1, in-process instance): ${oneProcess.rate} promises/s, p50 ${oneProcess.p50Ms} ms, p99 ${oneProcess.p99Ms} ms; the headline runs src/main.ts with ORDO_WORKERS=${workers} (node:cluster), clock ORDO_CLOCK_START`,
          `ratio aim ${RATIO_AIM}x is this figure's own (not in PERFORMANCE.md): the issue's 2,000 promises/s against ~6,000 availability reads/s of the same basket on this box; the absolute aims are the issue's`,
          `availability and promise interleaved A-B-B-A, windows of ${windowS} s, autocannon in a child process, loopback`,
        ],
      });
    } finally {
      if (!closed) await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}
