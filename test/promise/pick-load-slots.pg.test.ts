import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const DAY = '2030-06-04';

/** A day's pick load in slots (migration 0026), added by concurrent transactions on a real server. */
describe('pick load slots on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 24 });
    await sql`INSERT INTO location (id, name, type, time_zone, daily_pick_capacity) VALUES ('wh-big', 'Big warehouse', 'warehouse', 'Europe/Paris', 8000), ('store-small', 'Small store', 'store', 'Europe/Paris', 30)`.execute(db.db);
  });
  afterAll(() => db?.close());

  const add = (locationId: string, units: number, capacity: number | null) =>
    db.db.transaction().execute((tx) => sql`SELECT add_pick_loads(${JSON.stringify([{ locationId, day: DAY, units, capacity }])}::json)`.execute(tx));
  const slots = async (locationId: string) =>
    (await sql<{ slot: number; units: number }>`SELECT slot, units FROM location_pick_load WHERE location_id = ${locationId} AND day = ${DAY} ORDER BY slot`.execute(db.db)).rows;
  const total = async (locationId: string) => (await slots(locationId)).reduce((sum, s) => sum + s.units, 0);
  const outcomes = async (calls: Array<Promise<unknown>>) => {
    const settled = await Promise.allSettled(calls);
    const refused = settled.filter((s) => s.status === 'rejected');
    for (const r of refused) expect((r as PromiseRejectedResult).reason.message).toBe('capacity_exhausted');
    return { added: settled.length - refused.length, refused: refused.length };
  };

  it('120 racing orders of 100 units for a capacity of 8,000 (4 slots of 2,000): exactly 80 fit, no slot beyond its share, no deadlock', async () => {
    const { added, refused } = await outcomes(Array.from({ length: 120 }, () => add('wh-big', 100, 8000)));
    expect({ added, refused }).toEqual({ added: 80, refused: 40 });
    const rows = await slots('wh-big');
    expect(rows.reduce((sum, s) => sum + s.units, 0)).toBe(8000);
    expect(rows.map((s) => s.slot)).toEqual([0, 1, 2, 3]);
    for (const s of rows) expect(s.units).toBeLessThanOrEqual(2000);
  });

  it('a load bigger than any slot has room for is placed over several slots while the day has room', async () => {
    await sql`SELECT subtract_pick_load('wh-big', ${DAY}::date, 3000)`.execute(db.db);
    expect(await total('wh-big')).toBe(5000);
    await add('wh-big', 2900, 8000);
    expect(await total('wh-big')).toBe(7900);
    await expect(add('wh-big', 101, 8000)).rejects.toThrow('capacity_exhausted');
    await add('wh-big', 100, 8000);
    expect(await total('wh-big')).toBe(8000);
  });

  it('a capacity lowered below the load refuses every add; raised again, the load is laid on the new slots', async () => {
    await sql`UPDATE location SET daily_pick_capacity = 4000 WHERE id = 'wh-big'`.execute(db.db);
    expect(await total('wh-big')).toBe(8000);
    const { added } = await outcomes(Array.from({ length: 10 }, () => add('wh-big', 1, 4000)));
    expect(added).toBe(0);
    await sql`UPDATE location SET daily_pick_capacity = 10000 WHERE id = 'wh-big'`.execute(db.db);
    const rows = await slots('wh-big');
    expect(rows.filter((s) => s.units > 0).map((s) => [s.slot, s.units])).toEqual([[0, 1600], [1, 1600], [2, 1600], [3, 1600], [4, 1600]]);
    const raced = await outcomes(Array.from({ length: 30 }, () => add('wh-big', 100, 10000)));
    expect(raced).toEqual({ added: 20, refused: 10 });
    expect(await total('wh-big')).toBe(10000);
  });

  it('a small capacity keeps one row, exact under a race', async () => {
    const { added } = await outcomes(Array.from({ length: 20 }, () => add('store-small', 2, 30)));
    expect(added).toBe(15);
    expect(await slots('store-small')).toEqual([{ slot: 0, units: 30 }]);
  });
});
