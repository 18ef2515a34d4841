import crypto from 'node:crypto';
import pg from 'pg';
import { connectPglite, connectPostgres, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

/** Which database the integration suites run on: set per vitest project (see vitest.config.ts). */
export const testDbKind = (): 'pglite' | 'postgres' => (process.env.ORDO_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

export const serverUrl = (database: string): string => {
  const base = new URL(process.env.ORDO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${database}`;
  return base.toString();
};

let pgliteTemplate: Promise<Blob> | undefined;

/** A migrated PGlite data dir, built once per worker and cloned for every test database. */
function pgliteTemplateBlob(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const database = await connectPglite(undefined);
    await migrate(database);
    const blob = await database.pglite!.dumpDataDir('none');
    await database.close();
    return blob;
  })();
  return pgliteTemplate;
}

export interface TestDatabase extends Database {
  /** Database name on the server (postgres only), for child processes that connect on their own. */
  url?: string;
}

/**
 * A fresh, migrated database for one test file: PGlite cloned from a migrated data dir, or a
 * PostgreSQL database created from the template that global setup migrated (CREATE DATABASE ... TEMPLATE).
 */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (testDbKind() === 'pglite') {
    return connectPglite(undefined, await pgliteTemplateBlob());
  }
  const template = process.env.ORDO_TEST_PG_TEMPLATE;
  if (!template) throw new Error('ORDO_TEST_PG_TEMPLATE is not set: run the postgres suites through vitest (global setup)');
  const name = `ordo_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = serverUrl(name);
  const database = connectPostgres(url, opts.poolSize ?? 20);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: serverUrl('postgres') });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
