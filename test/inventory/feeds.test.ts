import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { count, position, seedNetwork, storeKey } from './fixtures.js';

describe('inventory feeds: absolute sets and movements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedNetwork(t.ctx.db);
  });
  afterAll(async () => t?.close());

  const put = (locationId: string, sku: string, payload: unknown, headers = t.admin) => t.app.inject({ method: 'PUT', url: `/v1/inventory/${locationId}/${sku}`, headers, payload: payload as object });
  const move = (movements: unknown[], headers = t.admin) => t.app.inject({ method: 'POST', url: '/v1/inventory/movements', headers, payload: { movements } });

  it('creates the position on first write, with ledger and stock.changed, and reads it back', async () => {
    const res = await put('PAR-1', 'TSHIRT-M', { onHand: 12, asOf: '2026-01-05T10:00:00Z', source: 'pos' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ applied: true, changed: true, position: { sku: 'TSHIRT-M', locationId: 'PAR-1', onHand: 12, reserved: 0, atp: 12, lastSetAt: '2026-01-05T10:00:00.000Z' } });
    const ledger = await t.app.inject({ url: '/v1/inventory/TSHIRT-M/ledger', headers: t.admin });
    expect(ledger.json().items).toMatchObject([{ cause: 'set', onHandBefore: 0, onHandAfter: 12, source: 'pos' }]);
    const events = await sql<{ payload: Record<string, unknown> }>`SELECT payload FROM outbox_event WHERE type = 'stock.changed' AND aggregate_id = 'PAR-1/TSHIRT-M'`.execute(t.ctx.db);
    expect(events.rows.map((r) => r.payload)).toEqual([{ sku: 'TSHIRT-M', locationId: 'PAR-1', onHand: 12, reserved: 0, safetyStock: 0, atp: 12, cause: 'set' }]);
    const read = await t.app.inject({ url: '/v1/inventory/TSHIRT-M', headers: t.admin });
    expect(read.json().positions).toEqual([{ sku: 'TSHIRT-M', locationId: 'PAR-1', onHand: 12, reserved: 0, safetyStock: 0, atp: 12, lastSetAt: '2026-01-05T10:00:00.000Z' }]);
  });

  it('ignores an out-of-order absolute message (older or same asOf) and keeps the newer figure', async () => {
    await put('LYO-1', 'TSHIRT-M', { onHand: 8, asOf: '2026-01-05T12:00:00Z' });
    const ledgerBefore = await count(t.ctx.db, 'inventory_ledger');
    for (const asOf of ['2026-01-05T11:00:00Z', '2026-01-05T12:00:00Z']) {
      const late = await put('LYO-1', 'TSHIRT-M', { onHand: 3, asOf });
      expect(late.statusCode).toBe(200);
      expect(late.json()).toMatchObject({ applied: false, reason: 'stale', position: { onHand: 8 } });
    }
    expect((await position(t.ctx.db, 'TSHIRT-M', 'LYO-1'))?.on_hand).toBe(8);
    expect(await count(t.ctx.db, 'inventory_ledger')).toBe(ledgerBefore);
    expect((await put('LYO-1', 'TSHIRT-M', { onHand: 5, asOf: '2026-01-05T12:00:01Z' })).json()).toMatchObject({ applied: true, position: { onHand: 5 } });
  });

  it('sets a (sku, location) safety stock rule with the count', async () => {
    const res = await put('DC-1', 'JEANS-32', { onHand: 10, asOf: '2026-01-05T10:00:00Z', safetyStock: 3 });
    expect(res.json().position).toMatchObject({ onHand: 10, safetyStock: 3, atp: 7 });
    expect(await count(t.ctx.db, 'safety_stock_rule', sql`sku = 'JEANS-32' AND location_id = 'DC-1' AND quantity = 3`)).toBe(1);
  });

  it('applies a duplicated delta once and reports the duplicate', async () => {
    await put('PAR-1', 'TSHIRT-L', { onHand: 10, asOf: '2026-01-05T10:00:00Z' });
    const sale = { eventId: 'pos-1', locationId: 'PAR-1', sku: 'TSHIRT-L', delta: -2, reason: 'sale' };
    const first = await move([sale, { ...sale }]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ applied: 1, duplicates: ['pos-1'], stale: [], clamped: [] });
    const replay = await move([sale, { eventId: 'pos-2', locationId: 'PAR-1', sku: 'TSHIRT-L', delta: -1 }]);
    expect(replay.json()).toEqual({ applied: 1, duplicates: ['pos-1'], stale: [], clamped: [] });
    expect((await position(t.ctx.db, 'TSHIRT-L', 'PAR-1'))?.on_hand).toBe(7);
    const ledger = await t.app.inject({ url: '/v1/inventory/TSHIRT-L/ledger?locationId=PAR-1', headers: t.admin });
    expect(ledger.json().items.map((r: { source: string; onHandAfter: number }) => [r.source, r.onHandAfter])).toEqual([['pos-2', 7], ['pos-1', 8], [null, 10]]);
  });

  it('clamps a sale below zero to 0 and reports it; skips a movement older than the last count', async () => {
    await put('LYO-1', 'TSHIRT-L', { onHand: 1, asOf: '2026-01-05T10:00:00Z' });
    const res = await move([
      { eventId: 'lyo-1', locationId: 'LYO-1', sku: 'TSHIRT-L', delta: -3 },
      { eventId: 'lyo-2', locationId: 'LYO-1', sku: 'TSHIRT-L', delta: 4, occurredAt: '2026-01-05T09:00:00Z' },
      { eventId: 'lyo-3', locationId: 'LYO-1', sku: 'JEANS-32', delta: 6 },
    ]);
    expect(res.json()).toEqual({ applied: 2, duplicates: [], stale: ['lyo-2'], clamped: [{ eventId: 'lyo-1', sku: 'TSHIRT-L', locationId: 'LYO-1', delta: -3, applied: -1 }] });
    expect((await position(t.ctx.db, 'TSHIRT-L', 'LYO-1'))?.on_hand).toBe(0);
    expect((await position(t.ctx.db, 'JEANS-32', 'LYO-1'))?.on_hand).toBe(6);
    expect((await move([{ eventId: 'lyo-2', locationId: 'LYO-1', sku: 'TSHIRT-L', delta: 4 }])).json().duplicates).toEqual(['lyo-2']);
  });

  const writes = async () => (await count(t.ctx.db, 'inventory_ledger')) + (await count(t.ctx.db, 'inventory_feed_event')) + (await count(t.ctx.db, 'stock_position'));

  it.each([
    ['an unknown SKU', () => move([{ eventId: 'x1', locationId: 'PAR-1', sku: 'NOPE', delta: 1 }]), 422, 'unknown_sku'],
    ['an unknown location', () => move([{ eventId: 'x2', locationId: 'NOWHERE', sku: 'TSHIRT-M', delta: 1 }]), 422, 'unknown_location'],
    ['a zero delta', () => move([{ eventId: 'x3', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: 0 }]), 400, 'invalid_movement'],
    ['a non-integer delta', () => move([{ eventId: 'x4', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: 1.5 }]), 400, 'validation_failed'],
    ['a delta given as text', () => move([{ eventId: 'x5', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: 'two' }]), 400, 'validation_failed'],
    ['a bad batch beside a good movement', () => move([{ eventId: 'x6', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: 1 }, { eventId: 'x7', locationId: 'PAR-1', sku: 'GHOST', delta: 1 }]), 422, 'unknown_sku'],
    ['an empty batch', () => move([]), 400, 'validation_failed'],
    ['a negative onHand', () => put('PAR-1', 'TSHIRT-M', { onHand: -1, asOf: '2026-02-01T00:00:00Z' }), 400, 'validation_failed'],
    ['a fractional onHand', () => put('PAR-1', 'TSHIRT-M', { onHand: 2.5, asOf: '2026-02-01T00:00:00Z' }), 400, 'validation_failed'],
    ['a missing asOf', () => put('PAR-1', 'TSHIRT-M', { onHand: 2 }), 400, 'validation_failed'],
    ['a bad asOf', () => put('PAR-1', 'TSHIRT-M', { onHand: 2, asOf: 'yesterday' }), 400, 'validation_failed'],
    ['a set for an unknown SKU', () => put('PAR-1', 'GHOST', { onHand: 2, asOf: '2026-02-01T00:00:00Z' }), 422, 'unknown_sku'],
    ['a set at an unknown location', () => put('NOWHERE', 'TSHIRT-M', { onHand: 2, asOf: '2026-02-01T00:00:00Z' }), 422, 'unknown_location'],
    ['malformed JSON', () => t.app.inject({ method: 'POST', url: '/v1/inventory/movements', headers: { ...t.admin, 'content-type': 'application/json' }, payload: '{"movements": [' }), 400, 'invalid_json'],
  ])('refuses %s and writes nothing', async (_label, send, status, code) => {
    const before = await writes();
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await writes()).toBe(before);
    expect((await position(t.ctx.db, 'TSHIRT-M', 'PAR-1'))?.on_hand).toBe(12);
  });

  it('keeps a store key to its own locations, for reads and writes', async () => {
    const paris = await storeKey(t, ['PAR-1']);
    const before = await writes();
    const foreignSet = await put('LYO-1', 'TSHIRT-M', { onHand: 99, asOf: '2026-03-01T00:00:00Z' }, paris);
    expect(foreignSet.statusCode).toBe(403);
    const foreignMove = await move([{ eventId: 's1', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: -1 }, { eventId: 's2', locationId: 'LYO-1', sku: 'TSHIRT-M', delta: -1 }], paris);
    expect(foreignMove.statusCode).toBe(403);
    expect(await writes()).toBe(before);
    expect((await t.app.inject({ url: '/v1/inventory/locations/LYO-1', headers: paris })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/inventory/TSHIRT-M/ledger?locationId=LYO-1', headers: paris })).statusCode).toBe(403);
    const own = await t.app.inject({ url: '/v1/inventory/TSHIRT-M', headers: paris });
    expect(own.json().positions.map((p: { locationId: string }) => p.locationId)).toEqual(['PAR-1']);
    const ledger = await t.app.inject({ url: '/v1/inventory/TSHIRT-M/ledger', headers: paris });
    expect(new Set(ledger.json().items.map((r: { locationId: string }) => r.locationId))).toEqual(new Set(['PAR-1']));
    expect((await move([{ eventId: 's3', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: -1 }], paris)).json().applied).toBe(1);
    expect((await position(t.ctx.db, 'TSHIRT-M', 'PAR-1'))?.on_hand).toBe(11);
    await move([{ eventId: 's4', locationId: 'PAR-1', sku: 'TSHIRT-M', delta: 1 }]);
  });

  it('pages the positions of a location', async () => {
    const first = await t.app.inject({ url: '/v1/inventory/locations/LYO-1?limit=2', headers: t.admin });
    expect(first.json().items.map((p: { sku: string }) => p.sku)).toEqual(['JEANS-32', 'TSHIRT-L']);
    const second = await t.app.inject({ url: `/v1/inventory/locations/LYO-1?limit=2&cursor=${first.json().nextCursor}`, headers: t.admin });
    expect(second.json()).toMatchObject({ items: [{ sku: 'TSHIRT-M', onHand: 5 }], nextCursor: null });
    expect((await t.app.inject({ url: '/v1/inventory/GHOST', headers: t.admin })).statusCode).toBe(404);
  });
});
