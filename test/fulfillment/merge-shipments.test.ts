import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, order, toParis, workOf } from './batch-fixtures.js';
import { auth, createStoreKey } from './ship-fixtures.js';

describe('held orders of one customer to one address are merged into one shipment at release', () => {
  let t: TestApp;
  let rivoli: string;
  let first: { id: string; number: string };
  let second: { id: string; number: string };
  let other: { id: string; number: string };

  beforeAll(async () => {
    t = await createTestApp();
    await buildBatchNetwork(t, { rivoliShirts: 5 });
    rivoli = await createStoreKey(t, 'rivoli till', ['store-rivoli']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const release = () => t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
  const step = (f: { id: string }, name: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/${name}`, headers: auth(rivoli), payload });
  const getOrder = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: t.admin })).json();
  const events = async (type: string, orderId: string) => (await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', type).where('aggregate_id', '=', orderId).execute()).map((e) => e.payload as Record<string, unknown>);

  it('merges the two held fulfillments (same e-mail, same address written differently, same service, same store) when one parcel costs less', async () => {
    first = await order(t, customer(1), [['SHIRT', 1]]);
    t.clock.advance(2 * 60_000);
    // The same address, typed with other case and spacing: still the same door.
    second = await order(t, { ...customer(1), email: 'CLIENT1@example.fr' }, [['JEANS', 1]], toParis('10  RUE  Oberkampf'));
    // Another customer at the same address is never merged with them.
    other = await order(t, customer(2), [['SHIRT', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    const [lead] = await workOf(t, first.number);
    const [member] = await workOf(t, second.number);
    expect(lead).toMatchObject({ status: 'pending', locationId: 'store-rivoli', mergedFulfillmentIds: [member!.id], units: ['SHIRT×1', 'JEANS×1'] });
    expect(member).toMatchObject({ status: 'pending', locationId: 'store-rivoli', mergedIntoId: lead!.id });
    expect((await workOf(t, other.number))[0]).not.toHaveProperty('mergedIntoId');
    // Each side names the other and its order (the order page shows who shares the parcel).
    const view = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${id}`, headers: t.admin })).json();
    expect((await view(lead!.id)).mergedWith).toEqual([{ fulfillmentId: member!.id, number: `${second.number}-F1`, orderId: second.id, orderNumber: second.number, lead: false }]);
    expect((await view(member!.id)).mergedWith).toEqual([{ fulfillmentId: lead!.id, number: `${first.number}-F1`, orderId: first.id, orderNumber: first.number, lead: true }]);
    expect(await view((await workOf(t, other.number))[0]!.id)).not.toHaveProperty('mergedWith');
    const timeline = (await t.app.inject({ method: 'GET', url: `/v1/orders/${second.id}/timeline`, headers: t.admin })).json().items as Array<{ event: string; details: Record<string, number> }>;
    const merged = timeline.find((e) => e.event === 'fulfillment.merged')!.details;
    expect(merged.mergedCostMinor!).toBeLessThan(merged.separateCostMinor!);
    expect(merged).toMatchObject({ separateCostMinor: 2 * (250 + 400), mergedCostMinor: 250 + 400 });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/ordo_fulfillments_merged_total 1/);
  });

  it('the store sees one piece of work; the merged one refuses steps of its own', async () => {
    const queue = (await t.app.inject({ method: 'GET', url: '/v1/fulfillments?status=open', headers: auth(rivoli) })).json().items as Array<{ id: string; orderNumber: string }>;
    expect(queue.map((f) => f.orderNumber).sort()).toEqual([first.number, other.number].sort());
    const [member] = await workOf(t, second.number);
    const refused = await step(member!, 'accept');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('fulfillment_merged');
  });

  it('accept, pick, ship on the lead carry both orders: one parcel, one label, one tracking number, both orders shipped and told', async () => {
    const [lead] = await workOf(t, first.number);
    expect((await step(lead!, 'accept')).statusCode).toBe(200);
    expect((await workOf(t, second.number))[0]!.status).toBe('accepted');
    // A pick must answer every SKU of the parcel (short picks: merged-short-pick.test.ts).
    const unanswered = await step(lead!, 'pick', { lines: [{ sku: 'SHIRT', quantity: 1 }] });
    expect(unanswered.statusCode, unanswered.body).toBe(422);
    expect(unanswered.json().error).toMatchObject({ code: 'pick_mismatch', details: { unanswered: ['JEANS'] } });
    const picked = await step(lead!, 'pick', { lines: [{ sku: 'SHIRT', quantity: 1 }, { sku: 'JEANS', quantity: 1 }] });
    expect(picked.statusCode, picked.body).toBe(200);
    expect((await workOf(t, second.number))[0]!.status).toBe('picked');
    const shipped = await step(lead!, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 900 }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    const tracking = shipped.json().shipment.trackingNumber as string;

    const labels = await t.ctx.db.selectFrom('shipping_label').select(['fulfillment_id', 'tracking_number']).execute();
    expect(labels).toEqual([{ fulfillment_id: lead!.id, tracking_number: tracking }]);
    for (const o of [first, second]) {
      const view = await getOrder(o.id);
      expect(view.status).toBe('shipped');
      const told = await events('order.shipped', o.id);
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ trackingNumber: tracking });
    }
    const member = (await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${second.number}`, headers: t.admin })).json().items[0];
    expect(member).toMatchObject({ status: 'shipped', parcels: [], shipment: { trackingNumber: tracking } });
    const label = await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${member.id}/label`, headers: auth(rivoli) });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-disposition']).toContain(tracking);
    expect(await position(t.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: 0, reserved: 0 });
    await expectInventoryConsistent(t);
  });

  it('cancelling the lead order lets the merged work ship on its own', async () => {
    const a = await order(t, customer(3), [['SHIRT', 1]]);
    t.clock.advance(60_000);
    const b = await order(t, customer(3), [['SHIRT', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    const [member] = await workOf(t, b.number);
    expect(member!.mergedIntoId).toBeDefined();
    const cancelled = await t.app.inject({ method: 'POST', url: `/v1/orders/${a.id}/cancel`, headers: t.admin, payload: {} });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const [alone] = await workOf(t, b.number);
    expect(alone).not.toHaveProperty('mergedIntoId');
    expect((await step(alone!, 'accept')).statusCode).toBe(200);
    await expectInventoryConsistent(t);
  });
});

describe("the batch re-optimisation prefers plans that let one customer's orders ship merged", () => {
  it('moves an order to the store its sibling ships from when one parcel is cheaper than two', async () => {
    const t = await createTestApp();
    try {
      // Opéra handles cheaper: a shirt alone goes there; the jeans exist only at Rivoli.
      await buildBatchNetwork(t, { operaHandling: 200 });
      const shirt = await order(t, customer(1), [['SHIRT', 1]]);
      const jeans = await order(t, customer(1), [['JEANS', 1]]);
      expect((await workOf(t, shirt.number))[0]!.locationId).toBe('store-opera');
      t.clock.advance(HOLD_MINUTES * 60_000);
      await t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
      const both = [...(await workOf(t, shirt.number)), ...(await workOf(t, jeans.number))];
      expect(both.map((f) => [f.locationId, f.status])).toEqual([['store-rivoli', 'pending'], ['store-rivoli', 'pending']]);
      const lead = both.find((f) => f.mergedFulfillmentIds)!;
      expect(both.find((f) => f !== lead)).toMatchObject({ mergedIntoId: lead.id });
      const sourcing = (await t.app.inject({ method: 'GET', url: `/v1/orders/${shirt.id}/sourcing`, headers: t.admin })).json().items as Array<{ cause: string | null }>;
      expect(sourcing.map((d) => d.cause)).toContain('batch_reoptimise');
      await expectInventoryConsistent(t);
    } finally {
      await t.close();
    }
  });
});
