import crypto from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { serverUrl } from './test-db.js';

/** Migrates one template database per run; every test file clones it (fast, isolated). */
export default async function setup(): Promise<() => Promise<void>> {
  const name = `ordo_tpl_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `the PostgreSQL test suites need a server at ${serverUrl('postgres')} (set ORDO_TEST_PG_URL): ${(err as Error).message}`,
    );
  }
  // Databases left by a killed run are dropped once they are an hour old.
  const stale = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname ~ '^ordo_(t|tpl)_' AND
       (pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification < now() - interval '1 hour'`,
  );
  for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const database = connectPostgres(serverUrl(name), 2);
  await migrate(database);
  await database.close();
  process.env.ORDO_TEST_PG_TEMPLATE = name;
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
