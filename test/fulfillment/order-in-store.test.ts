import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, sequenceEvents } from '../../src/db/outbox.js';
import { SmtpSink } from '../notifications/smtp-sink.js';
import { notificationEnv, tempDataDir } from '../notifications/support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, placeOrder, position, toParis } from '../orders/fixtures.js';

/**
 * J4, order in store (endless aisle): the associate at the Paris counter orders for the customer what the
 * store does not have, delivered home or to another store, and sells what is on the shelf at once; the
 * customer gets a digital receipt by e-mail.
 */
describe('J4 order in store', () => {
  let t: TestApp;
  let parisKey: string;
  const sink = new SmtpSink();
  const counter = { channel: 'pos', origin: { storeId: 'store-paris', associate: 'emma' }, customer: { email: 'chloe@example.fr', name: 'Chloé Petit', locale: 'fr-FR' } };
  const asParis = () => ({ authorization: `Bearer ${parisKey}` });

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ env: notificationEnv(tempDataDir(), { SMTP_URL: sink.url }) });
    ({ parisKey } = await buildOrderNetwork(t));
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  async function notify(orderId: string) {
    await sequenceEvents(t.ctx.db);
    const events = await readEvents(t.ctx.db, { after: 0, limit: 10_000, aggregateId: orderId });
    await t.ctx.notifications.consumer.handle(events);
  }

  it('orders the missing size for home delivery: a warehouse fulfills it, the store sees the order, not the warehouse work', async () => {
    const res = await placeOrder(t, { ...counter, lines: [{ sku: 'SKU-2', quantity: 2 }], delivery: toParis, payment: { provider: 'manual', reference: 'till-3' } }, { auth: parisKey });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({ channelType: 'pos', origin: { storeId: 'store-paris', associate: 'emma' }, status: 'allocated' });
    expect(order.lines[0].allocations).toMatchObject([{ locationId: 'wh-lyon', status: 'reserved' }]);
    const work = (await t.app.inject({ url: `/v1/fulfillments?orderId=${order.id}`, headers: t.admin })).json().items;
    expect(work).toMatchObject([{ locationId: 'wh-lyon', kind: 'ship', status: 'pending' }]);
    expect((await t.app.inject({ url: `/v1/orders/${order.id}`, headers: asParis() })).statusCode).toBe(200);
    const foreign = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${work[0].id}/accept`, headers: asParis() });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ url: `/v1/fulfillments/${work[0].id}`, headers: asParis() })).statusCode).toBe(404);

    await notify(order.id);
    const [receipt] = sink.to('chloe@example.fr');
    expect(receipt?.subject).toContain(order.number);
    expect(receipt?.text).toContain('Paris Rivoli');
  });

  it('orders for pickup in another store: the pickup store gets the work', async () => {
    const res = await placeOrder(t, { ...counter, lines: [{ sku: 'SKU-3', quantity: 1 }], delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, payment: { provider: 'manual' } }, { auth: parisKey });
    expect(res.statusCode, res.body).toBe(201);
    const work = (await t.app.inject({ url: `/v1/fulfillments?orderId=${res.json().number}`, headers: t.admin })).json().items;
    expect(work).toMatchObject([{ locationId: 'store-lyon', kind: 'pickup', status: 'pending' }]);
    const mine = (await t.app.inject({ url: '/v1/fulfillments?status=open', headers: asParis() })).json().items as Array<{ orderId: string }>;
    expect(mine.some((f) => f.orderId === res.json().id)).toBe(false);
  });

  it('sells what is on the shelf at once: stock leaves the store, the order is completed, no fulfillment', async () => {
    const before = await position(t.ctx.db, 'SKU-1', 'store-paris');
    const res = await placeOrder(t, { ...counter, lines: [{ sku: 'SKU-1', quantity: 1 }], delivery: { method: 'carry_out' }, payment: { provider: 'manual', reference: 'till-4' } }, { auth: parisKey });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'completed', payments: [{ status: 'captured' }] });
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    expect((await t.app.inject({ url: `/v1/fulfillments?orderId=${res.json().id}`, headers: t.admin })).json().items).toEqual([]);
    await expectInventoryConsistent(t);
  });

  it('a store key cannot take an order in another store', async () => {
    const res = await placeOrder(t, { ...counter, origin: { storeId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }], delivery: { method: 'carry_out' } }, { auth: parisKey });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'origin_out_of_scope']);
  });
});
