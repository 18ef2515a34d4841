import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { auth, bob, buildShipNetwork, createStoreKey, fulfillmentsOf, toBob } from './ship-fixtures.js';

const HOLD_MINUTES = 15;

describe('release hold: new ship work is held (invisible to the store) and released by the periodic task', () => {
  let t: TestApp;
  let parisKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    await buildShipNetwork(t);
    parisKey = await createStoreKey(t, 'paris till', ['store-paris']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const release = () => t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
  const order = async (quantity = 1) => {
    const res = await placeOrder(t, { customer: bob, delivery: toBob, lines: [{ sku: 'PULL', quantity }] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; status: string };
  };
  const events = async (type: string, orderId: string) =>
    (await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', type).where('aggregate_id', '=', orderId).execute()).length;
  const timeline = async (orderId: string) =>
    (await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline`, headers: t.admin })).json().items as Array<{ event: string; statusFrom: string | null; statusTo: string | null; details: Record<string, unknown> }>;
  const storeQueue = async () => (await t.app.inject({ method: 'GET', url: '/v1/fulfillments?status=open', headers: auth(parisKey) })).json().items as Array<{ id: string }>;

  it('the hold is a fulfillment setting: 0 by default, editable through the settings API, validated', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/v1/fulfillment-settings', headers: t.admin });
    expect(before.json().releaseHoldMinutes).toBe(0);
    const bad = await t.app.inject({ method: 'PATCH', url: '/v1/fulfillment-settings', headers: t.admin, payload: { releaseHoldMinutes: -1 } });
    expect(bad.statusCode).toBe(400);
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/fulfillment-settings', headers: t.admin, payload: { releaseHoldMinutes: HOLD_MINUTES } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().releaseHoldMinutes).toBe(HOLD_MINUTES);
  });

  it('a held fulfillment is invisible to the store, refused at accept and pick (409), and announced only at release', async () => {
    const placedAt = t.clock.now().getTime();
    const o = await order();
    expect(o.status).toBe('allocated');
    const [f] = await fulfillmentsOf(t, o.number);
    expect(f).toMatchObject({ status: 'held', locationId: 'store-paris', acceptBy: null, releaseAt: new Date(placedAt + HOLD_MINUTES * 60_000).toISOString() });
    expect(await events('fulfillment.created', o.id)).toBe(0);

    expect((await storeQueue()).map((x) => x.id)).not.toContain(f!.id);
    expect((await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${f!.id}`, headers: auth(parisKey) })).statusCode).toBe(404);
    for (const [step, payload] of [['accept', {}], ['pick', { lines: [{ sku: 'PULL', quantity: 1 }] }]] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f!.id}/${step}`, headers: auth(parisKey), payload });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('fulfillment_held');
    }

    // Not due yet: the task leaves it held.
    t.clock.advance((HOLD_MINUTES - 1) * 60_000);
    await release();
    expect((await fulfillmentsOf(t, o.number))[0]!.status).toBe('held');

    t.clock.advance(60_000);
    await release();
    const [released] = await fulfillmentsOf(t, o.number);
    expect(released!.status).toBe('pending');
    // The acceptance deadline counts from the release (Paris is open: 120 open minutes from now).
    expect((released as unknown as { acceptBy: string }).acceptBy).toBe(new Date(t.clock.now().getTime() + 120 * 60_000).toISOString());
    expect(await events('fulfillment.created', o.id)).toBe(1);
    const entries = await timeline(o.id);
    expect(entries.find((e) => e.event === 'fulfillment.created')).toMatchObject({ statusTo: 'held' });
    expect(entries.find((e) => e.event === 'fulfillment.released')).toMatchObject({ statusFrom: 'held', statusTo: 'pending', details: { fulfillmentId: f!.id } });
    expect((await storeQueue()).map((x) => x.id)).toContain(f!.id);

    // Idempotent: a second run releases nothing again.
    await release();
    expect(await events('fulfillment.created', o.id)).toBe(1);
    const accepted = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f!.id}/accept`, headers: auth(parisKey), payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('cancelling a held order gives its units back, ends the work unannounced, and nothing is released later', async () => {
    const before = await position(t.ctx.db, 'PULL', 'store-paris');
    const o = await order();
    expect((await position(t.ctx.db, 'PULL', 'store-paris')).reserved).toBe(before.reserved + 1);
    const res = await t.app.inject({ method: 'POST', url: `/v1/orders/${o.id}/cancel`, headers: t.admin, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect((await fulfillmentsOf(t, o.number))[0]!.status).toBe('cancelled');
    expect(await position(t.ctx.db, 'PULL', 'store-paris')).toEqual(before);
    expect(await events('fulfillment.cancelled', o.id)).toBe(0);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    expect((await fulfillmentsOf(t, o.number))[0]!.status).toBe('cancelled');
    expect(await events('fulfillment.created', o.id)).toBe(0);
    await expectInventoryConsistent(t);
  });

  it('ops re-route and a change of address still work on held work', async () => {
    const o = await order();
    const [f] = await fulfillmentsOf(t, o.number);
    const rerouted = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f!.id}/reroute`, headers: t.admin, payload: { reason: 'Paris is being refitted' } });
    expect(rerouted.statusCode, rerouted.body).toBe(200);
    const after = await fulfillmentsOf(t, o.number);
    expect(after.find((x) => x.id === f!.id)!.status).toBe('cancelled');
    expect(after.find((x) => x.id !== f!.id)).toMatchObject({ locationId: 'store-marseille' });

    const o2 = await order();
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/v1/orders/${o2.id}/delivery`,
      headers: t.admin,
      payload: { address: { ...toBob.address, line1: '3 rue de la Monnaie' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    // Same postal code: the held work stays where it is, still held, and ships to the new address.
    expect(JSON.stringify(moved.json())).toContain('3 rue de la Monnaie');
    const fs = await fulfillmentsOf(t, o2.number);
    expect(fs.map((x) => x.status)).toEqual(['held']);
    expect((fs[0] as unknown as { shipTo: { line1: string } }).shipTo.line1).toBe('3 rue de la Monnaie');
    // Another postal code: re-promised and re-sourced, the held work is cancelled and new work created.
    const far = await t.app.inject({ method: 'PATCH', url: `/v1/orders/${o2.id}/delivery`, headers: t.admin, payload: { address: { ...toBob.address, postalCode: '75011', city: 'Paris' } } });
    expect(far.statusCode, far.body).toBe(200);
    const again = await fulfillmentsOf(t, o2.number);
    expect(again.filter((x) => x.status === 'cancelled').map((x) => x.id)).toEqual([fs[0]!.id]);
    expect(again.filter((x) => x.status !== 'cancelled')).toHaveLength(1);
    await expectInventoryConsistent(t);
  });
});
