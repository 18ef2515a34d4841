import { describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { workOf } from './batch-fixtures.js';
import { mergedParcelAt, parcelNetworkSuite } from './merged-fixtures.js';
import { auth } from './ship-fixtures.js';

type View = { id: string; number: string; orderNumber: string; status: string; parcels: unknown[]; mergedIntoId?: string; mergedFulfillmentIds?: string[]; parcelCarriedBy?: unknown; lines: Array<{ sku: string; quantity: number }> };
type Order = { id: string; number: string };

/**
 * Customer service cancels the order of a merged parcel's lead (POST /v1/orders/{id}/cancel): like an
 * ops re-route of the lead, the other orders' work stays at the store in the step it reached, one
 * parcel again under the oldest order left, which takes the packed parcel's parcels and ships from the
 * store app. Cancelling a merged (not lead) order only takes that order out of the parcel.
 */
describe("cancelling the order of a merged parcel's lead", () => {
  const suite = parcelNetworkSuite();
  const { step } = suite;
  const cancel = (o: Order) => suite.t.app.inject({ method: 'POST', url: `/v1/orders/${o.id}/cancel`, headers: suite.t.admin, payload: { reason: 'customer_request' } });
  const getOrder = async (o: Order) => (await suite.t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}`, headers: suite.t.admin })).json();
  const getFulfillment = async (f: { id: string }) => {
    const res = await suite.t.app.inject({ method: 'GET', url: `/v1/fulfillments/${f.id}`, headers: auth(suite.rivoli) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as View;
  };
  const storeQueue = async (orders: readonly Order[]) => {
    const res = await suite.t.app.inject({ method: 'GET', url: '/v1/fulfillments?locationId=store-rivoli&status=open', headers: auth(suite.rivoli) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as View[]).filter((f) => orders.some((o) => o.number === f.orderNumber));
  };
  const units = (f: View) => f.lines.map((l) => `${l.sku}×${l.quantity}`);
  const packedParcel = async (carts: ReadonlyArray<Array<[string, number]>>, scan: Array<{ sku: string; quantity: number }>) => {
    const merged = await mergedParcelAt(suite.t, suite.rivoli, carts);
    expect((await step(merged.lead, 'pick', { lines: scan })).statusCode).toBe(200);
    const packed = await step(merged.lead, 'pack', { parcels: [{ weightGrams: 1200 }] });
    expect(packed.statusCode, packed.body).toBe(200);
    return merged;
  };

  it('a packed parcel of three orders: the two left share it under the older one, which ships it from the store app without packing again', async () => {
    const { lead, members, orders } = await packedParcel([[['SHIRT', 1]], [['SHIRT', 1]], [['JEANS', 1]]], [{ sku: 'SHIRT', quantity: 2 }, { sku: 'JEANS', quantity: 1 }]);
    const [a, b, c] = orders as [Order, Order, Order];
    const [bWork, cWork] = [members[0]!, members[1]!];
    const shirts = await position(suite.t.ctx.db, 'SHIRT', 'store-rivoli');
    const jeans = await position(suite.t.ctx.db, 'JEANS', 'store-rivoli');

    const cancelled = await cancel(a);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    await suite.t.ctx.availability.refresh();

    // B's fulfillment carries the parcel (C's units in it, A's 300 g shirt out); C's is merged into it; A's names it.
    const queue = await storeQueue(orders);
    expect(queue.map((f) => [f.id, f.status, units(f), f.parcels])).toEqual([[bWork.id, 'packed', ['SHIRT×1', 'JEANS×1'], [{ weightGrams: 900 }]]]);
    expect(queue[0]).toMatchObject({ mergedFulfillmentIds: [cWork.id] });
    expect(queue[0]).not.toHaveProperty('mergedIntoId');
    expect((await workOf(suite.t, c.number))[0]).toMatchObject({ id: cWork.id, status: 'packed', mergedIntoId: bWork.id });
    const ended = await getFulfillment(lead);
    expect(ended).toMatchObject({ status: 'cancelled', parcelCarriedBy: { fulfillmentId: bWork.id, number: queue[0]!.number, orderId: b.id, orderNumber: b.number } });
    const regrouped = ((await suite.t.app.inject({ method: 'GET', url: `/v1/orders/${c.id}/timeline`, headers: suite.t.admin })).json().items as Array<{ event: string; details: Record<string, unknown> }>)
      .filter((e) => e.event === 'fulfillment.merged')
      .at(-1)!.details;
    expect(regrouped).toMatchObject({ reason: 'lead_ended', leadFulfillmentId: bWork.id, previousLeadNumber: ended.number });
    // A's shirt went back to the shelf: only its reservation is gone.
    expect(await position(suite.t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: shirts.onHand, reserved: shirts.reserved - 1 });

    // The store app ships a packed fulfillment with a carrier and service only.
    const shipped = await step(bWork, 'ship', { carrierId: 'post', service: 'standard' });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json()).toMatchObject({ id: bWork.id, status: 'shipped', parcels: [{ weightGrams: 900 }] });
    for (const o of [b, c]) expect((await getOrder(o)).status).toBe('shipped');
    expect((await getOrder(a)).status).toBe('cancelled');
    expect(await position(suite.t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: shirts.onHand - 1, reserved: shirts.reserved - 2 });
    expect(await position(suite.t.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: jeans.onHand - 1, reserved: jeans.reserved - 1 });
    expect(await storeQueue(orders)).toEqual([]);
    await expectInventoryConsistent(suite.t);
  });

  it('one order left keeps the packed parcel and ships it alone', async () => {
    const { lead, members, orders } = await packedParcel([[['SHIRT', 1]], [['JEANS', 1]]], [{ sku: 'SHIRT', quantity: 1 }, { sku: 'JEANS', quantity: 1 }]);
    const bWork = members[0]!;
    expect((await cancel(orders[0]!)).statusCode).toBe(200);
    const left = await getFulfillment(bWork);
    expect(left).toMatchObject({ status: 'packed', parcels: [{ weightGrams: 900 }] });
    expect(left).not.toHaveProperty('mergedIntoId');
    expect(await getFulfillment(lead)).toMatchObject({ parcelCarriedBy: { fulfillmentId: bWork.id } });
    const shipped = await step(bWork, 'ship', { carrierId: 'post', service: 'standard' });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect((await getOrder(orders[1]!)).status).toBe('shipped');
    await expectInventoryConsistent(suite.t);
  });

  it('cancelling a merged order that is not the lead only takes it out: the lead ships the rest', async () => {
    const { lead, members, orders } = await packedParcel([[['SHIRT', 1]], [['SHIRT', 1]], [['JEANS', 1]]], [{ sku: 'SHIRT', quantity: 2 }, { sku: 'JEANS', quantity: 1 }]);
    const [a, b, c] = orders as [Order, Order, Order];
    const [bWork, cWork] = [members[0]!, members[1]!];
    expect((await cancel(b)).statusCode).toBe(200);
    expect(await getFulfillment(bWork)).not.toHaveProperty('parcelCarriedBy');
    // B's 300 g shirt comes out of the lead's parcel.
    const queue = await storeQueue(orders);
    expect(queue.map((f) => [f.id, f.status, units(f), f.mergedFulfillmentIds, f.parcels])).toEqual([[lead.id, 'packed', ['SHIRT×1', 'JEANS×1'], [cWork.id], [{ weightGrams: 900 }]]]);
    const shipped = await step(lead, 'ship', { carrierId: 'post', service: 'standard' });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json().parcels).toEqual([{ weightGrams: 900 }]);
    for (const o of [a, c]) expect((await getOrder(o)).status).toBe('shipped');
    expect((await getOrder(b)).status).toBe('cancelled');
    await expectInventoryConsistent(suite.t);
  });
});
