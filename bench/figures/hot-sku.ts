import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { OrdoContext } from '../../src/context.js';
import { sendResult } from '../../src/http/error-handler.js';
import { reserveNaive } from '../../src/modules/reservations/create-hold.js';
import type { CreateHoldInput } from '../../src/modules/reservations/reservation.schemas.js';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { BENCH_LOCATION, NAIVE_INSERT_SQL, NAIVE_UPDATE_SQL, seedBenchStock } from '../lib/bench-sql.js';
import { runHttpLoad } from '../lib/http-load.js';
import { authHeaders, startOrdo } from '../lib/ordo-instance.js';
import { abba } from '../lib/abba.js';
import { checkpoint, hasRoute, stockConservation } from '../lib/product-probe.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';

const CLIENTS = 64;
const HOT_SKU = 'BENCH-000001';
const CONSERVATION_SKU = 'BENCH-000002';
const NAIVE_ROUTE = '/bench/naive-reservations';
const PRODUCT_NAIVE_ROUTE = '/bench/reserve-naive';

interface NaiveBody {
  lines: { sku: string; locationId: string; quantity: number }[];
}

/**
 * The naive endpoint of PERFORMANCE.md §10 G2: per request BEGIN; guarded UPDATE; INSERT reservation;
 * COMMIT, the row lock held until the commit is flushed. Same auth and JSON path as the product, and a
 * pool as large as Ordo's, so only the reservation strategy differs.
 */
function registerNaiveRoute(app: FastifyInstance, pool: pg.Pool): void {
  app.post(NAIVE_ROUTE, { schema: { hide: true } }, async (req, reply) => {
    const line = (req.body as NaiveBody).lines[0]!;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const u = await client.query({ name: 'naive_update', text: NAIVE_UPDATE_SQL, values: [line.sku, line.locationId, line.quantity] });
      if (u.rowCount !== 1) {
        await client.query('ROLLBACK');
        return reply.code(409).send({ error: { code: 'insufficient_stock', message: 'not enough stock' } });
      }
      await client.query({ name: 'naive_insert', text: NAIVE_INSERT_SQL, values: [line.sku, line.locationId, line.quantity] });
      await client.query('COMMIT');
      return reply.code(201).send({ ok: true });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });
}

/** The product's own unbatched path (`reserveNaive`: same writes as the product, one transaction per request). */
function registerProductNaiveRoute(app: FastifyInstance, ctx: OrdoContext): void {
  app.post(PRODUCT_NAIVE_ROUTE, { schema: { hide: true } }, async (req, reply) => {
    const result = await reserveNaive(ctx.db, ctx.clock, req.actor, req.body as CreateHoldInput);
    if (!result.ok) return sendResult(reply, result);
    return reply.code(201).send(result.value.hold);
  });
}

const holdBody = (sku: string): string => JSON.stringify({ lines: [{ sku, locationId: BENCH_LOCATION, quantity: 1 }], reference: 'bench-hot' });

/**
 * G2: 64 clients reserving 1 unit of ONE SKU, product endpoint vs the naive endpoint; then conservation:
 * stock S, 5 x S requests => exactly S granted, reserved = S, S active rows, the rest 409.
 */
export async function hotSkuFigure(env: BenchEnv): Promise<FigureResult> {
  const id = 'hot-sku';
  const title = 'hot SKU: product vs naive endpoint';
  const stock = env.quick ? 200 : 1000;
  const bench = await createBenchDatabase(12);
  try {
    const admin = bench.pool(2);
    await seedBenchStock((text) => admin.query(text), { skus: 2, onHand: 1_000_000_000 });
    await admin.query('UPDATE stock_position SET on_hand = $1 WHERE sku = $2', [stock, CONSERVATION_SKU]);
    const naivePool = bench.pool(12);
    const ordo = await startOrdo(bench.database, (app, ctx) => {
      registerNaiveRoute(app, naivePool);
      registerProductNaiveRoute(app, ctx);
    });
    try {
      if (!hasRoute(ordo.app, 'POST', '/v1/reservations')) {
        return { id, title, goal: 'G2', status: 'not_available', reason: 'POST /v1/reservations is not registered by buildApp yet', notes: [] };
      }
            const common = { connections: CLIENTS, method: 'POST' as const, headers: { ...authHeaders, 'content-type': 'application/json' }, bodies: [holdBody(HOT_SKU)] };
      const naiveLoad = { ...common, url: `${ordo.url}${NAIVE_ROUTE}` };
      const productLoad = { ...common, url: `${ordo.url}/v1/reservations` };
      const productNaiveLoad = { ...common, url: `${ordo.url}${PRODUCT_NAIVE_ROUTE}` };

      const windowS = env.seconds(4, 1);
      await runHttpLoad({ ...naiveLoad, durationS: env.warmupS });
      await runHttpLoad({ ...productLoad, durationS: env.warmupS });
      const { baseline: naive, product } = await abba(
        () => runHttpLoad({ ...naiveLoad, durationS: windowS }),
        () => runHttpLoad({ ...productLoad, durationS: windowS }),
        () => checkpoint(admin),
      );
      await checkpoint(admin);
      const productNaive = await runHttpLoad({ ...productNaiveLoad, durationS: env.seconds(4, 1) });

      const conservationRun = await runHttpLoad({ ...productLoad, bodies: [holdBody(CONSERVATION_SKU)], amount: stock * 5, durationS: 60 });
      const c = await stockConservation(admin, CONSERVATION_SKU);
      const rejected = conservationRun.statusCodes['409'] ?? 0;
      const conserved =
        conservationRun.ok2xx === stock && rejected === stock * 4 && c.reserved === stock && c.activeRows === stock && c.activeQuantity === stock && c.oversold === 0;
      const p99Aim = 25;
      return measuredFigure({
        id,
        title,
        goal: 'G2',
        product: { label: 'POST /v1/reservations, one SKU, 64 connections', rate: product.rate, unit: 'holds/s', p50Ms: product.p50Ms, p99Ms: product.p99Ms, details: { ...product } },
        baseline: {
          label: 'naive endpoint (BEGIN; guarded UPDATE; INSERT; COMMIT), pool 12',
          rate: naive.rate,
          unit: 'holds/s',
          p50Ms: naive.p50Ms,
          p99Ms: naive.p99Ms,
          details: { ...naive, productReserveNaive: productNaive },
        },
        minRatio: 10,
        checks: [
          { name: 'product p99', value: product.p99Ms, aim: `<= ${p99Aim} ms`, pass: product.p99Ms <= p99Aim },
          { name: 'product requests all granted (stock never runs out)', value: product.failed, aim: '= 0 failed', pass: product.failed === 0 },
          {
            name: `conservation (S=${stock}, ${stock * 5} requests)`,
            value: `granted ${conservationRun.ok2xx}, 409 ${rejected}, other ${conservationRun.requestsTotal - conservationRun.ok2xx - rejected}, reserved ${c.reserved}, active rows ${c.activeRows}`,
            aim: `granted = reserved = rows = ${stock}, 409 = ${stock * 4}`,
            pass: conserved,
          },
        ],
        notes: [
          `secondary baseline, the product's unbatched reserveNaive (ledger + outbox, one transaction per request): ${productNaive.rate} holds/s (p99 ${productNaive.p99Ms} ms, ${productNaive.failed} failed) => product is ${productNaive.rate > 0 ? Math.round((product.rate / productNaive.rate) * 10) / 10 : 'n/a'}x`,
          `naive endpoint and product interleaved A-B-B-A, windows of ${windowS} s, CHECKPOINT before each; same auth and JSON body on every route; p99 = worst window`,
        ],
      });
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}
