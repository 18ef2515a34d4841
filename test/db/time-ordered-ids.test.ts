import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { appendEvents } from '../../src/db/outbox.js';
import { createTestDatabase } from '../support/test-db.js';

/** The Unix milliseconds of a version 7 UUID. */
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('ids the database makes (migration 0028)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('uuid_v7() is a version 7 UUID of the current millisecond', async () => {
    const before = Date.now();
    const { rows } = await sql<{ id: string }>`SELECT uuid_v7()::text AS id FROM generate_series(1, 200)`.execute(database.db);
    const after = Date.now();
    expect(new Set(rows.map((r) => r.id)).size).toBe(200);
    for (const { id } of rows) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(msOf(id)).toBeGreaterThanOrEqual(before - 5);
      expect(msOf(id)).toBeLessThanOrEqual(after + 5);
    }
  });

  it('every uuid default is time-ordered but the promise tokens, which stay wholly random', async () => {
    const { rows } = await sql<{ col: string; def: string }>`
      SELECT table_name || '.' || column_name AS col, column_default AS def FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type = 'uuid' AND column_default IS NOT NULL ORDER BY 1`.execute(database.db);
    expect(rows.filter((r) => r.def !== 'uuid_v7()')).toEqual([{ col: 'promise_hold.token', def: 'gen_random_uuid()' }]);
    expect(rows.map((r) => r.col)).toEqual(expect.arrayContaining(['outbox_event.event_id', 'fulfillment_line.id', 'sales_order.id']));
  });

  it('events written later get later ids', async () => {
    const write = (n: number) =>
      database.db.transaction().execute((tx) => appendEvents(tx, Array.from({ length: n }, (_, i) => ({ type: 'test.happened', aggregateType: 'test', aggregateId: `a${i}`, payload: {} }))));
    await write(3);
    await new Promise((r) => setTimeout(r, 5));
    await write(3);
    const ids = (await sql<{ id: string }>`SELECT event_id::text AS id FROM outbox_event WHERE type = 'test.happened' ORDER BY id`.execute(database.db)).rows.map((r) => r.id);
    expect(ids).toHaveLength(6);
    expect(ids.slice(0, 3).every((a) => ids.slice(3).every((b) => a < b))).toBe(true);
  });
});
