import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { count, position, reserveDirectly, seedNetwork, storeKey } from './fixtures.js';

describe('safety stock rules and incoming supply', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-03-01T09:00:00Z');
    await seedNetwork(t.ctx.db, { locations: [{ id: 'PAR-1', type: 'store', reliability: 0.6 }, { id: 'LYO-1', type: 'store' }, { id: 'DC-1', type: 'warehouse' }] });
    for (const [loc, sku, onHand] of [['PAR-1', 'TSHIRT-M', 10], ['LYO-1', 'TSHIRT-M', 10], ['DC-1', 'TSHIRT-M', 10]] as const) {
      await t.app.inject({ method: 'PUT', url: `/v1/inventory/${loc}/${sku}`, headers: t.admin, payload: { onHand, asOf: '2026-03-01T08:00:00Z' } });
    }
  });
  afterAll(async () => t?.close());

  const rule = (method: 'PUT' | 'DELETE', body: Record<string, unknown>) =>
    method === 'PUT'
      ? t.app.inject({ method, url: '/v1/safety-stock-rules', headers: t.admin, payload: body })
      : t.app.inject({ method, url: `/v1/safety-stock-rules?${new URLSearchParams(body as Record<string, string>)}`, headers: t.admin });
  const safety = async (loc: string) => (await position(t.ctx.db, 'TSHIRT-M', loc))?.safety_stock;

  it('new positions take the reliability buffer; rules apply most specific first and are undone by delete', async () => {
    expect([await safety('PAR-1'), await safety('LYO-1'), await safety('DC-1')]).toEqual([2, 0, 0]);
    expect((await rule('PUT', { locationType: 'store', quantity: 1 })).json()).toMatchObject({ positionsChanged: 2, rule: { locationType: 'store', quantity: 1 } });
    expect([await safety('PAR-1'), await safety('LYO-1')]).toEqual([1, 1]);
    await rule('PUT', { locationId: 'LYO-1', quantity: 4 });
    await rule('PUT', { sku: 'TSHIRT-M', locationId: 'LYO-1', quantity: 6 });
    expect(await safety('LYO-1')).toBe(6);
    expect((await rule('PUT', { sku: 'TSHIRT-M', locationId: 'LYO-1', quantity: 7 })).json().rule.quantity).toBe(7);
    expect(await count(t.ctx.db, 'safety_stock_rule')).toBe(3);
    expect((await rule('DELETE', { sku: 'TSHIRT-M', locationId: 'LYO-1' })).statusCode).toBe(200);
    expect(await safety('LYO-1')).toBe(4);
    await rule('DELETE', { locationId: 'LYO-1' });
    await rule('DELETE', { locationType: 'store' });
    expect([await safety('PAR-1'), await safety('LYO-1')]).toEqual([2, 0]);
    expect((await rule('DELETE', { locationType: 'store' })).statusCode).toBe(404);
    const list = await t.app.inject({ url: '/v1/safety-stock-rules', headers: t.admin });
    expect(list.json()).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['a SKU without location', { sku: 'TSHIRT-M', quantity: 1 }, 400, 'invalid_safety_scope'],
    ['a type with a location', { locationType: 'store', locationId: 'PAR-1', quantity: 1 }, 400, 'invalid_safety_scope'],
    ['a negative quantity', { locationId: 'PAR-1', quantity: -1 }, 400, 'validation_failed'],
    ['an unknown location', { locationId: 'NOWHERE', quantity: 1 }, 422, 'unknown_location'],
    ['an unknown type', { locationType: 'kiosk', quantity: 1 }, 400, 'validation_failed'],
  ])('refuses a rule with %s', async (_label, body, status, code) => {
    const res = await rule('PUT', body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await count(t.ctx.db, 'safety_stock_rule')).toBe(0);
  });

  it('records supply (upsert), gives ATP by date, receives once and cancels', async () => {
    await reserveDirectly(t.ctx.db, 'TSHIRT-M', 'DC-1', 13 - 3);
    const po = { kind: 'purchase_order', reference: 'PO-77', lines: [
      { sku: 'TSHIRT-M', locationId: 'DC-1', quantity: 5, expectedAt: '2026-03-05T00:00:00Z' },
      { sku: 'TSHIRT-M', locationId: 'PAR-1', quantity: 3, expectedAt: '2026-03-03T00:00:00Z' },
    ] };
    expect((await t.app.inject({ method: 'POST', url: '/v1/supply', headers: t.admin, payload: po })).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/v1/supply', headers: t.admin, payload: { ...po, lines: [{ ...po.lines[0], quantity: 6 }] } });
    expect(await count(t.ctx.db, 'incoming_supply')).toBe(2);
    const dcLine = again.json().lines.find((l: { locationId: string }) => l.locationId === 'DC-1');
    expect(dcLine).toMatchObject({ quantity: 6, status: 'open' });

    const timeline = await t.app.inject({ url: '/v1/inventory/TSHIRT-M/atp-by-date', headers: t.admin });
    // Today: PAR 10-0-2=8, LYO 10, DC 10-10=0 -> 18; +3 at PAR on the 3rd -> 21; +6 at DC on the 5th -> 27.
    expect(timeline.json().points).toEqual([
      { at: '2026-03-01T09:00:00.000Z', incoming: 0, atp: 18, overdue: false },
      { at: '2026-03-03T00:00:00.000Z', incoming: 3, atp: 21, overdue: false },
      { at: '2026-03-05T00:00:00.000Z', incoming: 6, atp: 27, overdue: false },
    ]);
    const dcOnly = await t.app.inject({ url: '/v1/inventory/TSHIRT-M/atp-by-date?locationId=DC-1', headers: t.admin });
    expect(dcOnly.json().points.map((p: { atp: number }) => p.atp)).toEqual([0, 6]);

    const received = await t.app.inject({ method: 'POST', url: `/v1/supply/${dcLine.id}/receive`, headers: t.admin });
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ line: { status: 'received' }, position: { onHand: 16, reserved: 10 } });
    const twice = await t.app.inject({ method: 'POST', url: `/v1/supply/${dcLine.id}/receive`, headers: t.admin });
    expect(twice.statusCode).toBe(409);
    expect((await position(t.ctx.db, 'TSHIRT-M', 'DC-1'))?.on_hand).toBe(16);
    expect(await count(t.ctx.db, 'inventory_ledger', sql`cause = 'movement' AND source = ${`supply:${dcLine.id}`}`)).toBe(1);
    // A received line is history: a replayed PO does not reopen or change it.
    await t.app.inject({ method: 'POST', url: '/v1/supply', headers: t.admin, payload: { ...po, lines: [{ ...po.lines[0], quantity: 50 }] } });
    expect((await t.app.inject({ url: '/v1/supply?reference=PO-77&locationId=DC-1', headers: t.admin })).json().items[0]).toMatchObject({ quantity: 6, status: 'received' });

    const parLine = again.json().lines.find((l: { locationId: string }) => l.locationId === 'PAR-1');
    expect((await t.app.inject({ method: 'POST', url: `/v1/supply/${parLine.id}/cancel`, headers: t.admin })).json().status).toBe('cancelled');
    expect((await t.app.inject({ url: '/v1/inventory/TSHIRT-M/atp-by-date', headers: t.admin })).json().points).toHaveLength(1);
    expect((await t.app.inject({ method: 'POST', url: '/v1/inventory/check', headers: t.admin, payload: {} })).json().driftCount).toBe(0);
  });

  it('refuses supply for unknown master data, and hides other locations from a store key', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/supply', headers: t.admin, payload: { kind: 'transfer', reference: 'T-1', lines: [{ sku: 'GHOST', locationId: 'DC-1', quantity: 1, expectedAt: '2026-03-05T00:00:00Z' }] } });
    expect(bad.statusCode).toBe(422);
    const zero = await t.app.inject({ method: 'POST', url: '/v1/supply', headers: t.admin, payload: { kind: 'transfer', reference: 'T-1', lines: [{ sku: 'TSHIRT-M', locationId: 'DC-1', quantity: 0, expectedAt: '2026-03-05T00:00:00Z' }] } });
    expect(zero.statusCode).toBe(400);
    await t.app.inject({ method: 'POST', url: '/v1/supply', headers: t.admin, payload: { kind: 'transfer', reference: 'T-2', lines: [{ sku: 'TSHIRT-M', locationId: 'LYO-1', quantity: 2, expectedAt: '2026-03-04T00:00:00Z' }] } });
    const paris = await storeKey(t, ['PAR-1']);
    const lines = await t.app.inject({ url: '/v1/supply?reference=T-2', headers: paris });
    expect(lines.json().items).toEqual([]);
    const id = (await t.app.inject({ url: '/v1/supply?reference=T-2', headers: t.admin })).json().items[0].id;
    expect((await t.app.inject({ method: 'POST', url: `/v1/supply/${id}/receive`, headers: paris })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/inventory/TSHIRT-M/atp-by-date?locationId=LYO-1', headers: paris })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/inventory/TSHIRT-M/atp-by-date', headers: paris })).json().points).toEqual([{ at: '2026-03-01T09:00:00.000Z', incoming: 0, atp: 8, overdue: false }]);
    expect(await count(t.ctx.db, 'incoming_supply', sql`reference = 'T-1'`)).toBe(0);
  });
});
