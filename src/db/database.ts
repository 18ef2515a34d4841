import fs from 'node:fs';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { ServerClient } from './server-client.js';
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
  const pool = new pg.Pool({ connectionString: url, max: poolSize, Client: ServerClient });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  multiStatementDbs.add(db);
  return { db, kind: 'postgres', pool, close: () => db.destroy() };
}

const multiStatementDbs = new WeakSet<Db>();

/**
 * Whether `db` runs several statements sent in one message (the server's simple protocol; PGlite's
 * queries run one statement each): a StatementBatch may then send its statements as they are, and carry
 * the transaction's COMMIT (server-client.ts).
 */
export const runsMultiStatementMessages = (db: Db): boolean => multiStatementDbs.has(db);

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
