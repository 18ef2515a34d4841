import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { connectPglite } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { BENCH_LOCATION, benchSku, RESERVE_ONE_SQL, seedBenchStock } from '../lib/bench-sql.js';
import { runClosedLoop, type LoopResult } from '../lib/closed-loop.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';

const SKUS = 10_000;
const randomSku = (): string => benchSku(1 + Math.floor(Math.random() * SKUS));

/** PGlite settings that decide what a commit means there, reported next to the number. */
async function pgliteDurability(pglite: PGlite, dataDir: string | undefined): Promise<Record<string, string>> {
  const show = async (name: string): Promise<string> => (await pglite.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name] ?? '?';
  return {
    storage: dataDir ? 'NodeFS data directory (Ordo default: ORDO_DATA_DIR)' : 'in memory',
    fsync: await show('fsync'),
    synchronous_commit: await show('synchronous_commit'),
    wal_sync_method: await show('wal_sync_method'),
  };
}

async function pgliteRun(env: BenchEnv, dataDir: string | undefined): Promise<{ result: LoopResult; durability: Record<string, string> }> {
  const database = await connectPglite(dataDir);
  try {
    await migrate(database);
    const pglite = database.pglite!;
    await seedBenchStock((text) => pglite.exec(text), { skus: SKUS, onHand: 1_000_000_000 });
    const durability = await pgliteDurability(pglite, dataDir);
    const result = await runClosedLoop({ concurrency: 1, durationMs: env.seconds(6, 2) * 1000, warmupMs: env.warmupS * 1000 }, async () => {
      const r = await pglite.query(RESERVE_ONE_SQL, [randomSku(), BENCH_LOCATION, 1]);
      return r.rows.length === 1;
    });
    return { result, durability };
  } finally {
    await database.close();
  }
}

/** G9: the same one-round-trip hold (guarded update + reservation + ledger + outbox) on PGlite vs the server at c=1, sync commit. */
export async function pgliteFigure(env: BenchEnv): Promise<FigureResult> {
  const bench = await createBenchDatabase(2);
  let server: LoopResult;
  let serverCommit: string;
  try {
    await seedBenchStock((text) => bench.database.pool!.query(text), { skus: SKUS, onHand: 1_000_000_000 });
    const client = new pg.Client({ connectionString: bench.url });
    await client.connect();
    try {
      await client.query('SET synchronous_commit = on');
      serverCommit = (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;
      server = await runClosedLoop({ concurrency: 1, durationMs: env.seconds(6, 2) * 1000, warmupMs: env.warmupS * 1000 }, async () => {
        const r = await client.query({ name: 'reserve_one', text: RESERVE_ONE_SQL, values: [randomSku(), BENCH_LOCATION, 1] });
        return r.rowCount === 1;
      });
    } finally {
      await client.end();
    }
  } finally {
    await bench.drop();
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-bench-pglite-'));
  let disk;
  let memory;
  try {
    disk = await pgliteRun(env, path.join(dir, 'data'));
    memory = await pgliteRun(env, undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const durabilityNote = `PGlite durability: ${Object.entries(disk.durability).map(([k, v]) => `${k}=${v}`).join(', ')}`;
  return measuredFigure({
    id: 'pglite-vs-server',
    title: 'single-connection hold: PGlite vs PostgreSQL server',
    goal: 'G9',
    product: {
      label: 'PGlite (NodeFS data dir), same SQL, one connection',
      rate: disk.result.rate,
      unit: 'holds/s',
      p50Ms: disk.result.p50Ms,
      p99Ms: disk.result.p99Ms,
      details: { ...disk.result, durability: disk.durability, inMemory: memory.result },
    },
    baseline: {
      label: 'PostgreSQL server, one connection, prepared',
      rate: server.rate,
      unit: 'holds/s',
      p50Ms: server.p50Ms,
      p99Ms: server.p99Ms,
      details: { ...server, synchronous_commit: serverCommit },
    },
    minRatio: 0.4,
    checks: [
      { name: 'PGlite holds all succeeded', value: disk.result.failed, aim: '= 0 failed', pass: disk.result.failed === 0 },
      { name: 'server holds all succeeded', value: server.failed, aim: '= 0 failed', pass: server.failed === 0 },
    ],
    notes: [
      durabilityNote,
      `PGlite in memory: ${memory.result.rate} holds/s (p99 ${memory.result.p99Ms} ms)`,
      'One statement per hold: guarded UPDATE of stock_position, reservation row, inventory_ledger row, stock.changed outbox row',
    ],
  });
}
