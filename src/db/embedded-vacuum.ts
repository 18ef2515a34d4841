import { sql } from 'kysely';
import pino from 'pino';
import { PeriodicTask } from '../background.js';
import type { Config } from '../config.js';
import type { Db } from './database.js';
import { tablesDue, type TableActivity, type TableUpkeep } from './vacuum-policy.js';

export const EMBEDDED_VACUUM_JOB = 'embedded-vacuum';

type Log = Pick<pino.Logger, 'debug' | 'info' | 'error'>;

/**
 * Autovacuum for the embedded database: PGlite runs PostgreSQL without the autovacuum launcher, so without
 * this task dead row versions pile up behind hot rows (stock positions, pick loads, reservations, outbox) and the
 * planner keeps the statistics of tables that were empty. Only for PGlite: a server vacuums itself.
 * PGlite does not keep the counters across a restart: what a table owed before it (less than its
 * thresholds, or it would have been done) waits until the new run's counts pass them.
 */
export function embeddedVacuumTask(db: Db, config: Config, log: Log = pino({ name: EMBEDDED_VACUUM_JOB, level: config.logLevel })): PeriodicTask {
  return new PeriodicTask(EMBEDDED_VACUUM_JOB, config.embeddedVacuumIntervalMs, () => vacuumDueTables(db, log), log);
}

/**
 * Vacuums (with analyze) or analyzes each table autovacuum would, one statement per table: VACUUM cannot
 * run in a transaction, and PGlite runs one statement at a time, so requests wait for one table, never
 * for the whole database.
 */
export async function vacuumDueTables(db: Db, log: Log): Promise<TableUpkeep[]> {
  const started = performance.now();
  const due = tablesDue(await tableActivity(db));
  log.debug({ due: due.length, ms: elapsedMs(started) }, 'embedded database: table statistics read');
  for (const upkeep of due) {
    const table = sql.id(upkeep.schema, upkeep.table);
    const began = performance.now();
    await (upkeep.action === 'vacuum' ? sql`VACUUM (ANALYZE) ${table}` : sql`ANALYZE ${table}`).execute(db);
    log.info({ ...upkeep, ms: elapsedMs(began) }, `embedded database: ${upkeep.action === 'vacuum' ? 'vacuumed and analyzed' : 'analyzed'} ${upkeep.schema}.${upkeep.table}`);
  }
  return due;
}

async function tableActivity(db: Db): Promise<TableActivity[]> {
  // A backend publishes its counters when it goes idle, at most once a second, and PGlite has no idle
  // timer to publish the rest later: ask for them now, or the last writes before a quiet spell are missed.
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  // Ordinary tables and materialized views, catalogs included (temporary tables, created and dropped by
  // stock snapshots, leave dead rows there); TOAST tables are vacuumed with their table, temporary
  // tables are not ours to vacuum.
  const { rows } = await sql<TableActivity>`
    SELECT s.schemaname AS schema, s.relname AS table, c.reltuples::float8 AS reltuples,
           s.n_dead_tup::float8 AS "deadTuples", s.n_ins_since_vacuum::float8 AS "insertedSinceVacuum",
           s.n_mod_since_analyze::float8 AS "modifiedSinceAnalyze", age(c.relfrozenxid)::float8 AS "xidAge"
      FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'`.execute(db);
  return rows;
}

const elapsedMs = (since: number): number => Math.round((performance.now() - since) * 10) / 10;
