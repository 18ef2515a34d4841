import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsMultiStatementMessages, type Database, type Tx } from '../../src/db/database.js';
import { runTogether } from '../../src/db/run-together.js';
import { createTestDatabase, testDbKind } from '../support/test-db.js';

type Scratch = Kysely<{ pair: { id: number; name: string } }>;
const modes = testDbKind() === 'postgres' ? [{ multiStatement: true }, { multiStatement: false }] : [{ multiStatement: false }];

// Queries a command needs answered at once go in one message on a server, one by one on PGlite: the
// answers, and what a failure leaves behind, must be the same either way.
describe.each(modes)('runTogether (%o)', ({ multiStatement }) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await sql`CREATE TABLE pair (id int PRIMARY KEY, name text NOT NULL)`.execute(database.db);
    if (multiStatement) expect(runsMultiStatementMessages(database.db)).toBe(true);
  });
  afterAll(() => database.close());

  const on = (tx: Tx): Scratch => tx as unknown as Scratch;

  it('answers each query its own rows, in order; the later ones see the earlier ones’ writes', async () => {
    const answers = await database.db.transaction().execute((tx) =>
      runTogether(tx, multiStatement, [
        on(tx).insertInto('pair').values({ id: 1, name: "l'un $1" }).returning(['id', 'name']).compile(),
        sql`SELECT count(*)::int AS n FROM pair WHERE name = ${"l'un $1"}`.compile(tx),
        on(tx).insertInto('pair').values({ id: 2, name: 'deux' }).compile(),
        on(tx).selectFrom('pair').select('id').where('id', '>', 100).compile(),
      ]),
    );
    expect(answers).toEqual([[{ id: 1, name: "l'un $1" }], [{ n: 1 }], [], []]);
    expect((await on(database.db as unknown as Tx).selectFrom('pair').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([1, 2]);
  });

  it('a failing query fails the call with its own error, the rest does not run, and the transaction writes nothing', async () => {
    const attempt = database.db.transaction().execute((tx) =>
      runTogether(tx, multiStatement, [
        on(tx).insertInto('pair').values({ id: 3, name: 'trois' }).compile(),
        on(tx).insertInto('pair').values({ id: 1, name: 'again' }).compile(),
        on(tx).insertInto('pair').values({ id: 4, name: 'quatre' }).compile(),
      ]),
    );
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    expect((await on(database.db as unknown as Tx).selectFrom('pair').select('id').where('id', 'in', [3, 4]).execute())).toEqual([]);
  });
});
