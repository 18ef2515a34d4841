import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerouteUnacceptedFulfillments } from '../../src/modules/fulfillment/acceptance-timeout.js';
import { PromiseData } from '../../src/modules/promise/promise-data.js';
import { expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildRerouteNetwork, deps, fulfillmentsOf, step } from './reroute-fixtures.js';

describe('re-routing on PostgreSQL: several processes at once re-route each fulfillment once', () => {
  let t: TestApp;
  const orderIds: string[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    await buildRerouteNetwork(t, { operaSku1: 20 });
    for (let i = 0; i < 5; i++) {
      const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
      expect(res.statusCode, res.body).toBe(201);
      orderIds.push(res.json().id);
    }
  });
  afterAll(() => t.close());

  it('four acceptance time-out runs at once reject every overdue fulfillment exactly once', async () => {
    for (const id of orderIds) expect((await fulfillmentsOf(t, id)).map((f) => f.locationId)).toEqual(['store-paris']);
    t.clock.set('2026-11-23T11:01:00Z');
    // Each "process" has its own master-data cache, as separate Ordo processes do.
    const runs = await Promise.all(Array.from({ length: 4 }, () => rerouteUnacceptedFulfillments({ ...deps(t), data: new PromiseData(t.ctx.db, t.clock) })));
    expect(runs.reduce((a, b) => a + b, 0)).toBe(5);
    for (const id of orderIds) {
      expect((await fulfillmentsOf(t, id)).map((f) => [f.locationId, f.status, f.rejectReason])).toEqual([
        ['store-paris', 'rejected', 'timeout'],
        ['store-opera', 'pending', null],
      ]);
    }
    const rejected = await t.ctx.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', 'fulfillment.rejected').execute();
    expect(rejected.map((r) => r.aggregate_id).sort()).toEqual([...orderIds].sort());
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 20, reserved: 5 });
    await expectInventoryConsistent(t);
  });

  it('two rejections of one fulfillment at once: one re-routes, the other is refused', async () => {
    t.clock.set('2026-11-23T12:00:00Z');
    await t.ctx.availability.refresh();
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect(res.statusCode, res.body).toBe(201);
    const [f1] = await fulfillmentsOf(t, res.json().id);
    expect(f1!.locationId).toBe('store-paris');
    const answers = await Promise.all([step(t, f1!.id, 'reject', { reason: 'damaged' }), step(t, f1!.id, 'reject', { reason: 'no_staff' })]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect((await fulfillmentsOf(t, res.json().id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'rejected'], ['store-opera', 'pending']]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 20, reserved: 7 });
    await expectInventoryConsistent(t);
  });
});
