import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { connectPglite, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { abba } from '../lib/abba.js';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { BENCH_LOCATION, benchSku, RESERVE_ONE_SQL, seedBenchStock } from '../lib/bench-sql.js';
import { runClosedLoop } from '../lib/closed-loop.js';
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

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const database = await connectPglite(dataDir);
  await migrate(database);
  await seedBenchStock((text) => database.pglite!.exec(text), { skus: SKUS, onHand: 1_000_000_000 });
  return database;
}

/** G9: the same one-statement hold (guarded update + reservation + ledger + outbox) on PGlite vs the server at c=1, sync commit. */
export async function pgliteFigure(env: BenchEnv): Promise<FigureResult> {
  const windowS = env.seconds(3, 1);
  const loop = { concurrency: 1, durationMs: windowS * 1000, warmupMs: 0 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-bench-pglite-'));
  const bench = await createBenchDatabase(2);
  const client = new pg.Client({ connectionString: bench.url });
  let disk: Database | undefined;
  let memory: Database | undefined;
  try {
    await seedBenchStock((text) => bench.database.pool!.query(text), { skus: SKUS, onHand: 1_000_000_000 });
    await client.connect();
    await client.query('SET synchronous_commit = on');
    const serverCommit = (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;
    const serverFsync = (await client.query<{ fsync: string }>('SHOW fsync')).rows[0]!.fsync;
    disk = await openPglite(path.join(dir, 'data'));
    memory = await openPglite(undefined);
    const durability = await pgliteDurability(disk.pglite!, dir);

    const onServer = async (): Promise<boolean> => {
      const r = await client.query({ name: 'reserve_one', text: RESERVE_ONE_SQL, values: [randomSku(), BENCH_LOCATION, 1] });
      return r.rowCount === 1;
    };
    const onPglite = (p: PGlite) => async (): Promise<boolean> => (await p.query(RESERVE_ONE_SQL, [randomSku(), BENCH_LOCATION, 1])).rows.length === 1;
    const diskHold = onPglite(disk.pglite!);
    for (const warm of [onServer, diskHold, onPglite(memory.pglite!)]) await runClosedLoop({ ...loop, durationMs: env.warmupS * 1000 }, warm);
    const { baseline: server, product: pglite } = await abba(
      () => runClosedLoop(loop, onServer),
      () => runClosedLoop(loop, diskHold),
    );
    const inMemory = await runClosedLoop(loop, onPglite(memory.pglite!));
    return measuredFigure({
      id: 'pglite-vs-server',
      title: 'single-connection hold: PGlite vs PostgreSQL server',
      goal: 'G9',
      product: { label: 'PGlite (NodeFS data dir), same SQL, one connection', rate: pglite.rate, unit: 'holds/s', p50Ms: pglite.p50Ms, p99Ms: pglite.p99Ms, details: { ...pglite, durability, inMemory } },
      baseline: { label: 'PostgreSQL server, one connection, prepared', rate: server.rate, unit: 'holds/s', p50Ms: server.p50Ms, p99Ms: server.p99Ms, details: { ...server, synchronous_commit: serverCommit, fsync: serverFsync } },
      minRatio: 0.4,
      checks: [
        { name: 'PGlite holds all succeeded', value: pglite.failed, aim: '= 0 failed', pass: pglite.failed === 0 },
        { name: 'server holds all succeeded', value: server.failed, aim: '= 0 failed', pass: server.failed === 0 },
      ],
      notes: [
        `PGlite durability: ${Object.entries(durability).map(([k, v]) => `${k}=${v}`).join(', ')}; server: synchronous_commit=${serverCommit}, fsync=${serverFsync}`,
        `PGlite in memory: ${inMemory.rate} holds/s (p99 ${inMemory.p99Ms} ms)`,
        `server and PGlite interleaved A-B-B-A, windows of ${windowS} s; one statement per hold: guarded UPDATE of stock_position, reservation row, inventory_ledger row, stock.changed outbox row`,
      ],
    });
  } finally {
    await client.end().catch(() => undefined);
    await disk?.close();
    await memory?.close();
    await bench.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
