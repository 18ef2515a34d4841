import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeHold } from '../../src/modules/reservations/consume-hold.js';
import { expireDueHolds } from '../../src/modules/reservations/expire-holds.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { checkConservation, position, seedStock, writeCounts } from './fixtures.js';

describe('reservations (cart holds)', () => {
  let t: TestApp;
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/reservations', headers: { ...t.admin, ...headers }, payload: payload as object });

  beforeAll(async () => {
    t = await createTestApp();
    await seedStock(
      t.ctx.db,
      [
        { sku: 'TEE-M', locationId: 'WH-1', onHand: 10, safetyStock: 2 },
        { sku: 'TEE-M', locationId: 'WH-2', onHand: 3 },
        { sku: 'CAP', locationId: 'WH-1', onHand: 5 },
        { sku: 'CAP', locationId: 'WH-2', onHand: 1 },
        { sku: 'MUG', locationId: 'WH-1', onHand: 4 },
        { sku: 'SOCK', locationId: 'WH-2', onHand: 6 },
      ],
      [
        { id: 'web', eligibleLocationIds: null },
        { id: 'marketplace:zalando', eligibleLocationIds: ['WH-2'] },
        { id: 'pos', eligibleLocationIds: null, active: false },
      ],
    );
  });
  afterAll(async () => t?.close());

  it('reserves all lines, reads the hold back and releases it, with ledger rows and events', async () => {
    const res = await post({ lines: [{ sku: 'TEE-M', locationId: 'WH-1', quantity: 3 }, { sku: 'CAP', locationId: 'WH-2', quantity: 1 }], channel: 'web', reference: 'cart-1' });
    expect(res.statusCode).toBe(201);
    const hold = res.json();
    expect(hold).toMatchObject({ status: 'active', channel: 'web', reference: 'cart-1', expiresAt: '2026-01-05T09:15:00.000Z' });
    expect(hold.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['CAP', 1], ['TEE-M', 3]]);
    expect(await position(t.ctx.db, 'TEE-M', 'WH-1')).toEqual({ onHand: 10, reserved: 3, safetyStock: 2 });
    expect((await position(t.ctx.db, 'CAP', 'WH-2')).reserved).toBe(1);

    const read = await t.app.inject({ url: `/v1/reservations/${hold.id}`, headers: t.admin });
    expect(read.json()).toEqual(hold);
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', 'in', [hold.id, 'WH-1/TEE-M']).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['reservation.created', 'stock.changed']);
    expect(events[1]!.payload).toMatchObject({ onHand: 10, reserved: 3, safetyStock: 2, atp: 5 });

    const released = await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${hold.id}`, headers: t.admin });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ status: 'released', endedBy: 'key:bootstrap-admin' });
    expect((await position(t.ctx.db, 'TEE-M', 'WH-1')).reserved).toBe(0);
    expect((await position(t.ctx.db, 'CAP', 'WH-2')).reserved).toBe(0);
    const causes = await t.ctx.db.selectFrom('inventory_ledger').select('cause').where('reference', '=', hold.id).orderBy('id').execute();
    expect(causes.map((c) => c.cause)).toEqual(['reservation', 'reservation', 'release', 'release']);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${hold.id}`, headers: t.admin })).json().status).toBe('released');
    await checkConservation(t.ctx.db, 'TEE-M', 'WH-1');
  });

  it('expires holds through the periodic task once the clock passes their TTL, on both paths', async () => {
    const single = (await post({ lines: [{ sku: 'MUG', locationId: 'WH-1', quantity: 2 }], ttlSeconds: 60 })).json();
    const multi = (await post({ lines: [{ sku: 'MUG', locationId: 'WH-1', quantity: 1 }, { sku: 'SOCK', locationId: 'WH-2', quantity: 6 }], ttlSeconds: 120 })).json();
    expect((await position(t.ctx.db, 'MUG', 'WH-1')).reserved).toBe(3);
    const task = t.ctx.tasks.find((x) => x.name === 'reservation-expiry')!;

    t.clock.advance(59_000);
    await task.tick();
    expect((await position(t.ctx.db, 'MUG', 'WH-1')).reserved).toBe(3);

    t.clock.advance(2_000);
    await task.tick();
    expect((await t.app.inject({ url: `/v1/reservations/${single.id}`, headers: t.admin })).json()).toMatchObject({ status: 'expired', endedBy: 'system:expiry' });
    expect((await position(t.ctx.db, 'MUG', 'WH-1')).reserved).toBe(1);

    t.clock.advance(60_000);
    expect(await expireDueHolds(t.ctx)).toBe(2);
    expect((await t.app.inject({ url: `/v1/reservations/${multi.id}`, headers: t.admin })).json().status).toBe('expired');
    expect((await position(t.ctx.db, 'MUG', 'WH-1')).reserved).toBe(0);
    expect((await position(t.ctx.db, 'SOCK', 'WH-2')).reserved).toBe(0);
    const expired = await t.ctx.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', 'reservation.expired').execute();
    expect(expired.map((e) => e.aggregate_id).sort()).toEqual([single.id, multi.id].sort());
    expect(await expireDueHolds(t.ctx)).toBe(0);
    await checkConservation(t.ctx.db, 'MUG', 'WH-1');
    const ledger = await t.ctx.db.selectFrom('inventory_ledger').select('cause').where('reference', '=', multi.id).where('cause', '=', 'expiry').execute();
    expect(ledger).toHaveLength(2);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${multi.id}`, headers: t.admin })).json().error.code).toBe('hold_not_active');
  });

  it('refuses a hold when a line lacks stock, lists every shortfall and writes nothing', async () => {
    const before = await writeCounts(t.ctx.db);
    const res = await post({
      lines: [
        { sku: 'TEE-M', locationId: 'WH-1', quantity: 9 }, // ATP 8 (10 on hand, 2 safety)
        { sku: 'CAP', locationId: 'WH-1', quantity: 5 }, // fits
        { sku: 'TEE-M', locationId: 'WH-2', quantity: 4 }, // ATP 3
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'insufficient_stock',
      details: { shortfalls: [{ sku: 'TEE-M', locationId: 'WH-1', requested: 9, available: 8 }, { sku: 'TEE-M', locationId: 'WH-2', requested: 4, available: 3 }] },
    });
    const single = await post({ lines: [{ sku: 'CAP', locationId: 'WH-2', quantity: 2 }] });
    expect(single.statusCode).toBe(409);
    expect(single.json().error.details.shortfalls).toEqual([{ sku: 'CAP', locationId: 'WH-2', requested: 2, available: 1 }]);
    expect(await writeCounts(t.ctx.db)).toEqual(before);
  });

  it('replays an Idempotency-Key and refuses the same key with another body', async () => {
    const body = { lines: [{ sku: 'CAP', locationId: 'WH-1', quantity: 2 }], reference: 'cart-idem' };
    const first = await post(body, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    const replay = await post({ reference: 'cart-idem', lines: [{ quantity: 2, locationId: 'WH-1', sku: 'CAP' }] }, { 'idempotency-key': 'k-1' });
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(first.json());
    expect((await position(t.ctx.db, 'CAP', 'WH-1')).reserved).toBe(2);
    const before = await writeCounts(t.ctx.db);
    const reused = await post({ ...body, lines: [{ sku: 'CAP', locationId: 'WH-1', quantity: 1 }] }, { 'idempotency-key': 'k-1' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect(await writeCounts(t.ctx.db)).toEqual(before);
    await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${first.json().id}`, headers: t.admin });
  });

  const line = { sku: 'CAP', locationId: 'WH-1', quantity: 1 };
  it.each([
    ['no lines', { lines: [] }, 400, 'validation_failed'],
    ['51 lines', { lines: Array.from({ length: 51 }, (_, i) => ({ ...line, locationId: `L${i}` })) }, 400, 'validation_failed'],
    ['a zero quantity', { lines: [{ ...line, quantity: 0 }] }, 400, 'validation_failed'],
    ['a negative quantity', { lines: [{ ...line, quantity: -2 }] }, 400, 'validation_failed'],
    ['a fractional quantity', { lines: [{ ...line, quantity: 1.5 }] }, 400, 'validation_failed'],
    ['a quantity as text', { lines: [{ ...line, quantity: 'two' }] }, 400, 'validation_failed'],
    ['a missing location', { lines: [{ sku: 'CAP', quantity: 1 }] }, 400, 'validation_failed'],
    ['a malformed SKU', { lines: [{ ...line, sku: 'bad sku!' }] }, 400, 'validation_failed'],
    ['a TTL of 0', { lines: [line], ttlSeconds: 0 }, 400, 'validation_failed'],
    ['a TTL over a day', { lines: [line], ttlSeconds: 86_401 }, 400, 'validation_failed'],
    ['an unknown field', { lines: [line], colour: 'red' }, 400, 'validation_failed'],
    ['a malformed channel', { lines: [line], channel: 'Web Shop' }, 400, 'validation_failed'],
    ['the same position twice', { lines: [line, line] }, 400, 'validation_failed'],
    ['an unknown SKU (one line)', { lines: [{ ...line, sku: 'NOPE' }] }, 422, 'unknown_position'],
    ['an unknown location (several lines)', { lines: [line, { ...line, locationId: 'WH-9' }] }, 422, 'unknown_position'],
    ['a SKU not stocked at that location', { lines: [{ ...line, sku: 'SOCK' }] }, 422, 'unknown_position'],
    ['an unknown channel', { lines: [line], channel: 'social' }, 422, 'unknown_channel'],
    ['an inactive channel', { lines: [line, { ...line, sku: 'MUG' }], channel: 'pos' }, 422, 'unknown_channel'],
    ['a location outside the channel (one line)', { lines: [line], channel: 'marketplace:zalando' }, 422, 'location_not_eligible'],
    ['a location outside the channel (several lines)', { lines: [{ ...line, locationId: 'WH-2' }, line], channel: 'marketplace:zalando' }, 422, 'location_not_eligible'],
  ])('refuses %s with a 4xx and writes nothing', async (_label, body, status, code) => {
    const before = await writeCounts(t.ctx.db);
    const res = await post(body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await writeCounts(t.ctx.db)).toEqual(before);
  });

  it('refuses malformed JSON, a bad hold id and an unknown hold', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: { ...t.admin, 'content-type': 'application/json' }, payload: '{"lines":' });
    expect(bad.json().error.code).toBe('invalid_json');
    expect((await t.app.inject({ url: '/v1/reservations/not-a-uuid', headers: t.admin })).statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'DELETE', url: '/v1/reservations/00000000-0000-4000-8000-000000000000', headers: t.admin });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('hold_not_found');
  });

  it('lets a store key reserve, read and release only at its own locations', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'WH-2 tablet', role: 'store', locationIds: ['WH-2'] } });
    const store = { authorization: `Bearer ${key.json().secret}` };
    const before = await writeCounts(t.ctx.db);
    for (const lines of [[{ sku: 'CAP', locationId: 'WH-1', quantity: 1 }], [{ sku: 'SOCK', locationId: 'WH-2', quantity: 1 }, { sku: 'CAP', locationId: 'WH-1', quantity: 1 }]]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: store, payload: { lines } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'location_out_of_scope', details: { locationIds: ['WH-1'] } });
    }
    expect(await writeCounts(t.ctx.db)).toEqual(before);
    const own = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: store, payload: { lines: [{ sku: 'SOCK', locationId: 'WH-2', quantity: 1 }] } });
    expect(own.statusCode).toBe(201);
    const other = (await post({ lines: [{ sku: 'CAP', locationId: 'WH-1', quantity: 1 }] })).json();
    expect((await t.app.inject({ url: `/v1/reservations/${other.id}`, headers: store })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${other.id}`, headers: store })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${own.json().id}`, headers: store })).json().status).toBe('released');
    await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${other.id}`, headers: t.admin });
  });

  it('consumes a hold for an order: reserved stays, the hold cannot be released or consumed again', async () => {
    const hold = (await post({ lines: [{ sku: 'TEE-M', locationId: 'WH-2', quantity: 2 }], ttlSeconds: 300 })).json();
    const actor = systemActor('orders');
    const consumed = await t.ctx.db.transaction().execute((tx) => consumeHold(tx, hold.id, actor, t.clock.now()));
    expect(consumed).toMatchObject({ ok: true, value: { status: 'consumed', endedBy: 'system:orders' } });
    expect((await position(t.ctx.db, 'TEE-M', 'WH-2')).reserved).toBe(2);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${hold.id}`, headers: t.admin })).statusCode).toBe(409);
    const again = await t.ctx.db.transaction().execute((tx) => consumeHold(tx, hold.id, actor, t.clock.now()));
    expect(again).toMatchObject({ ok: false, code: 'hold_not_active' });

    const late = (await post({ lines: [{ sku: 'SOCK', locationId: 'WH-2', quantity: 1 }], ttlSeconds: 10 })).json();
    t.clock.advance(10_000);
    const tooLate = await t.ctx.db.transaction().execute((tx) => consumeHold(tx, late.id, actor, t.clock.now()));
    expect(tooLate).toMatchObject({ ok: false, code: 'hold_expired' });
    const types = await t.ctx.db.selectFrom('outbox_event').select('type').where('aggregate_id', '=', hold.id).orderBy('id').execute();
    expect(types.map((e) => e.type)).toEqual(['reservation.created', 'reservation.consumed']);
  });

  it('grants concurrent single-line holds first come, first served, up to ATP exactly', async () => {
    await seedStock(t.ctx.db, [{ sku: 'DROP', locationId: 'WH-1', onHand: 7, safetyStock: 2 }]);
    const admin = systemActor('test');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.ctx.reservations.create(admin, { lines: [{ sku: 'DROP', locationId: 'WH-1', quantity: i === 0 ? 2 : 1 }] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(results.slice(0, 4).every((r) => r.ok)).toBe(true);
    expect(results[4]).toMatchObject({ ok: false, code: 'insufficient_stock', details: { shortfalls: [{ requested: 1, available: 0 }] } });
    expect(await checkConservation(t.ctx.db, 'DROP', 'WH-1')).toEqual({ reserved: 5, active: 5 });
  });
});
