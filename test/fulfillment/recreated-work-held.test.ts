import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, order, toParis, workOf } from './batch-fixtures.js';

/**
 * Work re-created while the release hold is on (a new address, an ops re-route) is held like new work,
 * so the batch can re-plan it and merge it with the customer's other orders; unless it would come out
 * of the hold already urgent. Units an ops re-route moved away from a store are never re-planned back.
 */
describe('re-created work waits in the release hold', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await buildBatchNetwork(t, { rivoliShirts: 6, operaShirts: 3 });
    const jeans = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-rivoli/JEANS', headers: t.admin, payload: { onHand: 4, asOf: '2026-11-02T00:00:00Z' } });
    expect(jeans.statusCode, jeans.body).toBeLessThan(300);
    await t.ctx.availability.refresh();
  });
  afterAll(async () => {
    await t?.close();
  });

  const release = async () => {
    await t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
    await t.ctx.availability.refresh();
  };
  const fulfillment = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${id}`, headers: t.admin })).json();
  const reroute = async (id: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${id}/reroute`, headers: t.admin, payload });
    expect(res.statusCode, res.body).toBe(200);
    await t.ctx.availability.refresh();
    return res.json() as { fulfillments: Array<{ id: string; status: string; locationId: string; releaseAt?: string }> };
  };
  const releasedAlone = async (who: number, lines: Array<[string, number]>) => {
    const o = await order(t, customer(who), lines);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    const [f] = await workOf(t, o.number);
    expect(f).toMatchObject({ status: 'pending', locationId: 'store-rivoli' });
    return { ...o, work: f! };
  };
  const events = async (o: { id: string }) => ((await t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}/timeline`, headers: t.admin })).json().items as Array<{ event: string }>).map((e) => e.event);

  it('a new address: the re-sourced work is held, then merged with the customer’s other order to that address', async () => {
    const shirt = await order(t, customer(1), [['SHIRT', 1]]);
    const jeans = await order(t, customer(1), [['JEANS', 1]], { method: 'ship', service: 'standard', address: { name: 'Client', line1: '5 rue Montorgueil', postalCode: '75002', city: 'Paris', country: 'FR' } });
    t.clock.advance(5 * 60_000);
    const moved = await t.app.inject({ method: 'PATCH', url: `/v1/orders/${jeans.id}/delivery`, headers: t.admin, payload: { address: toParis().address } });
    expect(moved.statusCode, moved.body).toBe(200);
    await t.ctx.availability.refresh();
    const [recreated] = await workOf(t, jeans.number);
    expect(recreated).toMatchObject({ status: 'held', locationId: 'store-rivoli' });
    expect((await fulfillment(recreated!.id)).releaseAt).toBe(new Date(t.clock.now().getTime() + HOLD_MINUTES * 60_000).toISOString());

    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    const [lead] = await workOf(t, shirt.number);
    expect(lead).toMatchObject({ status: 'pending', mergedFulfillmentIds: [recreated!.id], units: ['SHIRT×1', 'JEANS×1'] });
    await expectInventoryConsistent(t);
  });

  it('an ops re-route open to the same store: the new work is held and merged with the customer’s next order', async () => {
    const first = await releasedAlone(2, [['SHIRT', 1]]);
    const rerouted = await reroute(first.work.id, { reason: 're-optimise', excludeLocation: false });
    expect(rerouted.fulfillments).toEqual([expect.objectContaining({ status: 'held', locationId: 'store-rivoli', releaseAt: expect.any(String) })]);
    t.clock.advance(60_000); // the re-created work is the older: it leads the parcel
    const next = await order(t, customer(2), [['JEANS', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    const [lead] = await workOf(t, first.number);
    const [member] = await workOf(t, next.number);
    expect(lead).toMatchObject({ id: rerouted.fulfillments[0]!.id, status: 'pending', mergedFulfillmentIds: [member!.id] });
    await expectInventoryConsistent(t);
  });

  it('an ops re-route away from a store: held, but never re-planned back to it, even when one parcel from there would be cheaper', async () => {
    const first = await releasedAlone(3, [['SHIRT', 1]]);
    const rerouted = await reroute(first.work.id, { reason: 'Rivoli is flooded' });
    expect(rerouted.fulfillments).toEqual([expect.objectContaining({ status: 'held', locationId: 'store-opera' })]);
    // The jeans exist only at Rivoli: shipping the shirt from there too would save a parcel.
    const next = await order(t, customer(3), [['JEANS', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    expect((await workOf(t, first.number)).map((f) => [f.locationId, f.status])).toEqual([['store-opera', 'pending']]);
    expect((await workOf(t, next.number)).map((f) => [f.locationId, f.status])).toEqual([['store-rivoli', 'pending']]);
    expect(await events(first)).not.toContain('order.replanned');
    await expectInventoryConsistent(t);
  });

  it('work the hold would hand over already urgent goes to its location at once, re-created or new', async () => {
    const first = await releasedAlone(4, [['SHIRT', 1]]);
    // 14:00 in Paris: the carrier collects at 16:00, so work held 10 minutes more would come out urgent (within 120 min).
    t.clock.set('2026-11-23T13:00:00Z');
    await t.ctx.availability.refresh();
    const rerouted = await reroute(first.work.id, { reason: 're-optimise', excludeLocation: false });
    expect(rerouted.fulfillments).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(rerouted.fulfillments[0]).not.toHaveProperty('releaseAt');
    const late = await order(t, customer(5), [['SHIRT', 1]]);
    expect((await workOf(t, late.number)).map((f) => f.status)).toEqual(['pending']);
    await expectInventoryConsistent(t);
  });
});
