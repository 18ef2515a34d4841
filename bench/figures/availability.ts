import type pg from 'pg';
import { lookupPostalCode } from '../../src/modules/geo/postal-codes.js';
import { getAvailability } from '../../src/modules/availability/get-availability.js';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { abba } from '../lib/abba.js';
import { runClosedLoop } from '../lib/closed-loop.js';
import { runHttpLoad } from '../lib/http-load.js';
import { loadLargeNetwork } from '../lib/large-network.js';
import { authHeaders, startOrdo } from '../lib/ordo-instance.js';
import { hasRoute } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';
import { LatencyRecorder, round } from '../lib/stats.js';

const CONCURRENCY = 16;
const BASKET = 10;
const POSTAL_CODES = ['75011', '69003', '13001', '33000', '59000', '31000', '44000', '67000', '35000', '34000'];

/** The per-location ATP of a basket, joined with its locations: what a storefront would ask PostgreSQL. */
const DB_ATP_SQL = `
SELECT sp.sku, l.id, l.name, l.type, l.latitude, l.longitude, sp.on_hand - sp.reserved - sp.safety_stock AS atp
FROM stock_position sp JOIN location l ON l.id = sp.location_id
WHERE sp.sku = ANY($1::text[]) AND l.active AND sp.on_hand - sp.reserved - sp.safety_stock > 0`;

function basket(skus: readonly string[]): string[] {
  const picked = new Set<string>();
  while (picked.size < Math.min(BASKET, skus.length)) picked.add(skus[Math.floor(Math.random() * skus.length)]!);
  return [...picked];
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * G4: GET /v1/availability (10-SKU basket, postal code) vs the same ATP query on PostgreSQL at the same
 * concurrency, on a large generated network; plus the p99 of the in-process lookup itself.
 */
export async function availabilityFigure(env: BenchEnv): Promise<FigureResult> {
  const id = 'availability';
  const title = 'availability: in-memory view vs PostgreSQL';
  const size = { locations: 300, skus: env.quick ? 2_000 : 20_000, seed: 42 };
  const bench = await createBenchDatabase(12);
  try {
    const admin = bench.pool(2);
    const network = await loadLargeNetwork(bench.database.db, size);
    await admin.query('VACUUM ANALYZE');
    const ordo = await startOrdo(bench.database);
    try {
      if (!hasRoute(ordo.app, 'GET', '/v1/availability') || !('availability' in ordo.ctx)) {
        return { id, title, goal: 'G4', status: 'not_available', reason: 'GET /v1/availability or ctx.availability is not there yet', notes: [] };
      }
      const view = ordo.ctx.availability;
      const viewStart = performance.now();
      if (!(await waitUntil(() => view.loaded, 180_000))) throw new Error('the availability view did not load within 180 s');
      const viewLoadS = round((performance.now() - viewStart) / 1000, 1);
      const channelParam = network.channel ? `&channel=${encodeURIComponent(network.channel)}` : '';
      const baskets = Array.from({ length: 2048 }, () => ({ skus: basket(network.sampleSkus), postalCode: POSTAL_CODES[Math.floor(Math.random() * POSTAL_CODES.length)]! }));
      for (const code of POSTAL_CODES) if (!lookupPostalCode('FR', code)) throw new Error(`postal code ${code} is not in the table`);

      // In-process lookup: the use case the route calls, timed call by call (bounded loop).
      const iterations = env.quick ? 3_000 : 30_000;
      const lookup = new LatencyRecorder();
      let answered = 0;
      for (let i = 0; i < iterations; i++) {
        const b = baskets[i % baskets.length]!;
        const t0 = performance.now();
        const r = getAvailability(view, { skus: b.skus.join(','), postalCode: b.postalCode, country: 'FR', channel: network.channel });
        lookup.add(performance.now() - t0);
        if (r.ok) answered++;
      }
      const lookupStats = lookup.summary();
      // The view's own query (origin already resolved), i.e. without the request parsing of the use case.
      const raw = new LatencyRecorder();
      for (let i = 0; i < iterations; i++) {
        const b = baskets[i % baskets.length]!;
        const origin = lookupPostalCode('FR', b.postalCode);
        const t0 = performance.now();
        view.query({ skus: b.skus, channelId: network.channel, origin, limit: 20 });
        raw.add(performance.now() - t0);
      }
      const rawStats = raw.summary();

      const pool: pg.Pool = bench.pool(CONCURRENCY);
      const windowS = env.seconds(4, 1);
      const sqlBaskets = baskets.map((b) => b.skus);
      const loop = { concurrency: CONCURRENCY, durationMs: windowS * 1000, warmupMs: 0 };
      const sqlAtp = async (): Promise<boolean> => {
        const r = await pool.query({ text: DB_ATP_SQL, values: [sqlBaskets[Math.floor(Math.random() * sqlBaskets.length)]] });
        return r.rowCount !== null;
      };
      const paths = baskets.map((b) => `/v1/availability?skus=${encodeURIComponent(b.skus.join(','))}&postalCode=${b.postalCode}&country=FR${channelParam}`);
      const load = { url: `${ordo.url}/v1/availability`, connections: CONCURRENCY, method: 'GET' as const, headers: authHeaders, paths };
      await runClosedLoop({ ...loop, durationMs: env.warmupS * 1000 }, sqlAtp);
      await runHttpLoad({ ...load, durationS: env.warmupS });
      const { baseline: database, product: http } = await abba(
        () => runClosedLoop(loop, sqlAtp),
        () => runHttpLoad({ ...load, durationS: windowS }),
      );
      await pool.end();
      const lookupAimMs = 2;
      return measuredFigure({
        id,
        title,
        goal: 'G4',
        product: { label: `GET /v1/availability (${BASKET} SKUs + postal code), ${CONCURRENCY} connections`, rate: http.rate, unit: 'req/s', p50Ms: http.p50Ms, p99Ms: http.p99Ms, details: { ...http } },
        baseline: { label: `per-location ATP of ${BASKET} SKUs joined with locations, pg Pool of ${CONCURRENCY}`, rate: database.rate, unit: 'queries/s', p50Ms: database.p50Ms, p99Ms: database.p99Ms, details: { ...database } },
        minRatio: 10,
        checks: [
          { name: `in-process lookup p99 (${BASKET}-SKU basket, ${network.locations} x ${network.skus})`, value: round(lookupStats.p99, 4), aim: `<= ${lookupAimMs} ms`, pass: lookupStats.p99 <= lookupAimMs },
          { name: 'in-process lookups answered', value: `${answered} / ${iterations}`, aim: 'all', pass: answered === iterations },
          { name: 'HTTP requests all 200', value: http.failed, aim: '= 0 failed', pass: http.failed === 0 },
        ],
        notes: [
          `network: generateLargeNetwork (seed ${size.seed}) via loadNetwork; ${network.locations} locations x ${network.skus} SKUs, ${network.positions} positions, loaded in ${network.loadSeconds} s; view loaded in ${viewLoadS} s`,
          `in-process getAvailability: p50 ${round(lookupStats.p50, 4)} ms, p99 ${round(lookupStats.p99, 4)} ms, max ${round(lookupStats.max, 3)} ms over ${iterations} calls${network.channel ? `, channel ${network.channel}` : ''}`,
          `AvailabilityView.query alone: p50 ${round(rawStats.p50, 4)} ms, p99 ${round(rawStats.p99, 4)} ms, max ${round(rawStats.max, 3)} ms`,
          `SQL baseline and HTTP interleaved A-B-B-A, windows of ${windowS} s, same concurrency, loopback; the SQL is planned per basket (unnamed statement)`,
        ],
      });
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}
