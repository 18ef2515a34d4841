import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, sequenceEvents } from '../../src/db/outbox.js';
import type { OrderDelayed } from '../../src/domain/orders/order-events.js';
import { watchOrders } from '../../src/modules/promise/sla-watch.job.js';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// The order network ships from the Paris store (Mon–Sat 10:00–19:00) with a carrier collecting Mon–Fri
// before 16:00 and delivering the next day (Mon–Sat): an order placed on Monday 23 November 2026 at 10:00
// is promised for Tuesday 24. Times below are Paris time (UTC+1).
const paris = (day: number, hhmm: string) => `2026-11-${day}T${String(Number(hhmm.slice(0, 2)) - 1).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;
/** A delivery day as the promise's window: the whole local day. */
const deliveryDay = (day: number) => ({ earliest: `2026-11-${day - 1}T23:00:00.000Z`, latest: `2026-11-${day}T22:59:59.000Z` });

describe('SLA watch: orders at risk and late, said once per change', () => {
  let t: TestApp;
  let parisKey: string;
  let dataDir: string;
  const orders: Record<'slipping' | 'onTrack' | 'recovering', { id: string; number: string; fulfillmentId: string }> = {} as never;

  const watch = () => watchOrders({ db: t.ctx.db, clock: t.clock, promiseData: t.ctx.promiseData, riskMarginMinutes: 60 });
  const alerts = async (orderId: string) =>
    (await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', '=', orderId).where('type', 'in', ['order.at_risk', 'order.delayed']).orderBy('id').execute()).map(
      (e) => ({ type: e.type, payload: e.payload as OrderDelayed }),
    );
  const sla = (orderId: string) => t.ctx.db.selectFrom('order_sla').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  const step = async (fulfillmentId: string, name: 'accept' | 'pick' | 'ship' | 'deliver', payload?: object, auth = `Bearer ${parisKey}`) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${fulfillmentId}/${name}`, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
  };
  const ship = (fulfillmentId: string) => step(fulfillmentId, 'ship', { parcels: [{ weightGrams: 500 }] });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-sla-'));
    t = await createTestApp({ env: { ORDO_DATA_DIR: dataDir } });
    ({ parisKey } = await buildOrderNetwork(t));
    for (const name of ['slipping', 'onTrack', 'recovering'] as const) {
      const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
      expect(res.statusCode, res.body).toBe(201);
      const order = res.json();
      expect(order.promise).toMatchObject(deliveryDay(24));
      const [f] = await t.ctx.db.selectFrom('fulfillment_order').select(['id', 'location_id']).where('order_id', '=', order.id).execute();
      expect(f?.location_id).toBe('store-paris');
      orders[name] = { id: order.id, number: order.number, fulfillmentId: f!.id };
    }
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a periodic task of the context', () => {
    expect(t.ctx.tasks.map((task) => task.name)).toContain('sla-watch');
    expect(t.ctx.config.slaIntervalMs).toBe(60_000);
  });

  it('says nothing while every order has time', async () => {
    expect(await watch()).toEqual({ assessed: 3, alerts: 0, recovered: 0 });
    t.clock.set(paris(23, '11:00'));
    await step(orders.onTrack.fulfillmentId, 'accept');
    await step(orders.onTrack.fulfillmentId, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    t.clock.set(paris(23, '14:59'));
    expect(await watch()).toMatchObject({ alerts: 0 });
    for (const o of Object.values(orders)) expect(await alerts(o.id)).toEqual([]);
  });

  it('an order not accepted close to its cut-off becomes at risk: one event, and none on the next passes', async () => {
    t.clock.set(paris(23, '15:10'));
    expect(await watch()).toEqual({ assessed: 3, alerts: 2, recovered: 0 });
    expect(await watch()).toMatchObject({ alerts: 0 });
    const [risk, ...more] = await alerts(orders.slipping.id);
    expect(more).toEqual([]);
    expect(risk).toMatchObject({
      type: 'order.at_risk',
      payload: { orderId: orders.slipping.id, orderNumber: orders.slipping.number, reason: 'not_accepted_near_deadline', previousPromise: deliveryDay(24), newEta: deliveryDay(24) },
    });
    expect(await alerts(orders.onTrack.id)).toEqual([]);
    expect(await sla(orders.slipping.id)).toMatchObject({ state: 'at_risk', announced_at: new Date(paris(23, '15:10')), customer_eta_latest: null });
  });

  it('back on track is recorded without an alert', async () => {
    t.clock.set(paris(23, '15:20'));
    await step(orders.recovering.fulfillmentId, 'accept');
    await step(orders.recovering.fulfillmentId, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(await watch()).toEqual({ assessed: 3, alerts: 0, recovered: 1 });
    expect((await alerts(orders.recovering.id)).map((a) => a.type)).toEqual(['order.at_risk']);
    expect(await sla(orders.recovering.id)).toMatchObject({ state: 'on_track', reason: 'on_schedule' });
    const timeline = (await t.app.inject({ url: `/v1/orders/${orders.recovering.id}/timeline`, headers: t.admin })).json();
    const events = timeline.items.map((e: { event: string }) => e.event);
    expect(events.filter((e: string) => e.startsWith('order.at_risk') || e === 'order.back_on_track')).toEqual(['order.at_risk', 'order.back_on_track']);
  });

  it('the cut-off passing without shipment keeps it at risk with the later date, once: the promised day has not passed', async () => {
    t.clock.set(paris(23, '15:30'));
    await ship(orders.onTrack.fulfillmentId);
    await ship(orders.recovering.fulfillmentId);
    t.clock.set(paris(23, '16:01'));
    expect(await watch()).toEqual({ assessed: 3, alerts: 1, recovered: 0 });
    expect(await watch()).toMatchObject({ alerts: 0 });
    const [, later, ...more] = await alerts(orders.slipping.id);
    expect(more).toEqual([]);
    // Next departure Tuesday, delivered Wednesday 25: later than the promised Tuesday, told to the customer.
    expect(later).toMatchObject({ type: 'order.at_risk', payload: { reason: 'not_picked_by_deadline', previousPromise: deliveryDay(24), newEta: deliveryDay(25) } });
    expect(await sla(orders.slipping.id)).toMatchObject({ state: 'at_risk', customer_eta_latest: new Date(deliveryDay(25).latest) });
    expect(await alerts(orders.onTrack.id)).toEqual([]);
  });

  it('accepting late changes nothing; a further slip says the new date again, the last one told as the previous promise', async () => {
    t.clock.set(paris(23, '16:30'));
    await step(orders.slipping.fulfillmentId, 'accept');
    expect(await watch()).toMatchObject({ alerts: 0 });
    t.clock.set(paris(24, '16:01'));
    expect(await watch()).toEqual({ assessed: 3, alerts: 1, recovered: 0 });
    const last = (await alerts(orders.slipping.id)).at(-1);
    expect(last).toMatchObject({ type: 'order.at_risk', payload: { reason: 'not_picked_by_deadline', previousPromise: deliveryDay(25), newEta: deliveryDay(26) } });
    expect(await alerts(orders.onTrack.id)).toEqual([]);
  });

  it('once the promised day is over undelivered, every order is delayed: a parcel still travelling expected today or the next delivery day', async () => {
    t.clock.set(paris(25, '09:00'));
    expect(await watch()).toMatchObject({ alerts: 3 });
    expect(await alerts(orders.onTrack.id)).toMatchObject([
      { type: 'order.delayed', payload: { reason: 'late_in_transit', previousPromise: deliveryDay(24), newEta: { earliest: deliveryDay(25).earliest, latest: deliveryDay(26).latest } } },
    ]);
    // The unpicked order: still Thursday, the date its customer was last given.
    expect((await alerts(orders.slipping.id)).at(-1)).toMatchObject({
      type: 'order.delayed',
      payload: { reason: 'not_picked_by_deadline', previousPromise: deliveryDay(26), newEta: deliveryDay(26) },
    });
    expect(await sla(orders.slipping.id)).toMatchObject({ state: 'delayed', customer_eta_latest: new Date(deliveryDay(26).latest) });
    // Delivered: nothing left to watch; the order leaves the watch with its last state.
    t.clock.set(paris(25, '12:00'));
    await step(orders.onTrack.fulfillmentId, 'deliver', { deliveredAt: paris(25, '11:00') }, t.admin.authorization);
    expect(await watch()).toMatchObject({ assessed: 2, alerts: 0 });
  });

  it('the customer gets an e-mail each time their date moves, and only then', async () => {
    await sequenceEvents(t.ctx.db);
    const events = (await readEvents(t.ctx.db, { after: 0, limit: 10_000 })).filter((e) => e.aggregateId === orders.slipping.id && e.type.startsWith('order.'));
    expect(events.map((e) => e.type)).toEqual(['order.confirmed', 'order.at_risk', 'order.at_risk', 'order.at_risk', 'order.delayed']);
    await t.ctx.notifications.consumer.handle(events.filter((e) => e.type !== 'order.confirmed'));
    const sent = await t.ctx.db.selectFrom('notification').selectAll().where('order_id', '=', orders.slipping.id).where('channel', '=', 'email').orderBy('created_at').execute();
    // Not the first at-risk event (still Tuesday) nor the late one that confirms Thursday.
    expect(sent.map((n) => [n.event_id, n.template, n.status])).toEqual([
      [events[2]!.eventId, 'order_delayed', 'sent'],
      [events[3]!.eventId, 'order_delayed', 'sent'],
    ]);
    const mail = JSON.stringify(sent[1]!.content);
    expect(mail).toContain(`Votre commande ${orders.slipping.number} prend du retard`);
    expect(mail).toMatch(/jeudi 26 novembre/);
    expect(mail).toMatch(/mercredi 25 novembre/);
  });
});

describe('SLA watch: a click & collect order', () => {
  let t: TestApp;
  let order: { id: string; fulfillmentId: string };
  const watch = () => watchOrders({ db: t.ctx.db, clock: t.clock, promiseData: t.ctx.promiseData, riskMarginMinutes: 60 });
  const alerts = async () =>
    (await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', '=', order.id).where('type', 'in', ['order.at_risk', 'order.delayed']).orderBy('id').execute()).map(
      (e) => ({ type: e.type, payload: e.payload as OrderDelayed }),
    );
  const step = async (name: 'accept' | 'pick' | 'ready-for-pickup', payload?: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${order.fulfillmentId}/${name}`, headers: t.admin, ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    // Lyon holds the scarf: ready two opening hours after the order, at 12:00.
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-3', quantity: 1 }], delivery: { method: 'pickup', pickupLocationId: 'store-lyon' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().promise).toMatchObject({ earliest: paris(23, '12:00').replace('Z', '.000Z'), latest: paris(23, '12:00').replace('Z', '.000Z') });
    const [f] = await t.ctx.db.selectFrom('fulfillment_order').select(['id', 'kind']).where('order_id', '=', res.json().id).execute();
    expect(f?.kind).toBe('pickup');
    order = { id: res.json().id, fulfillmentId: f!.id };
  });
  afterAll(() => t.close());

  it('not prepared an hour before its ready time is at risk; not ready at it, at risk with a ready time by closing, then delayed, each once', async () => {
    t.clock.set(paris(23, '10:59'));
    expect(await watch()).toMatchObject({ alerts: 0 });
    t.clock.set(paris(23, '11:00'));
    expect(await watch()).toMatchObject({ alerts: 1 });
    // At the promised instant it is not broken yet; a minute later it is.
    t.clock.set(paris(23, '12:00'));
    expect(await watch()).toMatchObject({ alerts: 1 });
    t.clock.set(paris(23, '12:01'));
    expect(await watch()).toMatchObject({ alerts: 1 });
    // Half an hour later the estimate starts later, but the customer's "ready by 19:00" still holds.
    t.clock.set(paris(23, '12:31'));
    expect(await watch()).toMatchObject({ alerts: 0 });
    const at = (hhmm: string) => new Date(paris(23, hhmm)).toISOString();
    const promised = { earliest: at('12:00'), latest: at('12:00') };
    expect(await alerts()).toMatchObject([
      { type: 'order.at_risk', payload: { reason: 'not_accepted_near_deadline', previousPromise: promised, newEta: promised } },
      { type: 'order.at_risk', payload: { reason: 'pickup_not_ready', previousPromise: promised, newEta: { earliest: at('14:00'), latest: at('19:00') } } },
      { type: 'order.delayed', payload: { reason: 'pickup_not_ready', previousPromise: { earliest: at('14:00'), latest: at('19:00') }, newEta: { earliest: at('14:01'), latest: at('19:00') } } },
    ]);
  });

  it('the customer hears of the later ready time once: from the at-risk event that moved it', async () => {
    await sequenceEvents(t.ctx.db);
    const events = (await readEvents(t.ctx.db, { after: 0, limit: 10_000 })).filter((e) => e.aggregateId === order.id && e.type !== 'order.confirmed' && e.type.startsWith('order.'));
    expect(events.map((e) => e.type)).toEqual(['order.at_risk', 'order.at_risk', 'order.delayed']);
    await t.ctx.notifications.consumer.handle(events);
    const sent = await t.ctx.db.selectFrom('notification').select(['event_id', 'template']).where('order_id', '=', order.id).where('channel', '=', 'email').execute();
    expect(sent).toEqual([{ event_id: events[1]!.eventId, template: 'order_delayed' }]);
  });

  it('on the shelf it is back on track without a word; at risk again when the hold is about to end', async () => {
    t.clock.set(paris(23, '13:00'));
    await step('accept');
    await step('pick', { lines: [{ sku: 'SKU-3', quantity: 1 }] });
    await step('ready-for-pickup');
    expect(await watch()).toEqual({ assessed: 1, alerts: 0, recovered: 1 });
    const { hold_until: holdUntil } = await t.ctx.db.selectFrom('fulfillment_order').select('hold_until').where('id', '=', order.fulfillmentId).executeTakeFirstOrThrow();
    const reminderHours = (await t.app.inject({ url: '/v1/fulfillment-settings', headers: t.admin })).json().pickupReminderHours as number;
    t.clock.set(new Date(holdUntil!.getTime() - reminderHours * 3_600_000 - 60_000));
    expect(await watch()).toMatchObject({ alerts: 0 });
    t.clock.set(new Date(holdUntil!.getTime() - reminderHours * 3_600_000));
    expect(await watch()).toMatchObject({ alerts: 1 });
    expect((await alerts()).at(-1)).toMatchObject({ type: 'order.at_risk', payload: { reason: 'hold_ending' } });
  });
});
