import type pg from 'pg';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { BENCH_LOCATION, benchSku, RESERVE_ONE_SQL, seedBenchStock } from '../lib/bench-sql.js';
import { runClosedLoop } from '../lib/closed-loop.js';
import { runHttpLoad } from '../lib/http-load.js';
import { authHeaders, startOrdo } from '../lib/ordo-instance.js';
import { checkpoint, hasRoute, stockConservation } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';

const SKUS = 10_000;
const CONCURRENCY = 32;
const randomSku = (): string => benchSku(1 + Math.floor(Math.random() * SKUS));

/** Request bodies spread over the whole catalogue: the load generator picks one at random per request. */
function holdBodies(count: number): string[] {
  return Array.from({ length: count }, () => JSON.stringify({ lines: [{ sku: randomSku(), locationId: BENCH_LOCATION, quantity: 1 }], reference: 'bench' }));
}

/**
 * G1 (for holds): POST /v1/reservations with one line on random SKUs, 32 connections, vs the same writes
 * (guarded update, reservation, ledger, outbox) as one SQL statement from a pg Pool of 32.
 */
export async function reservationsFigure(env: BenchEnv): Promise<FigureResult> {
  const id = 'reservations-http-vs-sql';
  const title = 'reservations over HTTP vs bare SQL';
  const bench = await createBenchDatabase(12);
  try {
    const admin = bench.pool(2);
    await seedBenchStock((text) => admin.query(text), { skus: SKUS, onHand: 1_000_000_000 });
    const ordo = await startOrdo(bench.database);
    try {
      if (!hasRoute(ordo.app, 'POST', '/v1/reservations')) {
        return { id, title, goal: 'G1', status: 'not_available', reason: 'POST /v1/reservations is not registered by buildApp yet', notes: [] };
      }
      const durationS = env.seconds(8);
      const pool: pg.Pool = bench.pool(CONCURRENCY);
      await checkpoint(admin);
      const baseline = await runClosedLoop({ concurrency: CONCURRENCY, durationMs: durationS * 1000, warmupMs: env.warmupS * 1000 }, async () => {
        const r = await pool.query({ name: 'reserve_one', text: RESERVE_ONE_SQL, values: [randomSku(), BENCH_LOCATION, 1] });
        return r.rowCount === 1;
      });
      await pool.end();
      const before = await stockConservation(admin, 'BENCH-%');

      await checkpoint(admin);
      const load = { url: `${ordo.url}/v1/reservations`, connections: CONCURRENCY, method: 'POST' as const, headers: { ...authHeaders, 'content-type': 'application/json' }, bodies: holdBodies(4096) };
      const warm = await runHttpLoad({ ...load, durationS: env.warmupS });
      const product = await runHttpLoad({ ...load, durationS });
      const after = await stockConservation(admin, 'BENCH-%');
      const productHolds = after.activeRows - before.activeRows;
      const expectedHolds = warm.ok2xx + product.ok2xx;
      return measuredFigure({
        id,
        title,
        goal: 'G1',
        product: { label: 'POST /v1/reservations (1 line), 32 connections', rate: product.rate, unit: 'holds/s', p50Ms: product.p50Ms, p99Ms: product.p99Ms, details: { ...product, durationS } },
        baseline: { label: 'one SQL statement with the same writes, pg Pool of 32', rate: baseline.rate, unit: 'holds/s', p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms, details: { ...baseline } },
        minRatio: 0.5,
        checks: [
          { name: 'no failed product requests', value: product.non2xx + product.errors + product.timeouts, aim: '= 0', pass: product.non2xx + product.errors + product.timeouts === 0 },
          { name: 'no failed baseline holds', value: baseline.failed, aim: '= 0', pass: baseline.failed === 0 },
          // autocannon stops counting at the deadline while the server still commits what was in flight.
          {
            name: 'active rows written vs 2xx responses',
            value: `${productHolds} rows / ${expectedHolds} 2xx`,
            aim: `2xx <= rows <= 2xx + ${2 * CONCURRENCY} in flight`,
            pass: productHolds >= expectedHolds && productHolds <= expectedHolds + 2 * CONCURRENCY,
          },
          { name: 'reserved = Σ active holds, no oversell', value: `${after.reserved} / ${after.activeQuantity}, oversold ${after.oversold}`, aim: 'equal, 0', pass: after.reserved === after.activeQuantity && after.oversold === 0 },
        ],
        notes: [`${SKUS} SKUs x 1 location, on hand 1e9 each; baseline first, product second, CHECKPOINT before each; Ordo pool ${ordo.ctx.config.poolSize}`],
      });
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}
