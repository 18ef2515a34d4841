import type pg from 'pg';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { BENCH_LOCATION, benchSku, RESERVE_ONE_SQL, seedBenchStock } from '../lib/bench-sql.js';
import { runClosedLoop } from '../lib/closed-loop.js';
import { runHttpLoad } from '../lib/http-load.js';
import { authHeaders, startOrdo } from '../lib/ordo-instance.js';
import { abba } from '../lib/abba.js';
import { activeHoldsWithReference, checkpoint, hasRoute, stockConservation } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';

const SKUS = 10_000;
/** Tells the product's rows apart from the baseline's (which carry 'bench'). */
const HTTP_REFERENCE = 'bench-http';
const CONCURRENCY = 32;
const randomSku = (): string => benchSku(1 + Math.floor(Math.random() * SKUS));

/** Request bodies spread over the whole catalogue: the load generator picks one at random per request. */
function holdBodies(count: number): string[] {
  return Array.from({ length: count }, () => JSON.stringify({ lines: [{ sku: randomSku(), locationId: BENCH_LOCATION, quantity: 1 }], reference: HTTP_REFERENCE }));
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
      const windowS = env.seconds(4, 1);
      const pool: pg.Pool = bench.pool(CONCURRENCY);
      const loop = { concurrency: CONCURRENCY, durationMs: windowS * 1000, warmupMs: 0 };
      const sqlHold = async (): Promise<boolean> => {
        const r = await pool.query({ name: 'reserve_one', text: RESERVE_ONE_SQL, values: [randomSku(), BENCH_LOCATION, 1] });
        return r.rowCount === 1;
      };
      const load = { url: `${ordo.url}/v1/reservations`, connections: CONCURRENCY, method: 'POST' as const, headers: { ...authHeaders, 'content-type': 'application/json' }, bodies: holdBodies(4096) };
      await runClosedLoop({ ...loop, durationMs: env.warmupS * 1000 }, sqlHold);
      const warm = await runHttpLoad({ ...load, durationS: env.warmupS });
      const { baseline, product } = await abba(
        () => runClosedLoop(loop, sqlHold),
        () => runHttpLoad({ ...load, durationS: windowS }),
        () => checkpoint(admin),
      );
      await pool.end();
      const after = await stockConservation(admin, 'BENCH-%');
      const productHolds = await activeHoldsWithReference(admin, HTTP_REFERENCE);
      const expectedHolds = warm.ok + product.ok;
      return measuredFigure({
        id,
        title,
        goal: 'G1',
        product: { label: 'POST /v1/reservations (1 line), 32 connections', rate: product.rate, unit: 'holds/s', p50Ms: product.p50Ms, p99Ms: product.p99Ms, details: { ...product } },
        baseline: { label: 'one SQL statement with the same writes, pg Pool of 32', rate: baseline.rate, unit: 'holds/s', p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms, details: { ...baseline } },
        minRatio: 0.5,
        checks: [
          { name: 'no failed product requests', value: product.failed, aim: '= 0', pass: product.failed === 0 },
          { name: 'no failed baseline holds', value: baseline.failed, aim: '= 0', pass: baseline.failed === 0 },
          // autocannon stops counting at the deadline while the server still commits what was in flight.
          {
            name: 'active rows written vs 2xx responses',
            value: `${productHolds} rows / ${expectedHolds} 2xx`,
            aim: `2xx <= rows <= 2xx + ${3 * CONCURRENCY} in flight`,
            pass: productHolds >= expectedHolds && productHolds <= expectedHolds + 3 * CONCURRENCY,
          },
          { name: 'reserved = Σ active holds, no oversell', value: `${after.reserved} / ${after.activeQuantity}, oversold ${after.oversold}`, aim: 'equal, 0', pass: after.reserved === after.activeQuantity && after.oversold === 0 },
        ],
        notes: [`${SKUS} SKUs x 1 location, on hand 1e9 each; baseline and product interleaved A-B-B-A, windows of ${windowS} s, CHECKPOINT before each; Ordo pool ${ordo.ctx.config.poolSize}`],
      });
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}
