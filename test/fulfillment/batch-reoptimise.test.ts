import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, order, workOf } from './batch-fixtures.js';

describe('batch re-optimisation of held orders before release (HiGHS)', () => {
  let t: TestApp | undefined;
  beforeEach(async () => {
    await t?.close();
    t = await createTestApp();
    await buildBatchNetwork(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const release = () => t!.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
  const decisions = async (orderId: string) =>
    (await t!.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/sourcing`, headers: t!.admin })).json().items as Array<{ trigger: string; cause: string | null; shipments: Array<{ locationId: string }> }>;

  it('two held orders competing for one shirt are re-planned so both ship complete from one store each', async () => {
    const a = await order(t!, customer(1), [['SHIRT', 1]]);
    const b = await order(t!, customer(2), [['SHIRT', 1], ['JEANS', 1]]);
    // Sourced one by one: A took Rivoli's shirt (cheaper handling), so B is split over both stores.
    expect(await workOf(t!, a.number)).toEqual([expect.objectContaining({ status: 'held', locationId: 'store-rivoli', units: ['SHIRT×1'] })]);
    expect((await workOf(t!, b.number)).map((f) => f.locationId).sort()).toEqual(['store-opera', 'store-rivoli']);

    // Nothing is due yet: the task neither re-plans nor releases.
    await release();
    expect(await decisions(a.id)).toHaveLength(1);

    t!.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    expect(await workOf(t!, a.number)).toEqual([expect.objectContaining({ status: 'pending', locationId: 'store-opera', units: ['SHIRT×1'] })]);
    expect(await workOf(t!, b.number)).toEqual([expect.objectContaining({ status: 'pending', locationId: 'store-rivoli', units: ['SHIRT×1', 'JEANS×1'] })]);
    for (const o of [a, b]) {
      const d = await decisions(o.id);
      expect(d).toHaveLength(2);
      expect(d.find((x) => x.cause === 'batch_reoptimise')).toMatchObject({ trigger: 'rerouted' });
      const timeline = (await t!.app.inject({ method: 'GET', url: `/v1/orders/${o.id}/timeline`, headers: t!.admin })).json().items as Array<{ event: string; details: Record<string, unknown> }>;
      expect(timeline.find((e) => e.event === 'order.replanned')?.details).toMatchObject({ cause: 'batch_reoptimise', group: { orders: 2, shipmentsBefore: 3, shipmentsAfter: 2 } });
    }
    const replanned = await t!.ctx.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', 'order.replanned').execute();
    expect(replanned.map((e) => e.aggregate_id).sort()).toEqual([a.id, b.id].sort());
    // Every unit still held once, where the new plans took it.
    expect(await position(t!.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t!.ctx.db, 'SHIRT', 'store-opera')).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t!.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: 1, reserved: 1 });
    await expectInventoryConsistent(t!);
    const metrics = (await t!.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/ordo_batch_replanned_orders_total 2/);
    expect(metrics).toMatch(/ordo_batch_shipments_saved_total 1/);
    expect(metrics).toMatch(/ordo_fulfillments_released_total 2/);
  });

  it('keeps a plan that is already the cheapest: nothing re-planned, the work is released as it was', async () => {
    const a = await order(t!, customer(1), [['SHIRT', 1], ['JEANS', 1]]);
    const before = await workOf(t!, a.number);
    expect(before).toEqual([expect.objectContaining({ locationId: 'store-rivoli' })]);
    t!.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    expect(await workOf(t!, a.number)).toEqual([{ ...before[0]!, status: 'pending' }]);
    expect((await decisions(a.id)).map((d) => d.cause)).toEqual([null]);
    await expectInventoryConsistent(t!);
  });

  it('keeps the old plans when the stock the new ones need is gone before they are applied', async () => {
    const a = await order(t!, customer(1), [['SHIRT', 1]]);
    const b = await order(t!, customer(2), [['SHIRT', 1], ['JEANS', 1]]);
    // A count finds Opéra's shirt gone (B still holds it there): the batch plans with the units B holds, but
    // once B gives it up nothing is left for A, so the guarded hold fails and both keep their plans.
    const count = await t!.app.inject({ method: 'PUT', url: '/v1/inventory/store-opera/SHIRT', headers: t!.admin, payload: { onHand: 0, asOf: '2026-11-23T09:05:00Z' } });
    expect(count.statusCode, count.body).toBeLessThan(300);
    t!.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    expect((await workOf(t!, a.number)).map((f) => f.locationId)).toEqual(['store-rivoli']);
    expect((await workOf(t!, b.number)).map((f) => f.locationId).sort()).toEqual(['store-opera', 'store-rivoli']);
    for (const o of [a, b]) expect((await decisions(o.id)).map((d) => d.cause)).toEqual([null]);
    const metrics = (await t!.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/ordo_batch_replans_skipped_total 1/);
    expect(metrics).toMatch(/ordo_batch_replanned_orders_total 0/);
    await expectInventoryConsistent(t!);
  });
});
