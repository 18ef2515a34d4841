import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseDueFulfillments } from '../../src/modules/fulfillment/release-held.js';
import { ReleaseMetrics, releaseTask } from '../../src/modules/fulfillment/release.task.js';
import { PromiseData } from '../../src/modules/promise/promise-data.js';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, order, workOf } from './batch-fixtures.js';
import { put } from './ship-fixtures.js';

const quiet = { info: () => undefined, error: (e: unknown) => console.error(e) };

describe('releasing held work on PostgreSQL: several processes at once re-plan, merge and release each order once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildBatchNetwork(t);
    await put(t, '/v1/products/CAP', { name: 'Casquette', weightGrams: 150, prices: { EUR: 1990 } });
    await put(t, '/v1/inventory/store-rivoli/CAP', { onHand: 2, asOf: '2026-11-01T00:00:00Z' });
    await t.ctx.availability.refresh();
  });
  afterAll(() => t?.close());

  it('three release runs racing (no lease): every fulfillment released once, the pair re-planned together or not at all, no unit moved twice', async () => {
    const a = await order(t, customer(1), [['SHIRT', 1]]);
    const b = await order(t, customer(2), [['SHIRT', 1], ['JEANS', 1]]);
    const c1 = await order(t, customer(3), [['CAP', 1]]);
    const c2 = await order(t, customer(3), [['CAP', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    // Each "process" has its own master-data cache, as separate Ordo processes do.
    const runs = await Promise.all(
      Array.from({ length: 3 }, () => releaseDueFulfillments({ db: t.ctx.db, clock: t.clock, availability: t.ctx.availability, payments: t.ctx.payments, data: new PromiseData(t.ctx.db, t.clock) })),
    );
    // Whatever a busy run left is released by the next one.
    const all = () => [...runs, late];
    const late = await releaseDueFulfillments({ db: t.ctx.db, clock: t.clock, availability: t.ctx.availability, payments: t.ctx.payments, data: t.ctx.promiseData });

    // A run may release the pair as it was before another applies its re-plan (which then finds them
    // changed and leaves them): both orders moved, or neither.
    const replanned = all().reduce((s, r) => s + (r.replan?.replanned ?? 0), 0);
    expect([0, 2]).toContain(replanned);
    expect((await workOf(t, a.number)).map((f) => [f.status, f.locationId])).toEqual([['pending', replanned ? 'store-opera' : 'store-rivoli']]);
    expect((await workOf(t, b.number)).every((f) => f.status === 'pending')).toBe(true);
    // Placed at the same instant: either may lead, the other is merged into it.
    const caps = [...(await workOf(t, c1.number)), ...(await workOf(t, c2.number))];
    const lead = caps.find((f) => f.mergedFulfillmentIds)!;
    expect(caps.filter((f) => f.mergedIntoId === lead.id)).toHaveLength(1);
    expect(caps.every((f) => f.status === 'pending')).toBe(true);

    const released = all().reduce((s, r) => s + r.released, 0);
    expect(released).toBe(replanned ? 4 : 5);
    expect(all().reduce((s, r) => s + r.merged, 0)).toBe(1);
    const count = async (type: string) => {
      const rows = await t.ctx.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', type).execute();
      return rows.map((r) => r.aggregate_id).sort();
    };
    // One fulfillment.created per fulfillment released, never twice.
    const created = await count('fulfillment.created');
    expect(created).toHaveLength(released);
    expect(new Set(created)).toEqual(new Set([a.id, b.id, c1.id, c2.id]));
    expect(await count('order.replanned')).toEqual(replanned ? [a.id, b.id].sort() : []);
    const entries = await t.ctx.db.selectFrom('order_timeline').select('order_id').where('event', '=', 'fulfillment.released').execute();
    expect(entries).toHaveLength(released);
    expect(await position(t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t.ctx.db, 'SHIRT', 'store-opera')).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: 1, reserved: 1 });
    expect(await position(t.ctx.db, 'CAP', 'store-rivoli')).toEqual({ onHand: 2, reserved: 2 });
    // Each unit the re-plan moved was given back once (one 'release' ledger row), none otherwise.
    const ledger = await t.ctx.db.selectFrom('inventory_ledger').select(['cause', 'sku', 'location_id']).where('cause', '=', 'release').execute();
    expect(ledger.map((l) => `${l.location_id}/${l.sku}`).sort()).toEqual(replanned ? ['store-opera/SHIRT', 'store-rivoli/JEANS', 'store-rivoli/SHIRT'] : []);
    await expectInventoryConsistent(t);
  });

  it('three release tasks ticking at once: one takes the lease, re-plans the competing pair and releases; the others skip their tick', async () => {
    t.clock.advance(60 * 60_000);
    const asOf = t.clock.now().toISOString();
    // One more shirt and jeans at Rivoli, one more shirt at Opéra: the same competition again.
    for (const [location, sku] of [['store-rivoli', 'SHIRT'], ['store-rivoli', 'JEANS'], ['store-opera', 'SHIRT']]) await put(t, `/v1/inventory/${location}/${sku}`, { onHand: 2, asOf });
    await t.ctx.availability.refresh();
    const a = await order(t, customer(4), [['SHIRT', 1]]);
    const b = await order(t, customer(5), [['SHIRT', 1], ['JEANS', 1]]);
    expect((await workOf(t, b.number)).map((f) => f.locationId).sort()).toEqual(['store-opera', 'store-rivoli']);
    t.clock.advance(HOLD_MINUTES * 60_000);
    const task = () => releaseTask({ db: t.ctx.db, clock: t.clock, availability: t.ctx.availability, payments: t.ctx.payments, data: new PromiseData(t.ctx.db, t.clock), config: t.ctx.config, metrics: new ReleaseMetrics() }, quiet);
    await Promise.all([task().tick(), task().tick(), task().tick()]);
    expect(await workOf(t, a.number)).toEqual([expect.objectContaining({ status: 'pending', locationId: 'store-opera' })]);
    expect(await workOf(t, b.number)).toEqual([expect.objectContaining({ status: 'pending', locationId: 'store-rivoli', units: ['SHIRT×1', 'JEANS×1'] })]);
    const events = async (type: string) => (await t.ctx.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', type).where('aggregate_id', 'in', [a.id, b.id]).execute()).map((e) => e.aggregate_id).sort();
    expect(await events('fulfillment.created')).toEqual([a.id, b.id].sort());
    expect(await events('order.replanned')).toEqual([a.id, b.id].sort());
    // The lease was given back: the next tick runs (nothing left to do).
    const lease = await t.ctx.db.selectFrom('job_run').select(['last_run_at', 'next_run_at']).where('name', '=', 'fulfillment-release').executeTakeFirstOrThrow();
    expect(lease.next_run_at.getTime()).toBe(lease.last_run_at!.getTime());
    await expectInventoryConsistent(t);
  });
});
