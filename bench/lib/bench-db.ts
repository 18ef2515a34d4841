import crypto from 'node:crypto';
import pg from 'pg';
import { connectPostgres, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

/** The PostgreSQL server the benchmark runs against (loopback); ORDO_BENCH_PG_URL overrides it. */
export const serverBaseUrl = (): URL => new URL(process.env.ORDO_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

export function databaseUrl(name: string): string {
  const url = serverBaseUrl();
  url.pathname = `/${name}`;
  return url.toString();
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** Ordo's own connection (migrated), used by the app instance. */
  database: Database;
  /** A separate pool for baselines and checks, so they never borrow the app's connections. */
  pool(max: number): pg.Pool;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverBaseUrl().toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const serverVersion = (): Promise<string> => admin(async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v);

/** A fresh, migrated database for this run; `drop()` removes it (and closes every pool made here). */
export async function createBenchDatabase(appPoolSize: number): Promise<BenchDatabase> {
  const name = `ordo_bench_${crypto.randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(name);
  const database = connectPostgres(url, appPoolSize);
  const pools: pg.Pool[] = [];
  try {
    await migrate(database);
  } catch (err) {
    await database.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    throw err;
  }
  return {
    name,
    url,
    database,
    pool(max) {
      const pool = new pg.Pool({ connectionString: url, max });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.allSettled([database.close(), ...pools.map((p) => p.end())]);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
