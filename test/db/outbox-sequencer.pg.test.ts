import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceEvents } from '../../src/db/outbox.js';
import type { TestDatabase } from '../support/test-db.js';
import { createTestDatabase } from '../support/test-db.js';

// The sequencer polls every 25 ms on a table that only grows. On statistics taken while most events
// waited for a position (stale as soon as they are positioned, and never refreshed on a server without
// autovacuum, like CI's) its former statements scanned the whole table on every poll: 18 ms a poll at
// 11,000 events, half a core of PostgreSQL in the order-intake bench.
describe('the event sequencer on stale statistics (PostgreSQL)', () => {
  let database: TestDatabase;
  const write = (type: string, n: number) =>
    sql`INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
        SELECT ${type}, 'test', g::text, '{}'::jsonb FROM generate_series(1, ${n}::int) g`.execute(database.db);
  /** Sequential scans of outbox_event by one sequencer run, counted in its own transaction, then rolled back. */
  const seqScansOfOneRun = async (): Promise<{ scans: number; positioned: number }> => {
    class Undo extends Error {
      constructor(readonly seen: { scans: number; positioned: number }) {
        super('undo');
      }
    }
    try {
      await database.db.transaction().execute(async (tx) => {
        const positioned = await sequenceEvents(tx);
        const r = await sql<{ scans: string }>`SELECT seq_scan AS scans FROM pg_stat_xact_user_tables WHERE relname = 'outbox_event'`.execute(tx);
        throw new Undo({ scans: Number(r.rows[0]?.scans ?? -1), positioned });
      });
    } catch (err) {
      if (err instanceof Undo) return err.seen;
      throw err;
    }
    throw new Error('the run was not rolled back');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await write('test.event', 20_000);
    await sql`ANALYZE outbox_event`.execute(database.db);
    while ((await sequenceEvents(database.db)) > 0);
    await write('test.late', 5);
  });
  afterAll(async () => {
    await database.close();
  });

  it('finds and positions what waits without scanning the table', async () => {
    expect(await seqScansOfOneRun()).toEqual({ scans: 0, positioned: 5 });
  });

  it('gives the late events the next positions, in the order they were written, and then has nothing to do', async () => {
    expect(await sequenceEvents(database.db)).toBe(5);
    const late = await sql<{ position: string; aggregate_id: string }>`
      SELECT position, aggregate_id FROM outbox_event WHERE type = 'test.late' ORDER BY id`.execute(database.db);
    expect(late.rows.map((r) => [Number(r.position), r.aggregate_id])).toEqual([1, 2, 3, 4, 5].map((i) => [20_000 + i, String(i)]));
    expect(await sequenceEvents(database.db)).toBe(0);
  });
});
