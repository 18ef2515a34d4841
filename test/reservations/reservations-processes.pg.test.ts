import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { checkConservation, position, seedStock } from './fixtures.js';
import { fireAll, postHold, tally } from './http-load.js';
import { startOrdo, type OrdoProcess } from './ordo-process.js';

const KEY = 'multi-process-admin-key';

// Real Ordo processes (node src/main.ts) sharing one PostgreSQL database: what a scaled-out deployment does.
describe('reservations across Ordo processes (PostgreSQL)', () => {
  let database: TestDatabase;
  const started: OrdoProcess[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const p = await startOrdo(database.url!, KEY, env);
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 4 });
    await seedStock(database.db, [
      { sku: 'HOT-2', locationId: 'WH-1', onHand: 10 },
      { sku: 'TTL-A', locationId: 'WH-1', onHand: 20 },
      { sku: 'TTL-B', locationId: 'WH-2', onHand: 20, safetyStock: 1 },
    ]);
  });
  afterAll(async () => {
    for (const p of started) await p.kill();
    await database?.close();
  });

  it('(b) two processes serving 200 one-unit holds on ATP 10 grant exactly 10 in total', async () => {
    const [one, two] = await Promise.all([start(), start()]);
    const statuses = await fireAll(200, 50, (i) =>
      postHold((i % 2 === 0 ? one : two)!.baseUrl, KEY, { lines: [{ sku: 'HOT-2', locationId: 'WH-1', quantity: 1 }] }, i % 4 < 2 ? undefined : `b-${i}`),
    );
    expect(tally(statuses)).toEqual({ 201: 10, 409: 190 });
    expect(await checkConservation(database.db, 'HOT-2', 'WH-1')).toEqual({ reserved: 10, active: 10 });
    const maxEver = await sql<{ m: number }>`SELECT max(reserved_after)::int AS m FROM inventory_ledger WHERE sku = 'HOT-2'`.execute(database.db);
    expect(maxEver.rows[0]!.m).toBe(10);
    await Promise.all([one!.kill(), two!.kill()]);
  });

  it('(d) holds still expire on time after the process that made them was killed', async () => {
    // The first process never runs its expiry task before it dies.
    const first = await start({ ORDO_TIMER_INTERVAL_MS: '600000' });
    const bodies = [
      { lines: [{ sku: 'TTL-A', locationId: 'WH-1', quantity: 2 }], ttlSeconds: 1 },
      { lines: [{ sku: 'TTL-A', locationId: 'WH-1', quantity: 3 }], ttlSeconds: 1 },
      { lines: [{ sku: 'TTL-A', locationId: 'WH-1', quantity: 1 }, { sku: 'TTL-B', locationId: 'WH-2', quantity: 4 }], ttlSeconds: 1 },
    ];
    for (const body of bodies) expect(await postHold(first.baseUrl, KEY, body)).toBe(201);
    await first.kill();
    expect((await position(database.db, 'TTL-A', 'WH-1')).reserved).toBe(6);

    const second = await start({ ORDO_TIMER_INTERVAL_MS: '100' });
    const deadline = Date.now() + 20_000;
    let active = Infinity;
    while (active > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const due = await database.db.selectFrom('reservation').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'active').where('sku', 'like', 'TTL-%').executeTakeFirstOrThrow();
      active = Number(due.n);
    }
    expect(active).toBe(0);
    const rows = await database.db.selectFrom('reservation').select(['status', 'ended_by', 'ended_at', 'expires_at']).where('sku', 'in', ['TTL-A', 'TTL-B']).execute();
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'expired', ended_by: 'system:expiry' });
      expect(new Date(r.ended_at!).getTime()).toBeGreaterThanOrEqual(new Date(r.expires_at).getTime());
    }
    expect(await checkConservation(database.db, 'TTL-A', 'WH-1')).toEqual({ reserved: 0, active: 0 });
    expect(await checkConservation(database.db, 'TTL-B', 'WH-2')).toEqual({ reserved: 0, active: 0 });
    const expiredEvents = await database.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', 'reservation.expired').execute();
    expect(new Set(expiredEvents.map((e) => e.aggregate_id)).size).toBe(3);
    await second.kill();
  });
});
