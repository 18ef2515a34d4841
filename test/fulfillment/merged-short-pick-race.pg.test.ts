import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, order, toParis, workOf } from './batch-fixtures.js';
import { auth, createStoreKey } from './ship-fixtures.js';

describe('short pick of merged work on PostgreSQL, racing the customer and another order', () => {
  let t: TestApp;
  let rivoli: string;
  beforeAll(async () => {
    t = await createTestApp();
    // Rivoli holds exactly the parcel's two shirts; Opéra one more, the only one left in the network.
    await buildBatchNetwork(t, { rivoliShirts: 2, operaShirts: 1 });
    rivoli = await createStoreKey(t, 'rivoli till', ['store-rivoli']);
  });
  afterAll(() => t?.close());

  it('two picks of the parcel, a cancel of the newer order and an order for the last shirt at once: each applies once, nothing is oversold', async () => {
    const a = await order(t, customer(1), [['SHIRT', 1]]);
    t.clock.advance(60_000);
    const b = await order(t, customer(1), [['SHIRT', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
    await t.ctx.availability.refresh();
    const [lead] = await workOf(t, a.number);
    expect(lead!.mergedFulfillmentIds).toHaveLength(1);
    const step = (name: string, payload: object, key: string) =>
      t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead!.id}/${name}`, headers: { ...auth(rivoli), 'idempotency-key': key }, payload });
    expect((await step('accept', {}, 'accept')).statusCode).toBe(200);

    // One shirt found for the two: B (newer) loses its own, re-sourced at Opéra unless the third order or B's cancel comes first.
    const scan = { lines: [{ sku: 'SHIRT', quantity: 1 }] };
    const answers = await Promise.all([
      step('pick', scan, 'pick-1'),
      step('pick', scan, 'pick-2'),
      t.app.inject({ method: 'POST', url: `/v1/orders/${b.id}/cancel`, headers: t.admin, payload: {} }),
      placeOrder(t, { customer: customer(9), delivery: toParis('3 rue de Lappe'), lines: [{ sku: 'SHIRT', quantity: 1 }] }),
    ]);
    const [pick1, pick2, cancel, third] = answers.map((r) => r.statusCode) as [number, number, number, number];
    expect([pick1, pick2].filter((s) => s === 200), answers.map((r) => r.body).join('\n')).toHaveLength(1);
    expect([pick1, pick2].filter((s) => s !== 200).every((s) => s >= 400 && s < 500)).toBe(true);
    expect([200, 409]).toContain(cancel);
    expect([201, 409]).toContain(third);

    // A ships its shirt; B is cancelled whichever came first (by its customer, or out of stock).
    const orderOf = async (o: { id: string }) => (await t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}`, headers: t.admin })).json();
    expect((await workOf(t, a.number)).map((f) => [f.status, f.units])).toEqual([['picked', ['SHIRT×1']]]);
    expect((await orderOf(b)).status).toBe('cancelled');
    const picked = await t.ctx.db.selectFrom('order_timeline').select('order_id').where('event', '=', 'fulfillment.picked').where('order_id', '=', a.id).execute();
    expect(picked).toHaveLength(1);
    const cancelledEvents = await t.ctx.db.selectFrom('outbox_event').select('id').where('type', '=', 'order.cancelled').where('aggregate_id', '=', b.id).execute();
    expect(cancelledEvents).toHaveLength(1);
    // The missing shirt left Rivoli's stock at most once (not at all when the cancel came first and A's pick was complete).
    const rivoliShirts = await position(t.ctx.db, 'SHIRT', 'store-rivoli');
    const opera = await position(t.ctx.db, 'SHIRT', 'store-opera');
    expect([1, 2]).toContain(rivoliShirts.onHand);
    expect(opera.onHand).toBe(1);
    // Held: A's shirt, and the third order's if it was taken (at Opéra, or at Rivoli once B gave its shirt back).
    expect(rivoliShirts.reserved + opera.reserved).toBe(1 + (third === 201 ? 1 : 0));
    const over = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stock_position WHERE reserved > on_hand`.execute(t.ctx.db);
    expect(over.rows[0]!.n).toBe(0);
    await expectInventoryConsistent(t);
  });
});
