import fs from 'node:fs';
import { Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { CommitTailDialect } from './commit-tail.js';
import type { DB } from './schema.js';

/** A connection (or pool) to run statements outside a transaction. */
export type Db = Kysely<DB>;
/** An open transaction: functions that lock rows take this, never a `Db`. */
export type Tx = Transaction<DB>;
export type DbOrTx = Db | Tx;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** The pg pool when on a server (benchmarks and LISTEN need raw access). */
  pool?: pg.Pool;
  pglite?: PGlite;
  close(): Promise<void>;
}

// bigint (int8) and numeric come back as strings by default; counts and ids we sum stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function connectPostgres(url: string, poolSize = 12): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new CommitTailDialect({ pool }) });
  committingLastStatements.add(db);
  return { db, kind: 'postgres', pool, close: () => db.destroy() };
}

const committingLastStatements = new WeakSet<Db>();

/** Whether a transaction of `db` may commit with its last statement (StatementBatch.flush `commit`; the server only). */
export const commitsWithLastStatement = (db: Db): boolean => committingLastStatements.has(db);

/** Embedded PostgreSQL (WASM). `dataDir` undefined means in memory (tests). */
export async function connectPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir, loadDataDir });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Runs `fn` in one transaction: the state change, its ledger rows and its outbox events commit together. */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
