import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant: serialises concurrent `migrate` calls from several Ordo processes.
const MIGRATION_LOCK = 7_242_001;

export function listMigrations(): { name: string; sql: string }[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(migrationsDir, name), 'utf8') }));
}

/** Applies the plain-SQL migrations not applied yet, each in its own transaction, forward only. */
export async function migrate(database: Database): Promise<string[]> {
  const applied: string[] = [];
  const { pglite } = database;
  if (pglite) {
    // PGlite is one connection: no lock needed, and multi-statement files go through exec().
    await pglite.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await pglite.query<{ name: string }>('SELECT name FROM schema_migration')).rows.map((r) => r.name));
    for (const m of listMigrations()) {
      if (done.has(m.name)) continue;
      await pglite.transaction(async (tx) => {
        await tx.exec(m.sql);
        await tx.query('INSERT INTO schema_migration (name) VALUES ($1)', [m.name]);
      });
      applied.push(m.name);
    }
    return applied;
  }
  await database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migration (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
      const done = new Set(
        (await sql<{ name: string }>`SELECT name FROM schema_migration`.execute(conn)).rows.map((r) => r.name),
      );
      for (const m of listMigrations()) {
        if (done.has(m.name)) continue;
        await conn.transaction().execute(async (tx) => {
          // No parameters: node-postgres sends it with the simple protocol, which allows several statements.
          await sql.raw(m.sql).execute(tx);
          await sql`INSERT INTO schema_migration (name) VALUES (${m.name})`.execute(tx);
        });
        applied.push(m.name);
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
  return applied;
}
