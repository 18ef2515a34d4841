import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../src/db/outbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Event {
  position: number;
  eventId: string;
  type: string;
  aggregateId: string;
  payload: { n: number };
}

describe('GET /v1/events', () => {
  let t: TestApp;
  const read = async (query: string, headers = t.admin) => t.app.inject({ url: `/v1/events?${query}`, headers });
  const page = async (query: string): Promise<{ items: Event[]; nextCursor: number }> => {
    const res = await read(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.ctx.db.transaction().execute((tx) =>
      appendEvents(tx, [
        { type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'SKU-1@WH', payload: { n: 1 } },
        { type: 'location.created', aggregateType: 'location', aggregateId: 'WH', payload: { n: 2 } },
        { type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'SKU-2@WH', payload: { n: 3 } },
      ]),
    );
    await t.ctx.db.transaction().execute((tx) =>
      appendEvents(tx, [{ type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'SKU-1@WH', payload: { n: 4 } }]),
    );
  });
  afterAll(async () => t?.close());

  it('sequences committed events on read and returns them in commit order', async () => {
    const all = await page('after=0');
    expect(all.items.map((e) => e.payload.n)).toEqual([1, 2, 3, 4]);
    expect(all.items.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    expect(all.nextCursor).toBe(4);
    expect(new Set(all.items.map((e) => e.eventId)).size).toBe(4);
  });

  it('pages with the cursor and keeps it when nothing is new', async () => {
    const first = await page('limit=3');
    expect(first.items.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    const second = await page(`after=${first.nextCursor}&limit=3`);
    expect(second.items.map((e) => e.payload.n)).toEqual([4]);
    const empty = await page(`after=${second.nextCursor}`);
    expect(empty).toEqual({ items: [], nextCursor: 4 });
    await t.ctx.db.transaction().execute((tx) =>
      appendEvents(tx, [{ type: 'channel.updated', aggregateType: 'channel', aggregateId: 'web', payload: { n: 5 } }]),
    );
    const fresh = await page(`after=${empty.nextCursor}`);
    expect(fresh.items.map((e) => [e.position, e.payload.n])).toEqual([[5, 5]]);
  });

  it('filters by types and aggregate id; the cursor still moves past filtered events', async () => {
    const stock = await page('types=stock.changed,channel.updated');
    expect(stock.items.map((e) => e.payload.n)).toEqual([1, 3, 4, 5]);
    const one = await page('aggregateId=SKU-1@WH');
    expect(one.items.map((e) => e.payload.n)).toEqual([1, 4]);
    const locations = await page('types=location.created&after=2');
    expect(locations).toEqual({ items: [], nextCursor: 2 });
  });

  it('the background sequencer positions events too', async () => {
    await t.ctx.db.transaction().execute((tx) =>
      appendEvents(tx, [{ type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'SKU-9@WH', payload: { n: 6 } }]),
    );
    await t.ctx.tasks.find((task) => task.name === 'event-sequencer')!.tick();
    const row = await t.ctx.db.selectFrom('outbox_event').select('position').where('aggregate_id', '=', 'SKU-9@WH').executeTakeFirstOrThrow();
    expect(Number(row.position)).toBe(6);
  });

  it('is for admin, integration and ops keys only; refuses bad input', async () => {
    const key = async (role: string, locationIds?: string[]) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: role, role, locationIds } });
      return { authorization: `Bearer ${res.json().secret}` };
    };
    expect((await read('after=0', await key('ops'))).statusCode).toBe(200);
    expect((await read('after=0', await key('integration'))).statusCode).toBe(200);
    expect((await read('after=0', await key('service'))).statusCode).toBe(403);
    await sql`INSERT INTO location (id, name, type, time_zone) VALUES ('S1', 'S1', 'store', 'Europe/Paris')`.execute(t.ctx.db);
    expect((await read('after=0', await key('store', ['S1']))).statusCode).toBe(403);
    for (const bad of ['after=-1', 'after=abc', 'limit=0', 'limit=5000', 'types=a,,b', 'cursor=x']) {
      const res = await read(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });
});
