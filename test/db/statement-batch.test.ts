import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { insertNowOrLater, StatementBatch } from '../../src/db/statement-batch.js';
import { createTestDatabase, testDbKind } from '../support/test-db.js';

// The batch's SQL runs on PGlite (a PL/pgSQL block) and on the server (a block, or a message of several
// statements): literals of every kind land as bound parameters would.
/** The scratch table, typed for the query builder. */
type Scratch = Kysely<{ t: { id: number; name: string | null; at: Date | null; ok: boolean | null; doc: unknown; day: string | null } }>;

const modes = testDbKind() === 'postgres' ? [{ multiStatement: true }, { multiStatement: false }] : [{ multiStatement: false }];

describe.each(modes)('StatementBatch (%o)', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await sql`CREATE TABLE t (id int PRIMARY KEY, name text, at timestamptz, ok boolean, doc jsonb, day date)`.execute(database.db);
  });
  afterAll(() => database.close());

  it('writes nothing until flushed, then every statement in order, in one statement', async () => {
    const at = new Date('2026-11-22T10:00:00.123Z');
    await database.db.transaction().execute(async (tx) => {
      const batch = new StatementBatch(tx, mode);
      const anyTx = tx as unknown as Scratch;
      batch.add(anyTx.insertInto('t').values({ id: 1, name: "l'Oréal $1 $$ \\ ", at, ok: true, doc: JSON.stringify({ a: [1, 'b'] }), day: '2026-11-22' }));
      batch.add(anyTx.insertInto('t').values({ id: 2, name: null, at: null, ok: false, doc: null, day: null }));
      batch.add(anyTx.updateTable('t').set({ name: 'two' }).where('id', '=', 2));
      expect(batch.size).toBe(3);
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM t`.execute(tx)).rows[0]!.n).toBe(0);
      await batch.flush();
      expect(batch.size).toBe(0);
    });
    const rows = (await sql<Record<string, unknown>>`SELECT id, name, at, ok, doc, day::text AS day FROM t ORDER BY id`.execute(database.db)).rows;
    expect(rows).toEqual([
      { id: 1, name: "l'Oréal $1 $$ \\ ", at, ok: true, doc: { a: [1, 'b'] }, day: '2026-11-22' },
      { id: 2, name: 'two', at: null, ok: false, doc: null, day: null },
    ]);
  });

  it('fails with the failing statement’s own error, and the transaction writes nothing', async () => {
    const attempt = database.db.transaction().execute(async (tx) => {
      const batch = new StatementBatch(tx, mode);
      const anyTx = tx as unknown as Scratch;
      batch.add(anyTx.insertInto('t').values({ id: 3, name: 'three' }));
      batch.add(anyTx.insertInto('t').values({ id: 1, name: 'again' }));
      await batch.flush();
    });
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM t WHERE id = 3`.execute(database.db)).rows[0]!.n).toBe(0);
  });

  it('calls a void function with a JSON argument (PERFORM in a block, SELECT otherwise); its refusal is its own error', async () => {
    await sql`CREATE FUNCTION scratch_add(doc json) RETURNS void LANGUAGE plpgsql AS $f$
      BEGIN
        IF (doc->>'id')::int < 0 THEN RAISE EXCEPTION 'refused' USING DETAIL = doc::text; END IF;
        INSERT INTO t (id, name) VALUES ((doc->>'id')::int, doc->>'name');
      END $f$`.execute(database.db);
    await database.db.transaction().execute(async (tx) => {
      const alone = new StatementBatch(tx, mode);
      alone.call('scratch_add', JSON.stringify({ id: 20, name: "l'un" }));
      await alone.flush();
      const block = new StatementBatch(tx, mode);
      block.add((tx as unknown as Scratch).insertInto('t').values({ id: 21, name: 'deux' }));
      block.call('scratch_add', JSON.stringify({ id: 22, name: 'trois \\ $$' }));
      await block.flush();
    });
    const rows = (await sql<{ id: number; name: string }>`SELECT id, name FROM t WHERE id >= 20 ORDER BY id`.execute(database.db)).rows;
    expect(rows).toEqual([{ id: 20, name: "l'un" }, { id: 21, name: 'deux' }, { id: 22, name: 'trois \\ $$' }]);
    const refused = database.db.transaction().execute(async (tx) => {
      const batch = new StatementBatch(tx, mode);
      batch.add((tx as unknown as Scratch).insertInto('t').values({ id: 23, name: 'quatre' }));
      batch.call('scratch_add', JSON.stringify({ id: -1 }));
      await batch.flush();
    });
    await expect(refused).rejects.toMatchObject({ code: 'P0001', message: 'refused', detail: '{"id":-1}' });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM t WHERE id = 23`.execute(database.db)).rows[0]!.n).toBe(0);
    expect(() => new StatementBatch(database.db as never, mode).call('x; DROP TABLE t', '{}')).toThrow(/function name/);
  });

  it('inserts rows as kysely would: the columns any row gives, DEFAULT where a row gives none', async () => {
    await sql`CREATE TABLE u (id int PRIMARY KEY, name text DEFAULT 'unnamed', at timestamptz, n int DEFAULT 7, "odd ""col""" text)`.execute(database.db);
    await sql`CREATE TABLE u_kysely (LIKE u INCLUDING DEFAULTS)`.execute(database.db);
    const at = new Date('2026-11-23T08:30:00.001Z');
    const rows = [
      { id: 1, name: "l'Oréal \\ $1", at, 'odd "col"': 'x' },
      { id: 2, n: 5, name: undefined },
      { id: 3, name: null, at: undefined, n: 0 },
    ];
    await database.db.transaction().execute(async (tx) => {
      const batch = new StatementBatch(tx, mode);
      // The scratch tables are not in the schema's types.
      batch.insert('u' as never, rows as never);
      batch.insert('u' as never, []);
      expect(batch.size).toBe(1);
      await batch.flush();
      await (tx as unknown as Kysely<{ u_kysely: Record<string, unknown> }>).insertInto('u_kysely').values(rows).execute();
    });
    const read = async (table: string) => (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY id`.execute(database.db)).rows;
    const written = await read('u');
    expect(written).toEqual([
      { id: 1, name: "l'Oréal \\ $1", at, n: 7, 'odd "col"': 'x' },
      { id: 2, name: 'unnamed', at: null, n: 5, 'odd "col"': null },
      { id: 3, name: null, at: null, n: 0, 'odd "col"': null },
    ]);
    expect(written).toEqual(await read('u_kysely'));
  });

  it('runs an insertFirst before every statement kept so far', async () => {
    await database.db.transaction().execute(async (tx) => {
      const batch = new StatementBatch(tx, mode);
      // Finds the row only if the insert kept after it runs first.
      batch.add((tx as unknown as Scratch).updateTable('t').set({ name: 'updated' }).where('id', '=', 30));
      batch.insertFirst('t' as never, [{ id: 30, name: 'first' }] as never);
      batch.insertFirst('t' as never, []);
      expect(batch.size).toBe(2);
      await batch.flush();
    });
    const rows = (await sql<{ id: number; name: string }>`SELECT id, name FROM t WHERE id = 30`.execute(database.db)).rows;
    expect(rows).toEqual([{ id: 30, name: 'updated' }]);
  });

  it('refuses array and object parameters rather than guess their SQL form', () => {
    const anyDb = database.db as unknown as Scratch;
    const batch = new StatementBatch(database.db as never, mode);
    expect(() => batch.add(anyDb.insertInto('t').values({ id: 9, doc: { a: 1 } }))).toThrow(/as text/);
  });
});

describe('insertNowOrLater without a batch', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('inserts more rows than a function call takes arguments (a network loaded at once), in chunks', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ scope: 'bulk', key: `k${i}`, request_hash: 'h', status_code: 201, response_body: '{}' }));
    await database.db.transaction().execute((tx) => insertNowOrLater(tx, 'idempotency_key', rows));
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM idempotency_key WHERE scope = 'bulk'`.execute(database.db);
    expect(r.rows[0]!.n).toBe(200_000);
  });
});
