import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, MONDAY_MORNING, orderWrites, placeOrder, position, toParis } from './fixtures.js';

const sweater = [{ sku: 'SKU-1', quantity: 1 }];

describe('orders from a promise token or a cart reservation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(MONDAY_MORNING);
    await t.ctx.availability.refresh();
  });

  async function holdPromise(lines = sweater, destination = { postalCode: '75011', country: 'FR' }, optionId = 'ship:standard') {
    const res = await t.app.inject({ method: 'POST', url: '/v1/promise', headers: t.admin, payload: { channel: 'web', lines, destination, hold: { optionId } } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { hold: { token: string; option: Record<string, unknown> } };
  }
  const holdStatus = async (token: string) => (await t.app.inject({ url: `/v1/promise/holds/${token}`, headers: t.admin })).json().status;

  it('a token gives the order exactly the promised option, with the stock it already holds', async () => {
    const before = await position(t.ctx.db, 'SKU-1', 'store-paris');
    const { hold } = await holdPromise();
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: before.onHand, reserved: before.reserved + 1 });
    t.clock.advance(5 * 60_000);
    const res = await placeOrder(t, { lines: sweater, promiseToken: hold.token });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order.promise).toMatchObject({ token: hold.token, optionId: 'ship:standard' });
    expect(order.promise.option).toEqual(hold.option);
    expect(order.lines[0].allocations[0]).toMatchObject({ locationId: 'store-paris', status: 'reserved', quantity: 1 });
    // No second reservation: the held unit became the order's.
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: before.onHand, reserved: before.reserved + 1 });
    expect(await holdStatus(hold.token)).toBe('consumed');
    const timeline = (await t.app.inject({ url: `/v1/orders/${order.id}/timeline`, headers: t.admin })).json();
    expect(timeline.items[0].details.source).toBe('token');
    await expectInventoryConsistent(t);

    const writes = await orderWrites(t.ctx.db);
    const again = await placeOrder(t, { lines: sweater, promiseToken: hold.token });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'promise_hold_not_active']);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['another cart', { lines: [{ sku: 'SKU-1', quantity: 2 }] }, 422, 'promise_cart_mismatch'],
    ['another channel', { channel: 'app' }, 422, 'promise_cart_mismatch'],
    ['another address', { delivery: { ...toParis, address: { ...toParis.address, postalCode: '69003' } } }, 422, 'promise_option_mismatch'],
    ['another service', { delivery: { ...toParis, service: 'express' } }, 422, 'promise_option_mismatch'],
    ['another delivery method', { delivery: { method: 'pickup', pickupLocationId: 'store-paris' } }, 422, 'promise_option_mismatch'],
  ])('a token refused for %s leaves the promise held and writes nothing', async (_what, body, status, code) => {
    const { hold } = await holdPromise();
    const writes = await orderWrites(t.ctx.db);
    const res = await placeOrder(t, { lines: sweater, promiseToken: hold.token, ...body });
    expect([res.statusCode, res.json().error.code], res.body).toEqual([status, code]);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    expect(await holdStatus(hold.token)).toBe('active');
    await t.app.inject({ method: 'DELETE', url: `/v1/promise/holds/${hold.token}`, headers: t.admin });
  });

  it('an expired token is a clear 409', async () => {
    const { hold } = await holdPromise();
    t.clock.advance(16 * 60_000);
    const res = await placeOrder(t, { lines: sweater, promiseToken: hold.token });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'promise_hold_expired']);
    await t.app.inject({ method: 'DELETE', url: `/v1/promise/holds/${hold.token}`, headers: t.admin });
  });

  it('a click & collect token becomes a pickup order', async () => {
    const { hold } = await holdPromise([{ sku: 'SKU-3', quantity: 1 }], { postalCode: '69003', country: 'FR' }, 'click_and_collect:store-lyon');
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-3', quantity: 1 }], promiseToken: hold.token, delivery: { method: 'pickup', pickupLocationId: 'store-lyon' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'allocated', promise: { optionId: 'click_and_collect:store-lyon', token: hold.token } });
  });

  it("a cart reservation is consumed: its units become the order's allocation", async () => {
    const before = await position(t.ctx.db, 'SKU-1', 'store-paris');
    const held = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { channel: 'web', lines: [{ sku: 'SKU-1', locationId: 'store-paris', quantity: 2 }] } });
    expect(held.statusCode, held.body).toBe(201);
    const hold = held.json();
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 2 }], reservationId: hold.id });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({ status: 'allocated', promise: null });
    expect(order.lines[0].allocations).toMatchObject([{ locationId: 'store-paris', quantity: 2, status: 'reserved', holdId: hold.id, reservationId: hold.lines[0].id }]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });
    const read = await t.app.inject({ url: `/v1/reservations/${hold.id}`, headers: t.admin });
    expect(read.json().status).toBe('consumed');
    await expectInventoryConsistent(t);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['other quantities', { lines: [{ sku: 'SKU-1', quantity: 1 }] }, 'reservation_mismatch'],
    ['another channel', { channel: 'app' }, 'reservation_mismatch'],
    ['reserve & collect in another store', { delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' } }, 'reservation_mismatch'],
  ])('a reservation that does not fit (%s) is a 422 and stays active', async (_what, body, code) => {
    const held = await t.app.inject({ method: 'POST', url: '/v1/reservations', headers: t.admin, payload: { channel: 'web', lines: [{ sku: 'SKU-1', locationId: 'store-paris', quantity: 2 }] } });
    const hold = held.json();
    const writes = await orderWrites(t.ctx.db);
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 2 }], reservationId: hold.id, ...body });
    expect([res.statusCode, res.json().error.code], res.body).toEqual([422, code]);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    expect((await t.app.inject({ url: `/v1/reservations/${hold.id}`, headers: t.admin })).json().status).toBe('active');
    await t.app.inject({ method: 'DELETE', url: `/v1/reservations/${hold.id}`, headers: t.admin });
  });
});
