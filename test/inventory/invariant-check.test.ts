import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVENTORY_CHECK_JOB, inventoryCheckTask } from '../../src/modules/inventory/inventory-check.task.js';
import { runInventoryCheckCommand } from '../../src/modules/inventory/inventory-check.command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { count, position, reserveDirectly, seedNetwork } from './fixtures.js';

describe('inventory invariant check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedNetwork(t.ctx.db);
    await t.app.inject({ method: 'PUT', url: '/v1/inventory/PAR-1/TSHIRT-M', headers: t.admin, payload: { onHand: 10, asOf: '2026-01-05T08:00:00Z' } });
    await t.app.inject({ method: 'POST', url: '/v1/inventory/movements', headers: t.admin, payload: { movements: [{ eventId: 'e1', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: -3 }, { eventId: 'e2', locationId: 'LYO-1', sku: 'JEANS-32', delta: 5 }] } });
    await t.app.inject({ method: 'POST', url: '/v1/inventory/snapshots', headers: t.admin, payload: { locationId: 'DC-1', asOf: '2026-01-05T08:00:00Z', items: [{ sku: 'TSHIRT-L', onHand: 40 }, { sku: 'JEANS-32', onHand: 0 }] } });
    await reserveDirectly(t.ctx.db, 'TSHIRT-M', 'PAR-1', 2);
  });
  afterAll(async () => t?.close());

  const check = (fix?: boolean) => t.app.inject({ method: 'POST', url: '/v1/inventory/check', headers: t.admin, payload: fix === undefined ? {} : { fix } });

  it('finds no drift when every change went through the ledger', async () => {
    const res = await check();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ checkedPositions: 4, driftCount: 0, drift: [], fixed: 0 });
  });

  it('detects a position corrupted behind its ledger, and the fix makes the ledger and reserved agree', async () => {
    await sql`UPDATE stock_position SET on_hand = 99, reserved = 5 WHERE sku = 'TSHIRT-M' AND location_id = 'PAR-1'`.execute(t.ctx.db);
    await sql`UPDATE stock_position SET reserved = 1 WHERE sku = 'JEANS-32' AND location_id = 'LYO-1'`.execute(t.ctx.db);

    const found = await check();
    expect(found.json()).toMatchObject({ checkedPositions: 4, driftCount: 2, fixed: 0 });
    expect(found.json().drift).toEqual([
      { sku: 'JEANS-32', locationId: 'LYO-1', kinds: ['reserved_vs_ledger', 'reserved_vs_sources'], onHand: 5, reserved: 1, ledgerOnHand: 5, ledgerReserved: 0, expectedReserved: 0, reservedSources: { reservation: 0, allocation: 0 } },
      { sku: 'TSHIRT-M', locationId: 'PAR-1', kinds: ['on_hand_vs_ledger', 'reserved_vs_ledger', 'reserved_vs_sources'], onHand: 99, reserved: 5, ledgerOnHand: 7, ledgerReserved: 2, expectedReserved: 2, reservedSources: { reservation: 2, allocation: 0 } },
    ]);
    expect(await position(t.ctx.db, 'TSHIRT-M', 'PAR-1')).toMatchObject({ on_hand: 99, reserved: 5 });

    const fixed = await check(true);
    expect(fixed.json()).toMatchObject({ driftCount: 2, fixed: 2 });
    expect(await position(t.ctx.db, 'TSHIRT-M', 'PAR-1')).toMatchObject({ on_hand: 99, reserved: 2 });
    expect(await position(t.ctx.db, 'JEANS-32', 'LYO-1')).toMatchObject({ on_hand: 5, reserved: 0 });
    expect(await count(t.ctx.db, 'inventory_ledger', sql`cause = 'compensation'`)).toBe(2);
    expect((await check()).json()).toMatchObject({ driftCount: 0 });
  });

  it('CLI: exit 1 on drift without --fix, 0 once fixed', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await sql`UPDATE stock_position SET on_hand = 1 WHERE sku = 'TSHIRT-L' AND location_id = 'DC-1'`.execute(t.ctx.db);
      expect(await runInventoryCheckCommand(t.ctx.db, [])).toBe(1);
      expect(JSON.parse(String(log.mock.calls.at(-1)?.[0]))).toMatchObject({ driftCount: 1, drift: [{ sku: 'TSHIRT-L', kinds: ['on_hand_vs_ledger'] }] });
      expect(await runInventoryCheckCommand(t.ctx.db, ['--fix'])).toBe(0);
      expect(await runInventoryCheckCommand(t.ctx.db, [])).toBe(0);
      expect((await position(t.ctx.db, 'TSHIRT-L', 'DC-1'))?.on_hand).toBe(1);
    } finally {
      log.mockRestore();
    }
  });

  it('the scheduled check runs when due (durable timer in job_run), logs drift and never fixes', async () => {
    const warn = vi.fn();
    const log = { warn, info: vi.fn(), error: vi.fn() };
    const task = inventoryCheckTask({ db: t.ctx.db, clock: t.clock, config: { ...t.ctx.config, inventoryCheckIntervalMs: 3_600_000 } }, log);
    await sql`UPDATE stock_position SET reserved = 7 WHERE sku = 'TSHIRT-L' AND location_id = 'DC-1'`.execute(t.ctx.db);

    await task.tick();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({ driftCount: 1 });
    const run = await sql<{ last_run_at: Date; next_run_at: Date; last_result: { driftCount: number } }>`SELECT * FROM job_run WHERE name = ${INVENTORY_CHECK_JOB}`.execute(t.ctx.db);
    expect(run.rows[0]?.last_result.driftCount).toBe(1);
    expect(new Date(run.rows[0]!.next_run_at).getTime() - new Date(run.rows[0]!.last_run_at).getTime()).toBe(3_600_000);
    expect((await position(t.ctx.db, 'TSHIRT-L', 'DC-1'))?.reserved).toBe(7);

    await task.tick();
    expect(warn).toHaveBeenCalledTimes(1);
    t.clock.advance(3_600_000);
    await task.tick();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('is for admins and ops only', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'feed', role: 'integration' } });
    const res = await t.app.inject({ method: 'POST', url: '/v1/inventory/check', headers: { authorization: `Bearer ${key.json().secret}` }, payload: {} });
    expect(res.statusCode).toBe(403);
  });
});
