import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitsWithLastStatement, type Database } from '../../src/db/database.js';
import { StatementBatch } from '../../src/db/statement-batch.js';
import { createTestDatabase } from '../support/test-db.js';

type Scratch = Kysely<{ tail: { id: number; name: string } }>;

// On the server a transaction's last batch may carry its COMMIT (one round trip, the last row locks
// released by the server): kysely must then send no COMMIT of its own, and a failing batch must still
// roll everything back.
describe('a transaction committed by its last statement (PostgreSQL)', () => {
  let database: Database;
  const notices: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    database.pool!.on('connect', (client: pg.PoolClient) => client.on('notice', (n) => notices.push(n.message ?? '')));
    await sql`CREATE TABLE tail (id int PRIMARY KEY, name text NOT NULL)`.execute(database.db);
  });
  afterAll(() => database.close());

  it('commits with the batch, and kysely sends no second COMMIT', async () => {
    expect(commitsWithLastStatement(database.db)).toBe(true);
    await database.db.transaction().execute(async (tx) => {
      await (tx as unknown as Scratch).insertInto('tail').values({ id: 1, name: 'before the batch' }).execute();
      const batch = new StatementBatch(tx);
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 2, name: 'in it' }));
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 3, name: 'in it too' }));
      await batch.flush({ commit: true });
    });
    const rows = (await sql<{ id: number }>`SELECT id FROM tail ORDER BY id`.execute(database.db)).rows;
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    // A COMMIT outside a transaction would have drawn "there is no transaction in progress".
    expect(notices).toEqual([]);
  });

  it('a failing batch rolls the whole transaction back, and the connection serves the next one', async () => {
    const attempt = database.db.transaction().execute(async (tx) => {
      await (tx as unknown as Scratch).insertInto('tail').values({ id: 4, name: 'lost' }).execute();
      const batch = new StatementBatch(tx);
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 5, name: 'lost too' }));
      batch.add((tx as unknown as Scratch).insertInto('tail').values({ id: 1, name: 'duplicate' }));
      await batch.flush({ commit: true });
    });
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM tail WHERE id IN (4, 5)`.execute(database.db)).rows[0]!.n).toBe(0);
    // Every pooled connection is usable (none left inside an aborted transaction).
    await Promise.all(Array.from({ length: 20 }, (_, i) => database.db.transaction().execute((tx) => (tx as unknown as Scratch).insertInto('tail').values({ id: 100 + i, name: 'next' }).execute())));
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM tail WHERE id >= 100`.execute(database.db)).rows[0]!.n).toBe(20);
    expect(notices).toEqual([]);
  });
});
