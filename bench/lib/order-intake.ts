import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { atLocalTime } from '../../src/domain/promise/calendar.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { DEMO_CARRIERS } from '../../src/modules/demo/demo-carriers.js';
import { SeededRandom } from '../../src/modules/demo/seeded-random.js';
import { checkInventory } from '../../src/modules/inventory/check-inventory.js';
import { putCarrier } from '../../src/modules/promise/put-carrier.js';
import { createBenchDatabase, type BenchDatabase } from './bench-db.js';
import type { BenchEnv } from './bench-env.js';
import { loadLargeNetwork, type LargeNetwork } from './large-network.js';
import { runHttpLoad, type HttpLoadOptions, type HttpLoadResult } from './http-load.js';
import { ownCpuMs, processTreeCpuMs } from './cpu-meter.js';
import { authHeaders, startOrdo, type OrdoInstance } from './ordo-instance.js';
import { poolPerWorker, startOrdoServer, type OrdoServer } from './ordo-server.js';

/**
 * The order-intake scene shared by G1 (order-intake) and G3 (hot-sku-intake): the product's large
 * benchmark network (2 warehouses holding every SKU, stores holding a tenth of the catalogue, drop-ship
 * suppliers), the demo carriers, store cut-offs, and a clock pinned to a Tuesday morning in Paris.
 */

/** Store cut-offs as the demo sets them. */
const STORE_CUTOFFS = { standard: '15:00', express: '15:00', same_day: '14:00' };
/** Tuesday 11:00 Paris whatever the wall clock says: every location open, every cut-off ahead. */
const ORDER_TIME = atLocalTime('Europe/Paris', '2026-11-24', '11:00');
/**
 * Warehouse stock and pick capacity are topped up so that no position and no day's capacity runs out
 * during a run (a window of 20 s at a few hundred orders/s takes ~10k orders): the figure measures
 * intake, not a sell-out. Store stock stays as generated (0–8 units), so stores run dry as in life.
 */
const WAREHOUSE_ON_HAND = 1_000_000;
const WAREHOUSE_CAPACITY = 100_000_000;
export const ORDER_LINES = 3;
/** Distinct customers the orders are spread over (e-mail is the customer match key). */
const CUSTOMERS = 50_000;

/** How Ordo runs for the intake figures: HTTP worker processes and database connections in each. */
export interface Deployment {
  workers: number;
  poolSize: number;
}

/**
 * Ordo deployed for order intake on a box whose cores it shares with PostgreSQL (this one: the database,
 * the load generator and Ordo on 2 CPUs): one HTTP worker per two cores, 3 database connections per core
 * (poolPerWorker). An order costs about as much CPU in PostgreSQL as in Node, so Node gets half the box
 * (the promise, in memory, runs a worker per core). Quick G1 runs here (orders/s, PostgreSQL CPU per
 * order): 2 workers x pool 12 (a worker per core, the default pool) 118/s, 4.6 ms; 2 x 6: 169/s, 2.9 ms;
 * 1 x 12: 190/s, 2.7 ms; 1 x 6: 205-216/s, 2.1-2.2 ms; 1 x 4: 219/s, 1.9 ms, but a worse p99 at the
 * goal's rate. See bench/README.md.
 */
export function deploymentFor(cores: number): Deployment {
  const workers = Math.max(1, Math.floor(cores / 2));
  return { workers, poolSize: poolPerWorker(cores, workers) };
}

export interface IntakeScene {
  bench: BenchDatabase;
  network: LargeNetwork;
  /** The in-process instance: its context (clock, availability view) and server (query probe); closed by `deploy`. */
  ordo: OrdoInstance;
  /** Where the order load goes: the in-process instance's URL, after `deploy` the deployed server's. */
  url: string;
  /** Node CPU in ms: this process, plus the deployed server's processes once there is one. */
  nodeCpuMs(): number;
  /**
   * Closes the in-process instance and starts Ordo as deployed on this box (src/main.ts sized by
   * `deploymentFor`, background jobs in the leader) on the same database, clock and data directory.
   */
  deploy(): Promise<Deployment>;
  /** SKU #1: in every order of the hot run. */
  hotSku: string;
  /** SKUs the uniform orders draw from (stocked at the warehouses, hot SKU excluded). */
  skus: string[];
  postalCodes: string[];
  warehouses: string[];
  close(): Promise<void>;
}

function pinnedClock(): Clock {
  const offset = ORDER_TIME - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** A fresh database with the network (200 locations x 10k SKUs; 50 x 2k in --quick) and an Ordo instance on it. */
export async function openIntakeScene(env: BenchEnv): Promise<IntakeScene> {
  const bench = await createBenchDatabase(12);
  try {
    const db = bench.database.db;
    const admin = bench.pool(2);
    const network = await loadLargeNetwork(db, { locations: env.quick ? 50 : 200, skus: env.quick ? 2_000 : 10_000, seed: 42 });
    await db.updateTable('location').set({ cutoffs: JSON.stringify(STORE_CUTOFFS) }).where('type', '=', 'store').execute();
    for (const [carrierId, carrier] of Object.entries(DEMO_CARRIERS)) {
      const put = await putCarrier(db, systemActor('bench'), carrierId, carrier);
      if (!put.ok) throw new Error(`carrier ${carrierId}: ${put.message}`);
    }
    const warehouses = (await admin.query<{ id: string }>(`SELECT id FROM location WHERE type = 'warehouse' ORDER BY id`)).rows.map((r) => r.id);
    await admin.query(`UPDATE location SET daily_pick_capacity = $1 WHERE type = 'warehouse'`, [WAREHOUSE_CAPACITY]);
    // A top-up recorded like any stock set (ledger row), so the inventory check still replays the ledger.
    await admin.query(
      `WITH s AS (
         UPDATE stock_position sp SET on_hand = $1 FROM stock_position old
         WHERE sp.location_id = ANY($2::text[]) AND old.sku = sp.sku AND old.location_id = sp.location_id
         RETURNING sp.sku, sp.location_id, old.on_hand AS before, sp.reserved)
       INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, reference, actor)
       SELECT sku, location_id, 'set', before, $1, reserved, reserved, 'bench', 'warehouse top-up', 'bench' FROM s`,
      [WAREHOUSE_ON_HAND, warehouses],
    );
    const skus = (
      await admin.query<{ sku: string }>(`SELECT sku FROM stock_position WHERE location_id = ANY($1::text[]) GROUP BY sku HAVING count(*) = $2 ORDER BY sku`, [warehouses, warehouses.length])
    ).rows.map((r) => r.sku);
    const hotSku = skus[0]!;
    await admin.query('VACUUM ANALYZE');
    await admin.end();
    // Order confirmations are e-mailed as .eml files without an SMTP server: keep them out of the tree.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-bench-intake-'));
    const ordo = await startOrdo(bench.database, undefined, pinnedClock(), { ORDO_DATA_DIR: dataDir });
    let inProcess = true;
    let server: OrdoServer | undefined;
    const stop = async (): Promise<void> => {
      if (inProcess) await ordo.close();
      await server?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    if (!(await waitUntil(() => ordo.ctx.availability.loaded, 180_000))) {
      await stop();
      throw new Error('the availability view did not load within 180 s');
    }
    const scene: IntakeScene = {
      bench,
      network,
      ordo,
      url: ordo.url,
      nodeCpuMs: () => ownCpuMs() + (server ? processTreeCpuMs(server.pid) : 0),
      async deploy() {
        await ordo.close();
        inProcess = false;
        const deployment = deploymentFor(os.availableParallelism());
        server = await startOrdoServer(bench.url, deployment.workers, {
          ORDO_CLOCK_START: ordo.ctx.clock.now().toISOString(),
          ORDO_DATA_DIR: dataDir,
          ORDO_DB_POOL_SIZE: String(deployment.poolSize),
        });
        scene.url = server.url;
        return deployment;
      },
      hotSku,
      skus: skus.slice(1),
      postalCodes: network.storePostalCodes,
      warehouses,
      close: async () => {
        await stop();
        await bench.drop();
      },
    };
    return scene;
  } catch (err) {
    await bench.drop();
    throw err;
  }
}

export interface OrderBody {
  channel: string;
  currency: 'EUR';
  customer: { email: string; name: string };
  lines: Array<{ sku: string; quantity: number }>;
  delivery: { method: 'ship'; service: 'standard'; address: { name: string; line1: string; postalCode: string; city: string; country: 'FR' } };
  payment: { provider: 'manual' };
}

/**
 * `count` order bodies: 3 distinct SKUs drawn uniformly (with `hot`, SKU #1 plus 2 uniform ones), one
 * unit each, shipped standard to a store's postal code, paid with the manual provider. Seeded.
 */
export function orderBodies(scene: Pick<IntakeScene, 'skus' | 'postalCodes' | 'hotSku'>, count: number, opts: { hot: boolean; seed: number }): OrderBody[] {
  const random = new SeededRandom(opts.seed);
  return Array.from({ length: count }, () => {
    const picked = new Set<string>(opts.hot ? [scene.hotSku] : []);
    while (picked.size < ORDER_LINES) picked.add(random.pick(scene.skus));
    const n = random.int(1, CUSTOMERS);
    const postalCode = random.pick(scene.postalCodes);
    return {
      channel: 'web',
      currency: 'EUR',
      customer: { email: `customer-${n}@bench.example`, name: `Client ${n}` },
      lines: [...picked].map((sku) => ({ sku, quantity: 1 })),
      delivery: { method: 'ship', service: 'standard', address: { name: `Client ${n}`, line1: `${n} rue du Banc`, postalCode, city: 'Ville', country: 'FR' } },
      payment: { provider: 'manual' },
    };
  });
}

/**
 * POST /v1/orders with the given bodies (picked at random), every request under a new Idempotency-Key;
 * as fast as answered, or with `overallRate` at that many requests per second, where `openLoop` may add a
 * lead-in reported apart and every answered order's arrival and latency (HttpLoadOptions).
 */
export function orderLoad(
  scene: IntakeScene,
  bodies: OrderBody[],
  connections: number,
  durationS: number,
  overallRate?: number,
  openLoop: Pick<HttpLoadOptions, 'leadInS' | 'series'> = {},
): Promise<HttpLoadResult> {
  return runHttpLoad({
    ...(overallRate ? { overallRate, ...openLoop } : {}),
    url: `${scene.url}/v1/orders`,
    connections,
    method: 'POST',
    headers: { ...authHeaders, 'content-type': 'application/json' },
    bodies: bodies.map((b) => JSON.stringify(b)),
    uniqueHeader: 'idempotency-key',
    durationS,
  });
}

export interface StockAudit {
  /** Positions whose ledger, reserved counter and open claims (holds, order allocations) disagree. */
  drift: number;
  checkedPositions: number;
  /** Positions with more reserved than on hand minus safety stock. */
  oversold: number;
  orders: number;
}

/** The inventory invariant check of the product (`checkInventory`) plus the oversell count, after a run. */
export async function auditStock(scene: IntakeScene, pool: pg.Pool): Promise<StockAudit> {
  const report = await checkInventory(scene.bench.database.db, systemActor('bench'));
  const r = await pool.query<{ oversold: number; orders: number }>(
    `SELECT (SELECT count(*) FROM stock_position WHERE reserved > 0 AND reserved > on_hand - safety_stock)::int AS oversold,
            (SELECT count(*) FROM sales_order)::int AS orders`,
  );
  return { drift: report.driftCount, checkedPositions: report.checkedPositions, oversold: r.rows[0]!.oversold, orders: r.rows[0]!.orders };
}

/**
 * Waits until the background consumers have caught up with every event written so far (the sequencer
 * has numbered them and every consumer's position reached the last one), then checkpoints. Run after each
 * measured window: what a window's events cost the background tasks while it ran counts for that window,
 * what is left over does not spill into the next one (the other side's). Returns the ms it waited.
 */
export async function settle(pool: pg.Pool, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const r = await pool.query<{ behind: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM outbox_event WHERE position IS NULL)
              OR coalesce((SELECT min(position) FROM event_consumer), 0) < coalesce((SELECT max(position) FROM outbox_event), 0) AS behind`,
    );
    if (!r.rows[0]!.behind) break;
    if (performance.now() - started > timeoutMs) throw new Error(`the background consumers did not catch up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const waited = performance.now() - started;
  await pool.query('CHECKPOINT');
  return Math.round(waited);
}

/**
 * ANALYZE after a probe's warm-up: what autovacuum does on a server that has it on. This one has it off
 * (so does CI's), and a connection caches its foreign-key checks' plans from its first use: opened on
 * empty order tables, they stay sequential scans for the connection's life (an in-process probe's
 * `order_allocation` insert read 978 buffers for 3 rows, 151 in the deployed server, whose connections
 * open on filled tables). ANALYZE invalidates those plans; the next use plans them on the real sizes.
 */
export async function analyzeTables(pool: pg.Pool): Promise<void> {
  await pool.query('ANALYZE');
}

/** Runs a measured window, then `settle`, and reports how long the events it left took to process. */
export async function settled<T extends object>(pool: pg.Pool, fn: () => Promise<T>): Promise<T & { eventLagMs: number }> {
  const result = await fn();
  return { ...result, eventLagMs: await settle(pool) };
}

/** Mean catch-up time of the background consumers after a side's windows. */
export const meanLag = (windows: ReadonlyArray<object>): number =>
  Math.round(windows.reduce((s, w) => s + ((w as { eventLagMs?: number }).eventLagMs ?? 0), 0) / Math.max(windows.length, 1));
