import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type OrdoContext } from '../../src/context.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { reserveNaive } from '../../src/modules/reservations/create-hold.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { ADMIN_KEY } from '../support/test-app.js';
import { checkConservation, position, seedStock } from './fixtures.js';
import { fireAll, postHold, tally } from './http-load.js';

// Races on a real server: 50 clients over HTTP, a 24-connection pool, both the batched and the
// one-transaction paths hitting the same rows.
describe('reservations under concurrency (PostgreSQL)', () => {
  let database: TestDatabase;
  let ctx: OrdoContext;
  let app: FastifyInstance;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 24 });
    ctx = createContext(loadConfig({ ORDO_ADMIN_KEY: ADMIN_KEY }), database, systemClock);
    app = await buildApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await seedStock(database.db, [
      { sku: 'HOT-1', locationId: 'WH-1', onHand: 12, safetyStock: 2 },
      { sku: 'NAIVE-1', locationId: 'WH-1', onHand: 10 },
      { sku: 'PAIR-A', locationId: 'WH-1', onHand: 60 },
      { sku: 'PAIR-B', locationId: 'WH-1', onHand: 40 },
      { sku: 'FLASH', locationId: 'WH-1', onHand: 1000 },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const maxReservedEver = async (sku: string): Promise<number> =>
    (await sql<{ m: number }>`SELECT coalesce(max(reserved_after), 0)::int AS m FROM inventory_ledger WHERE sku = ${sku}`.execute(database.db)).rows[0]!.m;

  it('(a) 200 one-unit holds on ATP 10 from 50 clients over HTTP: exactly 10 granted, never more reserved', async () => {
    let sampling = true;
    let worst = 0;
    const sampler = (async () => {
      while (sampling) {
        const p = await position(database.db, 'HOT-1', 'WH-1');
        worst = Math.max(worst, p.reserved - (p.onHand - p.safetyStock));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    // Every other request carries an Idempotency-Key, which sends it down the one-transaction guarded path.
    const statuses = await fireAll(200, 50, (i) =>
      postHold(baseUrl, ADMIN_KEY, { lines: [{ sku: 'HOT-1', locationId: 'WH-1', quantity: 1 }] }, i % 2 === 0 ? `a-${i}` : undefined),
    );
    sampling = false;
    await sampler;
    expect(tally(statuses)).toEqual({ 201: 10, 409: 190 });
    expect(worst).toBeLessThanOrEqual(0);
    expect(await maxReservedEver('HOT-1')).toBe(10);
    expect(await checkConservation(database.db, 'HOT-1', 'WH-1')).toEqual({ reserved: 10, active: 10 });
  });

  it('(a) the naive path alone: 200 concurrent calls of reserveNaive on 24 connections grant exactly 10', async () => {
    const actor = systemActor('bench');
    const results = await Promise.all(
      Array.from({ length: 200 }, () => reserveNaive(ctx.db, ctx.clock, actor, { lines: [{ sku: 'NAIVE-1', locationId: 'WH-1', quantity: 1 }] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.code === 'insufficient_stock')).toHaveLength(190);
    expect(await maxReservedEver('NAIVE-1')).toBe(10);
    expect(await checkConservation(database.db, 'NAIVE-1', 'WH-1')).toEqual({ reserved: 10, active: 10 });
  });

  it('(c) 100 two-line holds over the same rows in opposite orders: no deadlock, conservation holds', async () => {
    const a = { sku: 'PAIR-A', locationId: 'WH-1', quantity: 1 };
    const b = { sku: 'PAIR-B', locationId: 'WH-1', quantity: 1 };
    const statuses = await fireAll(100, 50, (i) => postHold(baseUrl, ADMIN_KEY, { lines: i % 2 === 0 ? [a, b] : [b, a] }));
    expect(tally(statuses)).toEqual({ 201: 40, 409: 60 });
    expect(await checkConservation(database.db, 'PAIR-A', 'WH-1')).toEqual({ reserved: 40, active: 40 });
    expect(await checkConservation(database.db, 'PAIR-B', 'WH-1')).toEqual({ reserved: 40, active: 40 });
  });

  it('(e) hot-SKU batching: 5,000 single-line holds on stock 1,000 grant exactly 1,000, in far fewer transactions', async () => {
    const statuses = await fireAll(5000, 64, () => postHold(baseUrl, ADMIN_KEY, { lines: [{ sku: 'FLASH', locationId: 'WH-1', quantity: 1 }] }));
    expect(tally(statuses)).toEqual({ 201: 1000, 409: 4000 });
    expect(await position(database.db, 'FLASH', 'WH-1')).toEqual({ onHand: 1000, reserved: 1000, safetyStock: 0 });
    expect(await checkConservation(database.db, 'FLASH', 'WH-1')).toEqual({ reserved: 1000, active: 1000 });
    const rows = await sql<{ holds: number; lines: number; created: number; txns: number }>`
      SELECT (SELECT count(DISTINCT hold_id)::int FROM reservation WHERE sku = 'FLASH' AND status = 'active') AS holds,
             (SELECT count(*)::int FROM inventory_ledger WHERE sku = 'FLASH' AND cause = 'reservation') AS lines,
             (SELECT count(*)::int FROM outbox_event WHERE type = 'reservation.created' AND payload->'lines'->0->>'sku' = 'FLASH') AS created,
             (SELECT count(DISTINCT xid)::int FROM outbox_event WHERE type = 'reservation.created' AND payload->'lines'->0->>'sku' = 'FLASH') AS txns`.execute(database.db);
    const r = rows.rows[0]!;
    expect(r).toMatchObject({ holds: 1000, lines: 1000, created: 1000 });
    // One transaction per request would be 1,000; the batcher commits many holds at once.
    expect(r.txns).toBeLessThan(250);
  });
});
