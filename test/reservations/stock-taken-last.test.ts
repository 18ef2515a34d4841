import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContendedWrites } from '../../src/db/contended-writes.js';
import { runsMultiStatementMessages, type Db } from '../../src/db/database.js';
import { StatementBatch } from '../../src/db/statement-batch.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { BusinessError } from '../../src/domain/shared/result.js';
import { writeHold } from '../../src/modules/reservations/create-hold.js';
import { newHold } from '../../src/modules/reservations/hold-records.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { position, seedStock, writeCounts } from './fixtures.js';

const actor = systemActor('test');
const at = new Date('2026-11-24T10:00:00.000Z');

/** The ledger rows and stock.changed payloads a hold on these positions wrote, without ids and times. */
async function written(db: Db, reference: string) {
  const ledger = await db.selectFrom('inventory_ledger').select(['sku', 'location_id', 'cause', 'on_hand_before', 'on_hand_after', 'reserved_before', 'reserved_after', 'actor']).where('reference', '=', reference).orderBy('id').execute();
  return ledger;
}

// An order takes its stock last in its transaction (take_stock_lines, after the batch): the same guard,
// ledger rows and stock.changed events as a hold written at once, and a refusal that rolls back everything.
describe('a hold whose stock is taken last (take_stock_lines)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedStock(t.ctx.db, [
      { sku: 'A', locationId: 'W1', onHand: 10, safetyStock: 2 },
      { sku: 'A', locationId: 'W2', onHand: 10, safetyStock: 2 },
      { sku: 'B', locationId: 'W1', onHand: 5 },
      { sku: 'B', locationId: 'W2', onHand: 5 },
    ]);
  });
  afterAll(async () => t?.close());

  const hold = (location: string, a: number, b: number) => newHold({ lines: [{ sku: 'A', locationId: location, quantity: a }, { sku: 'B', locationId: location, quantity: b }], reference: `test:${location}` }, at, new Date(at.getTime() + 60_000));

  const takeLast = (h: ReturnType<typeof hold>) =>
    t.ctx.db.transaction().execute(async (tx) => {
      const contended = new ContendedWrites();
      const batch = new StatementBatch(tx, { multiStatement: runsMultiStatementMessages(t.ctx.db) });
      const events = await writeHold(tx, h, actor, { at }, batch, contended);
      expect(events).toEqual([]); // the call writes them
      await contended.flushWith(batch);
    });

  it('writes what the hold written at once writes: guarded stock, ledger rows, stock.changed events', async () => {
    const now = hold('W1', 3, 2);
    await t.ctx.db.transaction().execute(async (tx) => {
      const events = await writeHold(tx, now, actor, { at });
      await tx.insertInto('outbox_event').values(events.map((e) => ({ type: e.type, aggregate_type: e.aggregateType, aggregate_id: e.aggregateId, payload: JSON.stringify(e.payload) }))).execute();
    });
    const last = hold('W2', 3, 2);
    await takeLast(last);
    expect(await position(t.ctx.db, 'A', 'W2')).toEqual(await position(t.ctx.db, 'A', 'W1'));
    expect(await position(t.ctx.db, 'B', 'W2')).toEqual({ onHand: 5, reserved: 2, safetyStock: 0 });
    const ledgerNow = await written(t.ctx.db, now.holdId);
    const ledgerLast = await written(t.ctx.db, last.holdId);
    expect(ledgerLast.map((r) => ({ ...r, location_id: 'W1' }))).toEqual(ledgerNow);
    expect(ledgerNow).toHaveLength(2);
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type', 'aggregate_id', 'payload']).where('type', '=', 'stock.changed').orderBy('id').execute();
    const byLocation = (loc: string) => events.filter((e) => e.aggregate_id.startsWith(`${loc}/`)).map((e) => ({ ...e, aggregate_id: e.aggregate_id.slice(loc.length + 1), payload: { ...(e.payload as object), locationId: 'any' } }));
    expect(byLocation('W2')).toEqual(byLocation('W1'));
    expect(byLocation('W2')).toEqual([
      { type: 'stock.changed', aggregate_id: 'A', payload: { sku: 'A', locationId: 'any', onHand: 10, reserved: 3, safetyStock: 2, atp: 5, cause: 'reservation' } },
      { type: 'stock.changed', aggregate_id: 'B', payload: { sku: 'B', locationId: 'any', onHand: 5, reserved: 2, safetyStock: 0, atp: 3, cause: 'reservation' } },
    ]);
  });

  it('refuses a line the guard refuses with insufficient_stock and the shortfall, and writes nothing', async () => {
    const before = await writeCounts(t.ctx.db);
    const refused = takeLast(hold('W2', 1, 4));
    await expect(refused).rejects.toBeInstanceOf(BusinessError);
    await expect(refused).rejects.toMatchObject({ code: 'insufficient_stock', details: { shortfalls: [{ sku: 'B', locationId: 'W2', requested: 4, available: 3 }] } });
    expect(await writeCounts(t.ctx.db)).toEqual(before);
    expect(await position(t.ctx.db, 'A', 'W2')).toEqual({ onHand: 10, reserved: 3, safetyStock: 2 });
  });

  it('refuses a position that does not exist with unknown_position', async () => {
    const before = await writeCounts(t.ctx.db);
    await expect(takeLast(hold('W9', 1, 1))).rejects.toMatchObject({ code: 'unknown_position', details: { missing: [{ sku: 'A', locationId: 'W9' }] } });
    expect(await writeCounts(t.ctx.db)).toEqual(before);
  });
});
