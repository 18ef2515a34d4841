import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * A transaction that started first but commits last must not be skipped by a reader who already moved
 * its cursor past events of a younger transaction that committed earlier.
 */
describe('event log ordering across concurrent transactions', () => {
  let t: TestApp;
  let older: pg.Client;
  let younger: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    older = new pg.Client({ connectionString: t.database.url });
    younger = new pg.Client({ connectionString: t.database.url });
    await older.connect();
    await younger.connect();
  });
  afterAll(async () => {
    await older?.end();
    await younger?.end();
    await t?.close();
  });

  const insertEvent = (client: pg.Client, id: string) =>
    client.query(`INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload) VALUES ('test.event', 'test', $1, '{}')`, [id]);
  const read = async (after: number): Promise<{ items: { position: number; aggregateId: string }[]; nextCursor: number }> => {
    const res = await t.app.inject({ url: `/v1/events?after=${after}`, headers: t.admin });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  /**
   * Positions are given once no older transaction can still commit, cluster-wide: on a shared server a
   * transaction of another database (another test file) can delay them for a moment, so wait for them.
   */
  const readWhenPositioned = async (after: number, count: number) => {
    for (let tries = 0; ; tries++) {
      const page = await read(after);
      if (page.items.length >= count || tries === 100) return page;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('delivers both events, after the cursor, when the older transaction commits last', async () => {
    await older.query('BEGIN');
    await insertEvent(older, 'older'); // takes its xid first
    await younger.query('BEGIN');
    await insertEvent(younger, 'younger');
    await younger.query('COMMIT');

    // The younger event is committed but not positioned yet: giving it a position now would let the
    // older one land behind a cursor the reader has already passed.
    const first = await read(0);
    expect(first.items).toEqual([]);

    await older.query('COMMIT');
    const second = await readWhenPositioned(first.nextCursor, 2);
    expect(second.items.map((e) => e.aggregateId)).toEqual(['older', 'younger']);
    expect(second.items.every((e) => e.position > first.nextCursor)).toBe(true);

    // The same with a reader that has already consumed something before the race.
    await insertEvent(younger, 'before');
    const cursor = (await readWhenPositioned(second.nextCursor, 1)).nextCursor;
    await older.query('BEGIN');
    await insertEvent(older, 'slow');
    await insertEvent(younger, 'fast'); // autocommit: a later transaction committing first
    const during = await read(cursor);
    expect(during.items.map((e) => e.aggregateId)).toEqual([]);
    await older.query('COMMIT');
    const after = await readWhenPositioned(during.nextCursor, 2);
    expect(after.items.map((e) => e.aggregateId)).toEqual(['slow', 'fast']);
    expect(Math.min(...after.items.map((e) => e.position))).toBeGreaterThan(cursor);
  });
});
