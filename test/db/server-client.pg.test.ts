import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runsMultiStatementMessages, type Database } from '../../src/db/database.js';
import { StatementBatch } from '../../src/db/statement-batch.js';
import { createTestDatabase } from '../support/test-db.js';

type Scratch = Kysely<{
  tail: { id: number; name: string };
  kinds: { id: number; name: string | null; n: number | null; ok: boolean | null; at: Date | null; tags: string[] | null; doc: unknown; raw: Buffer | null };
}>;

/** The texts of the messages the server pool's clients send, while recording. */
const sent: string[] = [];
let recording = false;
const query = pg.Client.prototype.query;

// On the server a transaction's BEGIN rides with its first statement and its COMMIT may ride with its
// last batch (server-client.ts): kysely must then send neither on its own, the statements must mean what
// they meant with bound parameters, and a failure must still roll everything back.
describe('a transaction whose BEGIN and COMMIT ride with its statements (PostgreSQL)', () => {
  let database: Database;
  let db: Scratch;
  const notices: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db as unknown as Scratch;
    database.pool!.on('connect', (client: pg.PoolClient) => client.on('notice', (n) => notices.push(n.message ?? '')));
    await sql`CREATE TABLE tail (id int PRIMARY KEY, name text NOT NULL)`.execute(database.db);
    await sql`CREATE TABLE kinds (id int PRIMARY KEY, name text, n numeric, ok boolean, at timestamptz, tags text[], doc jsonb, raw bytea)`.execute(database.db);
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (recording && typeof args[0] === 'string') sent.push(args[0]);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  });
  afterEach(() => {
    recording = false;
    sent.length = 0;
    // A COMMIT or ROLLBACK outside a transaction would have drawn "there is no transaction in progress".
    expect(notices).toEqual([]);
  });
  afterAll(async () => {
    pg.Client.prototype.query = query;
    await database.close();
  });

  const count = async (where: string): Promise<number> => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tail WHERE ${sql.raw(where)}`.execute(database.db)).rows[0]!.n;

  it('sends BEGIN with the first statement, its parameters inlined, and the COMMIT with the last batch', async () => {
    expect(runsMultiStatementMessages(database.db)).toBe(true);
    recording = true;
    await database.db.transaction().execute(async (tx) => {
      const first = await (tx as unknown as Scratch).insertInto('tail').values({ id: 1, name: "before the batch, l'a $1" }).returning('name').executeTakeFirstOrThrow();
      expect(first.name).toBe("before the batch, l'a $1");
      const batch = new StatementBatch(tx, { multiStatement: true });
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 2, name: 'in it' }));
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 3, name: 'in it too' }));
      await batch.flush({ commit: true });
    });
    recording = false;
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(`begin;\ninsert into "tail" ("id", "name") values ('1', 'before the batch, l''a $1') returning "name"`);
    expect(sent[1]).toMatch(/^insert into "tail"[^;]*;\ninsert into "tail"[^;]*;\nCOMMIT$/);
    expect((await sql<{ id: number }>`SELECT id FROM tail ORDER BY id`.execute(database.db)).rows.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('a transaction that runs nothing sends nothing', async () => {
    recording = true;
    await database.db.transaction().execute(async () => undefined);
    await expect(database.db.transaction().execute(async () => Promise.reject(new Error('refused before any statement')))).rejects.toThrow(/refused/);
    expect(sent).toEqual([]);
  });

  it('inlined values of every kind land as bound ones do', async () => {
    const row = { name: "l'Oréal \\ $1 $$ -- /* é", n: 12.5, ok: true, at: new Date('2026-03-29T01:30:00.123Z'), tags: ['a b', 'c,"d"', "e'f"], doc: JSON.stringify({ a: [1, 'b'], q: "'" }), raw: null };
    // Outside a transaction the parameters are bound; as a transaction's first statement they are inlined.
    await db.insertInto('kinds').values({ id: 1, ...row }).execute();
    await database.db.transaction().execute((tx) => (tx as unknown as Scratch).insertInto('kinds').values({ id: 2, ...row }).execute());
    await database.db.transaction().execute((tx) => (tx as unknown as Scratch).insertInto('kinds').values({ id: 3, name: null, n: null, ok: false, at: null, tags: [], doc: null, raw: null }).execute());
    const read = (await db.selectFrom('kinds').selectAll().orderBy('id').execute()).map(({ id: _id, ...rest }) => rest);
    expect(read[1]).toEqual(read[0]);
    expect(read[0]).toMatchObject({ name: row.name, n: '12.5', ok: true, at: row.at, tags: row.tags, doc: { a: [1, 'b'], q: "'" } });
    expect(read[2]).toEqual({ name: null, n: null, ok: false, at: null, tags: [], doc: null, raw: null });
    // A query whose values include bytes cannot be inlined: its BEGIN goes just before it.
    recording = true;
    const bytes = Buffer.from([0, 1, 2, 255]);
    await database.db.transaction().execute((tx) => (tx as unknown as Scratch).insertInto('kinds').values({ id: 4, raw: bytes }).execute());
    expect(sent.slice(0, 2)).toEqual(['begin', 'insert into "kinds" ("id", "raw") values ($1, $2)']);
    expect((await db.selectFrom('kinds').select('raw').where('id', '=', 4).executeTakeFirstOrThrow()).raw).toEqual(bytes);
  });

  it('a failing first statement or batch rolls the whole transaction back, and every connection serves the next one', async () => {
    const firstFails = database.db.transaction().execute(async (tx) => {
      await (tx as unknown as Scratch).insertInto('tail').values({ id: 1, name: 'duplicate' }).execute();
    });
    await expect(firstFails).rejects.toMatchObject({ code: '23505' });
    const batchFails = database.db.transaction().execute(async (tx) => {
      await (tx as unknown as Scratch).insertInto('tail').values({ id: 4, name: 'lost' }).execute();
      const batch = new StatementBatch(tx, { multiStatement: true });
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 5, name: 'lost too' }));
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 1, name: 'duplicate' }));
      await batch.flush({ commit: true });
    });
    await expect(batchFails).rejects.toMatchObject({ code: '23505' });
    const thrownAfter = database.db.transaction().execute(async (tx) => {
      await (tx as unknown as Scratch).insertInto('tail').values({ id: 6, name: 'lost as well' }).execute();
      throw new Error('refused after the first statement');
    });
    await expect(thrownAfter).rejects.toThrow(/refused after/);
    expect(await count('id IN (4, 5, 6)')).toBe(0);
    // Every pooled connection is usable (none left inside a transaction, open or aborted).
    await Promise.all(Array.from({ length: 20 }, (_, i) => database.db.transaction().execute((tx) => (tx as unknown as Scratch).insertInto('tail').values({ id: 100 + i, name: 'next' }).execute())));
    expect(await count('id >= 100')).toBe(20);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(database.db)).rows[0]!.n).toBe(0);
  });

  it('isolation settings and pool queries go to the server unchanged', async () => {
    const seen = await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => (await sql<{ level: string }>`SELECT current_setting('transaction_isolation') AS level`.execute(tx)).rows[0]!.level);
    expect(seen).toBe('repeatable read');
    expect((await database.pool!.query<{ one: number }>('SELECT $1::int AS one', [1])).rows).toEqual([{ one: 1 }]);
  });
  it('prepares a statement with parameters on its connection from its fifth use (JDBC\'s prepareThreshold), with the same answers', async () => {
    await db.insertInto('tail').values({ id: 40, name: 'prepared' }).execute();
    await database.db.connection().execute(async (c) => {
      const preparedTexts = async () => (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(c)).rows.map((r) => r.statement);
      const read = async (id: number) => (await sql<{ name: string }>`SELECT name FROM tail WHERE id = ${id}`.execute(c)).rows;
      for (let use = 1; use <= 4; use++) expect(await read(40)).toEqual([{ name: 'prepared' }]);
      expect(await preparedTexts()).not.toContain('SELECT name FROM tail WHERE id = $1');
      expect(await read(40)).toEqual([{ name: 'prepared' }]);
      expect(await preparedTexts()).toContain('SELECT name FROM tail WHERE id = $1');
      // Bound again, not parsed: other values answer from the same statement.
      expect(await read(41)).toEqual([]);
      expect(await read(40)).toEqual([{ name: 'prepared' }]);
      // A statement without parameters stays a simple one.
      for (let use = 1; use <= 6; use++) await sql`SELECT count(*) FROM tail`.execute(c);
      expect(await preparedTexts()).not.toContain('SELECT count(*) FROM tail');
    });
  });
});
