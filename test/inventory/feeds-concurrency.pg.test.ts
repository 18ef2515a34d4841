import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/shared/actor.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { checkInventory } from '../../src/modules/inventory/check-inventory.js';
import { importSnapshot } from '../../src/modules/inventory/import-snapshot.js';
import { recordMovements } from '../../src/modules/inventory/record-movements.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { position, seedNetwork } from './fixtures.js';

const skus = Array.from({ length: 20 }, (_, i) => `SKU-${String(i).padStart(2, '0')}`);
const locations = ['L1', 'L2', 'L3'];

describe('inventory feeds under concurrency (PostgreSQL server)', () => {
  let database: TestDatabase;
  const clock = new ManualClock();
  const actor = systemActor('test');
  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 16 });
    await seedNetwork(database.db, { skus, locations: locations.map((id) => ({ id })) });
  });
  afterAll(async () => database?.close());

  it('applies each event id once across concurrent, overlapping batches, without deadlocks', async () => {
    // 12 batches over the same 60 positions, in shuffled orders, half of them replays of the others.
    const batches = Array.from({ length: 12 }, (_, b) => {
      const movements = skus.flatMap((sku) => locations.map((locationId) => ({ eventId: `b${b % 6}-${sku}-${locationId}`, sku, locationId, delta: 1 })));
      return b % 2 === 0 ? movements : movements.reverse();
    });
    const results = await Promise.all(batches.map((movements) => recordMovements(database.db, clock, actor, { movements })));
    expect(results.every((r) => r.ok)).toBe(true);
    const applied = results.reduce((s, r) => s + (r.ok ? r.value.applied : 0), 0);
    expect(applied).toBe(6 * skus.length * locations.length);
    for (const sku of [skus[0]!, skus[19]!]) for (const loc of locations) expect((await position(database.db, sku, loc))?.on_hand).toBe(6);
  });

  it('a snapshot racing with sales keeps the ledger consistent with the positions', async () => {
    const sales = Array.from({ length: 8 }, (_, b) => ({ movements: skus.map((sku) => ({ eventId: `sale-${b}-${sku}`, sku, locationId: 'L1', delta: -1 })) }));
    const snapshot = { locationId: 'L1', asOf: '2026-01-05T10:00:00Z', items: skus.map((sku) => ({ sku, onHand: 50 })) };
    const results = await Promise.all([...sales.slice(0, 4).map((m) => recordMovements(database.db, clock, actor, m)), importSnapshot(database.db, actor, snapshot), ...sales.slice(4).map((m) => recordMovements(database.db, clock, actor, m))]);
    expect(results.every((r) => r.ok)).toBe(true);
    const report = await checkInventory(database.db, actor);
    expect(report.driftCount).toBe(0);
    const onHand = await sql<{ on_hand: number }>`SELECT DISTINCT on_hand FROM stock_position WHERE location_id = 'L1'`.execute(database.db);
    for (const r of onHand.rows) expect(r.on_hand).toBeGreaterThanOrEqual(42);
  });
});
