import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/shared/actor.js';
import { consumePromiseHold } from '../../src/modules/promise/promise-holds.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildPromiseNetwork, promise, type PromiseBody } from './fixtures.js';

const home = { destination: { postalCode: '75011', country: 'FR' } };
const twoJumpers = { ...home, lines: [{ sku: 'SKU-1', quantity: 2 }] };

describe('promise holds and tokens', () => {
  let t: TestApp;
  const position = async () =>
    t.database.db.selectFrom('stock_position').select(['on_hand', 'reserved']).where('sku', '=', 'SKU-1').where('location_id', '=', 'store-paris').executeTakeFirstOrThrow();
  const pickLoad = async () => {
    const rows = await t.database.db.selectFrom('location_pick_load').select('units').where('location_id', '=', 'store-paris').execute();
    return rows.reduce((s, r) => s + r.units, 0);
  };
  const hold = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => promise(t, { ...body, hold: { optionId: 'ship:standard' } }, headers);

  beforeAll(async () => {
    t = await createTestApp();
    await buildPromiseNetwork(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set('2026-11-27T09:00:00Z');
    await t.database.db.updateTable('promise_hold').set({ expires_at: new Date('2026-01-01T00:00:00Z') }).where('status', '=', 'active').execute();
    await t.ctx.tasks.find((x) => x.name === 'promise-hold-expiry')!.tick();
  });

  it('holds the chosen option: its stock and its pick capacity, with a token; DELETE gives both back', async () => {
    const res = await hold(twoJumpers);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as PromiseBody;
    expect(body.hold).toMatchObject({ status: 'active', expiresAt: '2026-11-27T09:15:00.000Z' });
    expect(await position()).toEqual({ on_hand: 5, reserved: 2 });
    expect(await pickLoad()).toBe(2);
    const view = await t.app.inject({ url: `/v1/promise/holds/${body.hold!.token}`, headers: t.admin });
    expect(view.json()).toMatchObject({ optionId: 'ship:standard', status: 'active', option: { latest: '2026-11-28' } });

    const released = await t.app.inject({ method: 'DELETE', url: `/v1/promise/holds/${body.hold!.token}`, headers: t.admin });
    expect(released.json()).toMatchObject({ status: 'released' });
    expect(await position()).toEqual({ on_hand: 5, reserved: 0 });
    expect(await pickLoad()).toBe(0);
    const twice = await t.app.inject({ method: 'DELETE', url: `/v1/promise/holds/${body.hold!.token}`, headers: t.admin });
    expect(twice.statusCode).toBe(200);
  });

  it('a store that reached its daily pick capacity is not offered again that day', async () => {
    expect((await hold(twoJumpers)).statusCode).toBe(201);
    // Capacity 3, 2 held: a second cart of 2 cannot be picked at the Paris store today.
    const second = await hold(twoJumpers);
    expect([second.statusCode, second.json().error.code]).toEqual([409, 'option_unavailable']);
    expect(await position()).toEqual({ on_hand: 5, reserved: 2 });
    expect(await pickLoad()).toBe(2);
  });

  it('expires after its time: stock and pick load go back', async () => {
    const body = (await hold(twoJumpers)).json() as PromiseBody;
    t.clock.advance(16 * 60_000);
    expect(await t.ctx.tasks.find((x) => x.name === 'promise-hold-expiry')!.tick()).toBeUndefined();
    const view = await t.app.inject({ url: `/v1/promise/holds/${body.hold!.token}`, headers: t.admin });
    expect(view.json().status).toBe('expired');
    expect(await position()).toEqual({ on_hand: 5, reserved: 0 });
    expect(await pickLoad()).toBe(0);
  });

  it('replays an Idempotency-Key without holding twice; the same key with another cart is a 422', async () => {
    const first = await hold(twoJumpers, { 'idempotency-key': 'checkout-42' });
    const again = await hold(twoJumpers, { 'idempotency-key': 'checkout-42' });
    expect(again.statusCode).toBe(201);
    expect(again.json().hold.token).toBe(first.json().hold.token);
    expect(await position()).toEqual({ on_hand: 5, reserved: 2 });
    const other = await hold({ ...home, lines: [{ sku: 'SKU-1', quantity: 1 }] }, { 'idempotency-key': 'checkout-42' });
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'idempotency_key_reused']);
  });

  it('an option that is not available cannot be held, and nothing is written', async () => {
    const res = await promise(t, { ...twoJumpers, hold: { optionId: 'ship:same_day' }, lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'option_unavailable', details: { reasons: [{ code: 'no_stock' }] } });
    expect(await t.database.db.selectFrom('promise_hold').select('token').where('status', '=', 'active').execute()).toEqual([]);
  });

  it('an order gets exactly the held promise once, and only for the same cart and channel', async () => {
    const body = (await hold(twoJumpers)).json() as PromiseBody;
    const token = body.hold!.token;
    const actor = systemActor('test');
    const now = t.clock.now();
    const consume = (lines: Array<{ sku: string; quantity: number }>, channel = 'web') =>
      t.database.db.transaction().execute((tx) => consumePromiseHold(tx, token, { channel, lines }, actor, now, 'order-1'));
    expect(await consume([{ sku: 'SKU-1', quantity: 1 }])).toMatchObject({ ok: false, code: 'promise_cart_mismatch' });
    expect(await consume(twoJumpers.lines, 'app')).toMatchObject({ ok: false, code: 'promise_cart_mismatch' });
    const taken = await consume(twoJumpers.lines);
    expect(taken).toMatchObject({ ok: true, value: { optionId: 'ship:standard', latest: '2026-11-28' } });
    expect(await consume(twoJumpers.lines)).toMatchObject({ ok: false, code: 'promise_hold_not_active' });
    // The units stay reserved for the order; the hold's reservation is consumed, not released.
    expect(await position()).toEqual({ on_hand: 5, reserved: 2 });
    await t.database.db.updateTable('stock_position').set({ reserved: 0 }).where('location_id', '=', 'store-paris').execute();
    await t.database.db.deleteFrom('location_pick_load').execute();
    await t.ctx.availability.refresh();
  });
});
