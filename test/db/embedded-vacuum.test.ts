import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import type { Db } from '../../src/db/database.js';
import { EMBEDDED_VACUUM_JOB, vacuumDueTables } from '../../src/db/embedded-vacuum.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

interface TableStats {
  deadTuples: number;
  vacuums: number;
  analyzes: number;
  reltuples: number;
}

// A schema and a table whose names need quoting (space, capital, quote, dot): the task must name them exactly.
const HOT_SCHEMA = 'vacuum probe';
const HOT_TABLE = 'Hot "pick" load.v2';

async function tableStats(db: Db, schema: string, table: string): Promise<TableStats> {
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<TableStats>`
    SELECT s.n_dead_tup::int AS "deadTuples", s.vacuum_count::int AS vacuums, s.analyze_count::int AS analyzes, c.reltuples::int AS reltuples
      FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = ${schema} AND s.relname = ${table}`.execute(db);
  return rows[0]!;
}

describe('embedded database vacuum task', () => {
  let t: TestApp;
  const task = () => t.ctx.tasks.find((task) => task.name === EMBEDDED_VACUUM_JOB);

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'warn' } });
  });
  afterAll(() => t?.close());

  it('is scheduled on PGlite only (a PostgreSQL server vacuums itself), and not with ORDO_EMBEDDED_VACUUM_INTERVAL_MS=0', () => {
    expect(t.ctx.database.kind).toBe(testDbKind());
    expect(task() !== undefined).toBe(testDbKind() === 'pglite');
    const off = createContext({ ...t.ctx.config, embeddedVacuumIntervalMs: 0 }, t.database, t.clock);
    expect(off.tasks.map((task) => task.name)).not.toContain(EMBEDDED_VACUUM_JOB);
  });

  // The task's work, where it runs: on PGlite (the postgres project checks above that it is not scheduled).
  if (testDbKind() !== 'pglite') return;

  it('vacuums the table full of dead rows, analyzes the grown one, leaves the quiet one alone', async () => {
    const db = t.ctx.db;
    const hot = sql.id(HOT_SCHEMA, HOT_TABLE);
    await sql`CREATE SCHEMA ${sql.id(HOT_SCHEMA)}`.execute(db);
    for (const table of [hot, sql.id('quiet_probe'), sql.id('grown_probe')]) {
      await sql`CREATE TABLE ${table} (id int PRIMARY KEY, units int NOT NULL)`.execute(db);
      await sql`INSERT INTO ${table} SELECT g, 0 FROM generate_series(1, 200) g`.execute(db);
      // The inserts' counts published first, or they would land after the VACUUM's reset (PGlite publishes late).
      await sql`SELECT pg_stat_force_next_flush()`.execute(db);
      await sql`VACUUM (ANALYZE) ${table}`.execute(db); // 200 rows known, counters at zero
    }
    // Thresholds at 200 rows: vacuum past 50 + 0.2 × 200 = 90 dead rows, analyze past 50 + 0.1 × 200 = 70 changes.
    for (let i = 0; i < 5; i++) await sql`UPDATE ${hot} SET units = units + 1`.execute(db);
    await sql`UPDATE quiet_probe SET units = 1 WHERE id <= 20`.execute(db);
    await sql`INSERT INTO grown_probe SELECT g, 0 FROM generate_series(201, 500) g`.execute(db);

    const before = {
      hot: await tableStats(db, HOT_SCHEMA, HOT_TABLE),
      quiet: await tableStats(db, 'public', 'quiet_probe'),
      grown: await tableStats(db, 'public', 'grown_probe'),
    };
    expect(before.hot.deadTuples).toBeGreaterThan(90);
    expect(before.quiet).toEqual({ deadTuples: 20, vacuums: 1, analyzes: 1, reltuples: 200 });
    expect(before.grown).toMatchObject({ deadTuples: 0, reltuples: 200 });

    await task()!.tick();

    expect(await tableStats(db, HOT_SCHEMA, HOT_TABLE)).toEqual({ deadTuples: 0, vacuums: before.hot.vacuums + 1, analyzes: before.hot.analyzes + 1, reltuples: 200 });
    expect(await tableStats(db, 'public', 'quiet_probe')).toEqual(before.quiet);
    // Analyzed, not vacuumed: the planner now counts the 500 rows.
    expect(await tableStats(db, 'public', 'grown_probe')).toEqual({ deadTuples: 0, vacuums: before.grown.vacuums, analyzes: before.grown.analyzes + 1, reltuples: 500 });
    // The pass leaves every table under its thresholds: the next one finds nothing to do.
    const silent = { debug: () => undefined, info: () => undefined, error: () => undefined };
    expect(await vacuumDueTables(db, silent)).toEqual([]);
  });
});
