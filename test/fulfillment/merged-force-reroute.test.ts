import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { workOf } from './batch-fixtures.js';
import { buildParcelNetwork, mergedParcelAt } from './merged-fixtures.js';
import { auth } from './ship-fixtures.js';

type View = { id: string; number: string; orderNumber: string; status: string; locationId: string; parcels: unknown[]; mergedIntoId?: string; mergedFulfillmentIds?: string[]; lines: Array<{ sku: string; quantity: number }> };

/**
 * Ops re-route the lead of a merged parcel (POST /v1/fulfillments/{lead}/reroute): the lead's order's
 * units go elsewhere; the other orders' work stays at the store, one parcel again under the oldest
 * order's fulfillment, which the store's queue lists (with every unit left) and the store works on.
 */
describe('ops re-route of a merged parcel’s lead', () => {
  let t: TestApp;
  let rivoli: string;
  beforeAll(async () => {
    t = await createTestApp();
    rivoli = await buildParcelNetwork(t);
  });
  afterAll(() => t?.close());

  const step = (f: { id: string }, name: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/${name}`, headers: auth(rivoli), payload });
  const reroute = (f: { id: string }, payload: object) => t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/reroute`, headers: t.admin, payload });
  const storeQueue = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/fulfillments?locationId=store-rivoli&status=open', headers: auth(rivoli) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as View[];
  };
  const getOrder = async (o: { id: string }) => (await t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}`, headers: t.admin })).json();
  const units = (f: View) => f.lines.map((l) => `${l.sku}×${l.quantity}`);

  it("the other orders' work stays at the store as one parcel under the oldest order left: the queue shows it, the store ships it", async () => {
    const { lead, members, orders } = await mergedParcelAt(t, rivoli, [[['SHIRT', 1]], [['SHIRT', 1]], [['JEANS', 1]]]);
    const [a, b, c] = orders as [{ id: string; number: string }, { id: string; number: string }, { id: string; number: string }];
    const bWork = members[0]!;
    const cWork = members[1]!;
    expect((await storeQueue()).filter((f) => [a, b, c].some((o) => o.number === f.orderNumber)).map((f) => f.id)).toEqual([lead.id]);

    const res = await reroute(lead, { reason: 'Rivoli is flooded at the back: take this order elsewhere' });
    expect(res.statusCode, res.body).toBe(200);
    await t.ctx.availability.refresh();
    const body = res.json();
    expect(body.fulfillment).toMatchObject({ id: lead.id, status: 'cancelled' });
    expect(body.fulfillments).toEqual([expect.objectContaining({ orderNumber: a.number, locationId: 'store-opera' })]);
    expect(body.parcelCarriedBy).toMatchObject({ id: bWork.id, orderNumber: b.number, status: 'accepted', locationId: 'store-rivoli', mergedFulfillmentIds: [cWork.id] });
    expect(units(body.parcelCarriedBy)).toEqual(['SHIRT×1', 'JEANS×1']);
    // The ended lead's own view names the fulfillment the store goes on with.
    expect(body.fulfillment.parcelCarriedBy).toEqual({ fulfillmentId: bWork.id, number: body.parcelCarriedBy.number, orderId: b.id, orderNumber: b.number });

    // The store's queue: B's fulfillment carries the parcel (C's units in it); C's is not a card of its own, A's left.
    const queue = (await storeQueue()).filter((f) => [a, b, c].some((o) => o.number === f.orderNumber));
    expect(queue.map((f) => [f.id, f.status, units(f)])).toEqual([[bWork.id, 'accepted', ['SHIRT×1', 'JEANS×1']]]);
    expect((await workOf(t, c.number))[0]).toMatchObject({ id: cWork.id, mergedIntoId: bWork.id });
    const regrouped = ((await t.app.inject({ method: 'GET', url: `/v1/orders/${c.id}/timeline`, headers: t.admin })).json().items as Array<{ event: string; details: Record<string, unknown> }>)
      .filter((e) => e.event === 'fulfillment.merged')
      .at(-1)!.details;
    expect(regrouped).toMatchObject({ reason: 'lead_ended', leadFulfillmentId: bWork.id, previousLeadNumber: body.fulfillment.number });

    expect((await step(bWork, 'pick', { lines: [{ sku: 'SHIRT', quantity: 1 }, { sku: 'JEANS', quantity: 1 }] })).statusCode).toBe(200);
    const shipped = await step(bWork, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 900 }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    for (const o of [b, c]) expect((await getOrder(o)).status).toBe('shipped');
    expect((await getOrder(a)).status).not.toBe('shipped');
    await expectInventoryConsistent(t);
  });

  it('a packed parcel: the order left keeps the parcels the store made and ships without packing again', async () => {
    const { lead, members, orders } = await mergedParcelAt(t, rivoli, [[['SHIRT', 1]], [['JEANS', 1]]]);
    const [, b] = orders as [{ id: string; number: string }, { id: string; number: string }];
    const bWork = members[0]!;
    expect((await step(lead, 'pick', { lines: [{ sku: 'SHIRT', quantity: 1 }, { sku: 'JEANS', quantity: 1 }] })).statusCode).toBe(200);
    expect((await step(lead, 'pack', { parcels: [{ weightGrams: 900 }] })).statusCode).toBe(200);
    const jeansBefore = await position(t.ctx.db, 'JEANS', 'store-rivoli');

    const res = await reroute(lead, { reason: 'customer asked for this order from Opéra' });
    expect(res.statusCode, res.body).toBe(200);
    await t.ctx.availability.refresh();
    // A's 300 g shirt went elsewhere: its weight comes out of the parcel.
    expect(res.json().parcelCarriedBy).toMatchObject({ id: bWork.id, status: 'packed', parcels: [{ weightGrams: 600 }] });
    expect(res.json().parcelCarriedBy).not.toHaveProperty('mergedIntoId');
    const queue = (await storeQueue()).filter((f) => f.orderNumber === b.number);
    expect(queue.map((f) => [f.id, f.status, units(f)])).toEqual([[bWork.id, 'packed', ['JEANS×1']]]);
    // The store app ships a packed fulfillment with a carrier and service only.
    const shipped = await step(bWork, 'ship', { carrierId: 'post', service: 'standard' });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect((await getOrder(b)).status).toBe('shipped');
    expect(await position(t.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: jeansBefore.onHand - 1, reserved: jeansBefore.reserved - 1 });
    await expectInventoryConsistent(t);
  });

  it('refused when the lead’s units can go nowhere else: nothing changes, the parcel stays merged', async () => {
    const { lead, members } = await mergedParcelAt(t, rivoli, [[['JEANS', 1]], [['SHIRT', 1]]]);
    const before = await t.ctx.db.selectFrom('fulfillment_order').select(['id', 'status', 'merged_into_id', 'updated_at']).where('id', 'in', [lead.id, members[0]!.id]).orderBy('id').execute();
    const res = await reroute(lead, { reason: 'flooded' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('reroute_unavailable');
    const after = await t.ctx.db.selectFrom('fulfillment_order').select(['id', 'status', 'merged_into_id', 'updated_at']).where('id', 'in', [lead.id, members[0]!.id]).orderBy('id').execute();
    expect(after).toEqual(before);
    expect((await workOf(t, (await storeQueue()).find((f) => f.id === lead.id)!.orderNumber))[0]).toMatchObject({ id: lead.id, mergedFulfillmentIds: [members[0]!.id] });
  });
});
