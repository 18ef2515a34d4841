import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { count, position, reserveDirectly, seedNetwork, storeKey } from './fixtures.js';

const BIG = 100_000;
const bigSkus = Array.from({ length: BIG }, (_, i) => `BIG-${String(i).padStart(6, '0')}`);

describe('inventory snapshots', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedNetwork(t.ctx.db, { skus: ['A', 'B', 'C', 'D', ...bigSkus], locations: [{ id: 'PAR-1' }, { id: 'LYO-1' }, { id: 'DC-1', type: 'warehouse' }] });
  });
  afterAll(async () => t?.close());

  const snapshot = (payload: unknown, headers = t.admin) => t.app.inject({ method: 'POST', url: '/v1/inventory/snapshots', headers, payload: payload as object });
  const csv = (body: string, query: string, headers = t.admin) =>
    t.app.inject({ method: 'POST', url: `/v1/inventory/snapshots?${query}`, headers: { ...headers, 'content-type': 'text/csv' }, payload: body });

  it('sets on hand, zeroes absent SKUs, keeps open reservations whole and reports the oversold', async () => {
    const first = await snapshot({ locationId: 'PAR-1', asOf: '2026-01-05T08:00:00Z', items: [{ sku: 'A', onHand: 10 }, { sku: 'B', onHand: 4 }, { sku: 'C', onHand: 2 }] });
    expect(first.json()).toMatchObject({ received: 3, created: 3, changed: 3, zeroed: 0, stale: 0, oversoldCount: 0 });
    await reserveDirectly(t.ctx.db, 'A', 'PAR-1', 6);
    await reserveDirectly(t.ctx.db, 'B', 'PAR-1', 3);
    const eventsBefore = await count(t.ctx.db, 'outbox_event', sql`type = 'stock.changed'`);

    const second = await snapshot({ locationId: 'PAR-1', asOf: '2026-01-05T20:00:00Z', items: [{ sku: 'A', onHand: 4 }, { sku: 'C', onHand: 2 }, { sku: 'D', onHand: 1 }] });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({
      locationId: 'PAR-1',
      asOf: '2026-01-05T20:00:00.000Z',
      received: 3,
      created: 1,
      changed: 3,
      zeroed: 1,
      stale: 0,
      oversoldCount: 2,
      oversoldPositions: [{ sku: 'A', onHand: 4, reserved: 6 }, { sku: 'B', onHand: 0, reserved: 3 }],
    });
    expect(await position(t.ctx.db, 'A', 'PAR-1')).toEqual({ on_hand: 4, reserved: 6, safety_stock: 0 });
    expect(await position(t.ctx.db, 'B', 'PAR-1')).toEqual({ on_hand: 0, reserved: 3, safety_stock: 0 });
    expect(await count(t.ctx.db, 'reservation' as 'stock_position', sql`status = 'active'`)).toBe(2);
    // A, B and D changed (C did not): one ledger row and one event each.
    expect(await count(t.ctx.db, 'inventory_ledger', sql`cause = 'snapshot' AND reference = '2026-01-05T20:00:00.000Z'`)).toBe(3);
    const events = await sql<{ payload: Record<string, unknown> }>`SELECT payload FROM outbox_event WHERE type = 'stock.changed' ORDER BY id OFFSET ${eventsBefore}`.execute(t.ctx.db);
    expect(events.rows.map((r) => r.payload).sort((a, b) => String(a.sku).localeCompare(String(b.sku)))).toEqual([
      { sku: 'A', locationId: 'PAR-1', onHand: 4, reserved: 6, safetyStock: 0, atp: 0, cause: 'snapshot' },
      { sku: 'B', locationId: 'PAR-1', onHand: 0, reserved: 3, safetyStock: 0, atp: 0, cause: 'snapshot' },
      { sku: 'D', locationId: 'PAR-1', onHand: 1, reserved: 0, safetyStock: 0, atp: 1, cause: 'snapshot' },
    ]);
  });

  it('keeps the figure of a position set by a newer count (guarded by asOf)', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/inventory/LYO-1/A', headers: t.admin, payload: { onHand: 9, asOf: '2026-01-06T12:00:00Z' } });
    const res = await snapshot({ locationId: 'LYO-1', asOf: '2026-01-06T10:00:00Z', items: [{ sku: 'A', onHand: 1 }, { sku: 'B', onHand: 5 }] });
    expect(res.json()).toMatchObject({ created: 1, changed: 1, stale: 1 });
    expect((await position(t.ctx.db, 'A', 'LYO-1'))?.on_hand).toBe(9);
    expect((await position(t.ctx.db, 'B', 'LYO-1'))?.on_hand).toBe(5);

    // The same figures again, newer: nothing changes, so no ledger row and no event.
    const writes = (await count(t.ctx.db, 'outbox_event')) + (await count(t.ctx.db, 'inventory_ledger'));
    const again = await snapshot({ locationId: 'LYO-1', asOf: '2026-01-06T13:00:00Z', items: [{ sku: 'A', onHand: 9 }, { sku: 'B', onHand: 5 }] });
    expect(again.json()).toMatchObject({ created: 0, changed: 0, stale: 0, zeroed: 0 });
    expect((await count(t.ctx.db, 'outbox_event')) + (await count(t.ctx.db, 'inventory_ledger'))).toBe(writes);
  });

  it(`takes a ${BIG.toLocaleString('en')}-row CSV snapshot in one request`, async () => {
    const body = ['sku,onHand', ...bigSkus.map((s, i) => `${s},${i % 7}`)].join('\n');
    const res = await csv(body, 'locationId=DC-1&asOf=2026-01-07T06:00:00Z&source=wms');
    expect(res.statusCode).toBe(200);
    const zeros = Math.ceil(BIG / 7);
    expect(res.json()).toMatchObject({ received: BIG, created: BIG, changed: BIG - zeros, stale: 0, oversoldCount: 0 });
    expect(await count(t.ctx.db, 'stock_position', sql`location_id = 'DC-1'`)).toBe(BIG);
    expect(await count(t.ctx.db, 'inventory_ledger', sql`location_id = 'DC-1' AND cause = 'snapshot' AND source = 'wms'`)).toBe(BIG - zeros);
    expect((await position(t.ctx.db, 'BIG-000013', 'DC-1'))?.on_hand).toBe(6);
  });

  const writes = async () => (await count(t.ctx.db, 'inventory_ledger')) + (await count(t.ctx.db, 'stock_position')) + (await count(t.ctx.db, 'outbox_event'));

  it.each([
    ['an unknown SKU', () => snapshot({ locationId: 'PAR-1', asOf: '2026-02-01T00:00:00Z', items: [{ sku: 'A', onHand: 1 }, { sku: 'GHOST', onHand: 1 }] }), 422, 'unknown_sku'],
    ['an unknown location', () => snapshot({ locationId: 'NOWHERE', asOf: '2026-02-01T00:00:00Z', items: [{ sku: 'A', onHand: 1 }] }), 422, 'unknown_location'],
    ['a negative onHand', () => snapshot({ locationId: 'PAR-1', asOf: '2026-02-01T00:00:00Z', items: [{ sku: 'A', onHand: -1 }] }), 400, 'validation_failed'],
    ['onHand as text', () => snapshot({ locationId: 'PAR-1', asOf: '2026-02-01T00:00:00Z', items: [{ sku: 'A', onHand: 'ten' }] }), 400, 'validation_failed'],
    ['a SKU twice', () => snapshot({ locationId: 'PAR-1', asOf: '2026-02-01T00:00:00Z', items: [{ sku: 'A', onHand: 1 }, { sku: 'A', onHand: 2 }] }), 400, 'duplicate_sku_in_snapshot'],
    ['a CSV without header', () => csv('A,1\nB,2', 'locationId=PAR-1&asOf=2026-02-01T00:00:00Z'), 400, 'invalid_csv'],
    ['a CSV with a fractional quantity', () => csv('sku,onHand\nA,1\nB,2.5', 'locationId=PAR-1&asOf=2026-02-01T00:00:00Z'), 400, 'invalid_csv'],
    ['a CSV with a negative quantity', () => csv('sku,onHand\nA,-1', 'locationId=PAR-1&asOf=2026-02-01T00:00:00Z'), 400, 'invalid_csv'],
    ['a CSV with an unclosed quote', () => csv('sku,onHand\n"A,1', 'locationId=PAR-1&asOf=2026-02-01T00:00:00Z'), 400, 'invalid_csv'],
    ['a CSV without asOf', () => csv('sku,onHand\nA,1', 'locationId=PAR-1'), 400, 'validation_failed'],
    ['a CSV with an unknown SKU', () => csv('sku,onHand\nA,1\nGHOST,3', 'locationId=PAR-1&asOf=2026-02-01T00:00:00Z'), 422, 'unknown_sku'],
    ['malformed JSON', () => t.app.inject({ method: 'POST', url: '/v1/inventory/snapshots', headers: { ...t.admin, 'content-type': 'application/json' }, payload: '{"locationId":"PAR-1",' }), 400, 'invalid_json'],
  ])('refuses %s and writes nothing', async (_label, send, status, code) => {
    const before = await writes();
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await writes()).toBe(before);
    expect((await position(t.ctx.db, 'A', 'PAR-1'))?.on_hand).toBe(4);
  });

  it('does not let a store key snapshot another location', async () => {
    const lyon = await storeKey(t, ['LYO-1']);
    const before = await writes();
    expect((await snapshot({ locationId: 'PAR-1', asOf: '2026-03-01T00:00:00Z', items: [] }, lyon)).statusCode).toBe(403);
    expect((await csv('sku,onHand\nA,0', 'locationId=PAR-1&asOf=2026-03-01T00:00:00Z', lyon)).statusCode).toBe(403);
    expect(await writes()).toBe(before);
  });
});
