import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedNetwork } from './fixtures.js';

// A full 10,000-movement batch writes 10,000 ledger rows and 10,000 events in one transaction: each
// multi-row INSERT must stay under the 32,767 bind parameters one statement may carry (PGlite breaks
// its connection past it instead of failing cleanly).
describe('inventory feeds: the largest movement batch', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedNetwork(t.ctx.db);
  });
  afterAll(async () => t?.close());

  it('applies 10,000 movements in one request, with a ledger row and an event each', async () => {
    const movements = Array.from({ length: 10_000 }, (_, i) => ({ eventId: `bulk-${i}`, locationId: 'PAR-1', sku: 'TSHIRT-M', delta: 1 }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/inventory/movements', headers: t.admin, payload: { movements } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ applied: 10_000, duplicates: [] });
    const counts = await sql<{ ledger: number; events: number; on_hand: number }>`
      SELECT (SELECT count(*)::int FROM inventory_ledger WHERE sku = 'TSHIRT-M' AND location_id = 'PAR-1') AS ledger,
             (SELECT count(*)::int FROM outbox_event WHERE type = 'stock.changed' AND aggregate_id = 'PAR-1/TSHIRT-M') AS events,
             (SELECT on_hand FROM stock_position WHERE sku = 'TSHIRT-M' AND location_id = 'PAR-1') AS on_hand`.execute(t.ctx.db);
    expect(counts.rows[0]).toMatchObject({ ledger: 10_000, on_hand: 10_000 });
    expect(counts.rows[0]!.events).toBeGreaterThanOrEqual(1);
    // The connection is still healthy afterwards.
    expect((await t.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  });
});
