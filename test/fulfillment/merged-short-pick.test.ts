import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildBatchNetwork, customer, HOLD_MINUTES, toParis, workOf } from './batch-fixtures.js';
import { auth, createStoreKey, put } from './ship-fixtures.js';

/**
 * A store picking a merged parcel (held orders of one customer merged at release) reports what it found
 * for the whole parcel: each order's missing units are re-sourced for that order (newest order loses a
 * short SKU first), complete work stays merged and ships together; a rejection of the lead re-sources
 * every order of the parcel.
 */
describe('short pick and rejection of merged work', () => {
  let t: TestApp;
  let rivoli: string;
  let stockDay = 2;

  beforeAll(async () => {
    t = await createTestApp();
    await buildBatchNetwork(t, { rivoliShirts: 10, operaShirts: 1 });
    await put(t, '/v1/inventory/store-rivoli/JEANS', { onHand: 2, asOf: '2026-11-02T00:00:00Z' });
    await t.ctx.availability.refresh();
    rivoli = await createStoreKey(t, 'rivoli till', ['store-rivoli']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const release = () => t.ctx.tasks.find((x) => x.name === 'fulfillment-release')!.tick();
  const step = (f: { id: string }, name: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/${name}`, headers: auth(rivoli), payload });
  const getOrder = async (o: { id: string }) => (await t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}`, headers: t.admin })).json();
  const timeline = async (o: { id: string }) =>
    (await t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}/timeline`, headers: t.admin })).json().items as Array<{ event: string; details: Record<string, unknown> }>;
  type Work = { id: string; number: string; status: string; locationId: string; mergedIntoId?: string; lines: Array<{ sku: string; quantity: number; pickedQuantity: number | null }> };
  /** Every fulfillment of the order, ended ones too, in creation order. */
  const allWork = async (o: { number: string }) =>
    ((await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${o.number}`, headers: t.admin })).json().items as Work[]).sort((x, y) => x.number.localeCompare(y.number));
  /** A paid order of `who` to the shared Paris address (a minute after the previous one). */
  const order = async (who: number, lines: Array<[string, number]>) => {
    t.clock.advance(60_000);
    const res = await placeOrder(t, { customer: customer(who), delivery: toParis(), lines: lines.map(([sku, quantity]) => ({ sku, quantity })), payment: { provider: 'manual' } });
    expect(res.statusCode, res.body).toBe(201);
    await t.ctx.availability.refresh();
    return res.json() as { id: string; number: string };
  };
  /** Releases the held orders (merged at Rivoli) and accepts the parcel; answers the lead. */
  const mergedAndAccepted = async (orders: ReadonlyArray<{ number: string }>) => {
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    await t.ctx.availability.refresh();
    const work = (await Promise.all(orders.map((o) => workOf(t, o.number)))).map((w) => w[0]!);
    const lead = work.find((w) => w.mergedFulfillmentIds)!;
    expect(work.filter((w) => w !== lead).map((w) => w.mergedIntoId)).toEqual(work.filter((w) => w !== lead).map(() => lead.id));
    expect(work.map((w) => w.locationId)).toEqual(work.map(() => 'store-rivoli'));
    const accepted = await step(lead, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    return { ...lead, number: accepted.json().number as string };
  };
  const addStock = async (location: string, sku: string, onHand: number) => {
    await put(t, `/v1/inventory/${location}/${sku}`, { onHand, asOf: `2026-11-${String(++stockDay).padStart(2, '0')}T00:00:00Z` });
    await t.ctx.availability.refresh();
  };

  it('a unit missing from the parcel is lost by the newest order asking for it, re-sourced for that order; the complete work ships together', async () => {
    const a = await order(1, [['SHIRT', 1]]);
    const b = await order(1, [['SHIRT', 1], ['JEANS', 1]]);
    const lead = await mergedAndAccepted([a, b]);
    expect(lead.units).toEqual(['SHIRT×1', 'SHIRT×1', 'JEANS×1']);

    const picked = await step(lead, 'pick', { lines: [{ sku: 'SHIRT', quantity: 1 }, { sku: 'JEANS', quantity: 1 }] });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ status: 'picked' });
    // A (older) keeps the shirt found; B's shirt is re-sourced at Opéra (released at once: the parcel is being picked).
    const [bAtRivoli, bAtOpera] = await allWork(b);
    expect(bAtRivoli).toMatchObject({ status: 'picked', locationId: 'store-rivoli', mergedIntoId: lead.id });
    expect(bAtRivoli!.lines.map((l) => [l.sku, l.pickedQuantity])).toEqual([['SHIRT', 0], ['JEANS', 1]]);
    expect(bAtOpera).toMatchObject({ status: 'pending', locationId: 'store-opera', lines: [expect.objectContaining({ sku: 'SHIRT', quantity: 1 })] });
    expect(bAtOpera).not.toHaveProperty('mergedIntoId');
    // The lead lists the parcel's every line: A's shirt found, B's shirt not, B's jeans found.
    expect((await allWork(a)).map((f) => [f.status, f.lines.map((l) => [l.sku, l.pickedQuantity])])).toEqual([['picked', [['SHIRT', 1], ['SHIRT', 0], ['JEANS', 1]]]]);
    // One shirt missing at Rivoli: a discrepancy (on hand and reserved down by one), the other shirt still held.
    expect(await position(t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: 9, reserved: 1 });
    expect(await position(t.ctx.db, 'SHIRT', 'store-opera')).toEqual({ onHand: 1, reserved: 1 });
    await expectInventoryConsistent(t);

    const bEvents = await timeline(b);
    expect(bEvents.find((e) => e.event === 'fulfillment.picked')!.details).toMatchObject({ reason: 'short_pick', mergedInto: lead.number, units: [{ sku: 'SHIRT', picked: 0, missing: 1 }, { sku: 'JEANS', picked: 1 }] });
    expect(bEvents.find((e) => e.event === 'fulfillment.rerouted')!.details).toMatchObject({
      cause: 'short_pick',
      excluded: ['store-rivoli'],
      units: [{ sku: 'SHIRT', quantity: 1 }],
      allocations: [{ sku: 'SHIRT', locationId: 'store-opera', quantity: 1, status: 'reserved' }],
      cancelled: [],
    });
    const aEvents = await timeline(a);
    expect(aEvents.find((e) => e.event === 'fulfillment.picked')!.details).not.toHaveProperty('reason');
    expect(aEvents.map((e) => e.event)).not.toContain('fulfillment.rerouted');

    const shipped = await step(lead, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 900 }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect((await getOrder(a)).status).toBe('shipped');
    expect((await getOrder(b)).status).toBe('partially_shipped');
    expect((await allWork(b)).map((f) => [f.locationId, f.status])).toEqual([['store-rivoli', 'shipped'], ['store-opera', 'pending']]);
    expect(await position(t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: 8, reserved: 0 });
    expect(await position(t.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: 1, reserved: 0 });
    await expectInventoryConsistent(t);
  });

  it('the same SKU short in several orders: the newest lose first, the older of them gets the one unit left elsewhere, the newest is cancelled and its money voided', async () => {
    await addStock('store-opera', 'SHIRT', 2); // one shirt free at Opéra (the other is B's)
    const c = await order(2, [['SHIRT', 1]]);
    const d = await order(2, [['SHIRT', 1]]);
    const e = await order(2, [['SHIRT', 1]]);
    const lead = await mergedAndAccepted([c, d, e]);
    const picked = await step(lead, 'pick', { lines: [{ sku: 'SHIRT', quantity: 1 }] });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ status: 'picked', lines: [expect.objectContaining({ sku: 'SHIRT', pickedQuantity: 1 })] });
    expect(picked.json()).not.toHaveProperty('mergedFulfillmentIds');

    expect((await allWork(d)).map((f) => [f.locationId, f.status])).toEqual([['store-rivoli', 'cancelled'], ['store-opera', 'pending']]);
    expect((await allWork(e)).map((f) => [f.locationId, f.status])).toEqual([['store-rivoli', 'cancelled']]);
    const cancelled = await getOrder(e);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    expect(cancelled.payments[0]).toMatchObject({ status: 'voided', capturedMinor: 0 });
    expect((await getOrder(d)).status).toBe('allocated');
    expect(await position(t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: 6, reserved: 1 });
    expect(await position(t.ctx.db, 'SHIRT', 'store-opera')).toEqual({ onHand: 2, reserved: 2 });
    await expectInventoryConsistent(t);
    // C ships alone: nothing is merged into it any more.
    const shipped = await step(lead, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 300 }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect((await getOrder(c)).status).toBe('shipped');
  });

  it('a lead that found none of its units ends; the orders still in the parcel ship together under the oldest one', async () => {
    const f = await order(3, [['JEANS', 1]]);
    const g = await order(3, [['SHIRT', 1]]);
    const h = await order(3, [['SHIRT', 1]]);
    const lead = await mergedAndAccepted([f, g, h]);
    expect(lead.id).toBe((await workOf(t, f.number))[0]!.id);
    const picked = await step(lead, 'pick', { lines: [{ sku: 'JEANS', quantity: 0 }, { sku: 'SHIRT', quantity: 2 }] });
    expect(picked.statusCode, picked.body).toBe(200);
    // The jeans exist nowhere else: F is cancelled.
    expect(await getOrder(f)).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    expect((await allWork(f)).find((w) => w.id === lead.id)).toMatchObject({ status: 'cancelled' });
    const [gWork] = await workOf(t, g.number);
    const [hWork] = await workOf(t, h.number);
    // The answer is what the store goes on with: G's fulfillment, now carrying the parcel (both shirts), not the cancelled lead.
    expect(picked.json()).toMatchObject({ id: gWork!.id, orderNumber: g.number, status: 'picked', mergedFulfillmentIds: [hWork!.id] });
    expect(picked.json().lines.map((l: { sku: string; pickedQuantity: number }) => [l.sku, l.pickedQuantity])).toEqual([['SHIRT', 1], ['SHIRT', 1]]);
    expect(gWork).toMatchObject({ status: 'picked', mergedFulfillmentIds: [hWork!.id], units: ['SHIRT×1', 'SHIRT×1'] });
    expect(gWork).not.toHaveProperty('mergedIntoId');
    expect(hWork).toMatchObject({ status: 'picked', mergedIntoId: gWork!.id });
    const regrouped = (await timeline(h)).filter((e) => e.event === 'fulfillment.merged').at(-1)!.details;
    expect(regrouped).toMatchObject({ reason: 'lead_ended', leadFulfillmentId: gWork!.id, fulfillments: [{ orderNumber: g.number }, { orderNumber: h.number }] });
    const queue = (await t.app.inject({ method: 'GET', url: '/v1/fulfillments?status=open', headers: auth(rivoli) })).json().items as Array<{ orderNumber: string }>;
    expect(queue.map((q) => q.orderNumber)).toContain(g.number);
    expect(queue.map((q) => q.orderNumber)).not.toContain(h.number);

    const shipped = await step(gWork!, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 600 }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    for (const o of [g, h]) expect((await getOrder(o)).status).toBe('shipped');
    expect(await position(t.ctx.db, 'JEANS', 'store-rivoli')).toEqual({ onHand: 0, reserved: 0 });
    await expectInventoryConsistent(t);
  });

  it('rejecting the lead refuses the whole parcel: every order is re-sourced away from the store, the oldest first', async () => {
    await addStock('store-opera', 'SHIRT', 3); // one shirt free at Opéra again
    const i = await order(4, [['SHIRT', 1]]);
    const j = await order(4, [['SHIRT', 1]]);
    const lead = await mergedAndAccepted([i, j]);
    const rejected = await step(lead, 'reject', { reason: 'damaged' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    // (Work the batch re-plan moved to Rivoli before the merge ends cancelled: left out.)
    const live = async (o: { number: string }) => (await allWork(o)).filter((w) => w.status !== 'cancelled').map((w) => [w.locationId, w.status]);
    expect(await live(i)).toEqual([['store-rivoli', 'rejected'], ['store-opera', 'pending']]);
    expect(await live(j)).toEqual([['store-rivoli', 'rejected']]);
    expect(await getOrder(j)).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    // (Which order's work leads depends on the batch re-plan: both may be re-created at one instant.)
    const member = lead.number.startsWith(`${i.number}-`) ? j : i;
    const memberRejected = (await timeline(member)).find((e) => e.event === 'fulfillment.rejected')!.details;
    expect(memberRejected).toMatchObject({ reason: 'damaged', mergedInto: lead.number });
    expect(await position(t.ctx.db, 'SHIRT', 'store-rivoli')).toEqual({ onHand: 3, reserved: 0 });
    expect(await position(t.ctx.db, 'SHIRT', 'store-opera')).toEqual({ onHand: 3, reserved: 3 });
    await expectInventoryConsistent(t);
  });

  it('the acceptance time-out of a merged parcel rejects it as one', async () => {
    const k = await order(5, [['SHIRT', 1]]);
    const l = await order(5, [['SHIRT', 1]]);
    t.clock.advance(HOLD_MINUTES * 60_000);
    await release();
    const [kWork] = await workOf(t, k.number);
    expect(kWork!.mergedFulfillmentIds).toHaveLength(1);
    t.clock.advance(24 * 3_600_000);
    await t.ctx.tasks.find((x) => x.name === 'fulfillment-acceptance-timeout')!.tick();
    for (const o of [k, l]) {
      const [atRivoli] = await allWork(o);
      expect(atRivoli).toMatchObject({ status: 'rejected', locationId: 'store-rivoli' });
    }
    await expectInventoryConsistent(t);
  });

  it("a lead that found none of its units, with one order left in the parcel: the answer is that order's fulfillment, shipping on its own", async () => {
    await addStock('store-rivoli', 'JEANS', 1);
    const m = await order(6, [['JEANS', 1]]);
    const n = await order(6, [['SHIRT', 1]]);
    const lead = await mergedAndAccepted([m, n]);
    // (Which order's work leads depends on the batch re-plan: both may be re-created at one instant.) None of the lead's own units are found.
    const ledByM = (await workOf(t, m.number))[0]!.id === lead.id;
    const [ledBy, left, lost, found] = ledByM ? [m, n, 'JEANS', 'SHIRT'] : [n, m, 'SHIRT', 'JEANS'];
    const pick = () =>
      t.app.inject({ method: 'POST', url: `/v1/fulfillments/${lead.id}/pick`, headers: { ...auth(rivoli), 'idempotency-key': `pick-${lead.id}` }, payload: { lines: [{ sku: lost, quantity: 0 }, { sku: found, quantity: 1 }] } });
    const picked = await pick();
    expect(picked.statusCode, picked.body).toBe(200);
    const [leftWork] = await workOf(t, left.number);
    expect(picked.json()).toMatchObject({ id: leftWork!.id, orderNumber: left.number, status: 'picked', lines: [expect.objectContaining({ sku: found, pickedQuantity: 1 })] });
    for (const merged of ['mergedIntoId', 'mergedFulfillmentIds', 'mergedWith']) expect(picked.json()).not.toHaveProperty(merged);
    expect((await allWork(ledBy)).find((w) => w.id === lead.id)).toMatchObject({ status: 'cancelled' });
    // A replay of the pick answers the same (the stored answer), and changes nothing.
    const replayed = await pick();
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json().id).toBe(leftWork!.id);
    const shipped = await step(leftWork!, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 300 }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect((await getOrder(left)).status).toBe('shipped');
    await expectInventoryConsistent(t);
    // The route's schema says so.
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/v1/fulfillments/{id}/pick'].post.responses['200'].description).toContain('the fulfillment that now carries the parcel');
  });
});
