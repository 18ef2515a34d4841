import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceEvents } from '../../src/db/outbox.js';
import type { OrderDelayed } from '../../src/domain/orders/order-events.js';
import { watchOrders } from '../../src/modules/promise/sla-watch.job.js';
import { SmtpSink } from '../notifications/smtp-sink.js';
import { notificationEnv, tempDataDir } from '../notifications/support.js';
import { alice, buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// The case, with the job run every quarter of an hour as in production (configured risk margin) and
// customer messages going through the dispatcher to a real SMTP server. Two orders ship from the Paris
// store (Mon–Sat 10:00–19:00; carrier collects Mon–Fri before 16:00, delivers the next day), placed on
// Monday 23 November 2026 at 10:00 and promised for Tuesday 24.
const paris = (day: number, hhmm: string) => new Date(`2026-11-${day}T${hhmm}:00+01:00`).toISOString();
/** A delivery day as the promise's window: the whole local day. */
const deliveryDay = (day: number) => ({ earliest: paris(day, '00:00'), latest: new Date(Date.parse(paris(day + 1, '00:00')) - 1000).toISOString() });
const QUARTER = 15 * 60_000;

describe('SLA watch: an order left unpicked past its cut-off, and what its customer hears', () => {
  let t: TestApp;
  const sink = new SmtpSink();
  const orders: Record<'late' | 'onTime', { id: string; number: string; fulfillmentId: string }> = {} as never;

  const watch = () => watchOrders({ db: t.ctx.db, clock: t.clock, promiseData: t.ctx.promiseData, riskMarginMinutes: t.ctx.config.slaRiskMarginMinutes });
  /** Runs the job every quarter of an hour up to `until` (Paris time), as the periodic task would; the alerts it raised. */
  const runUntil = async (until: string) => {
    let alerts = 0;
    for (let at = t.clock.now().getTime() + QUARTER; at < Date.parse(until); at += QUARTER) {
      t.clock.set(new Date(at));
      alerts += (await watch()).alerts;
    }
    t.clock.set(until);
    return alerts + (await watch()).alerts;
  };
  const alerts = async (orderId: string) =>
    (await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', '=', orderId).where('type', 'in', ['order.at_risk', 'order.delayed']).orderBy('id').execute()).map(
      (e) => ({ type: e.type, payload: e.payload as OrderDelayed }),
    );
  const notify = async () => {
    await sequenceEvents(t.ctx.db);
    await t.ctx.dispatcher.tick();
  };
  const mails = (o: { number: string }) => sink.to(alice.email).filter((m) => m.subject?.includes(o.number));
  const messages = async (orderId: string) =>
    (await t.ctx.db.selectFrom('notification').select(['event_type', 'template', 'channel', 'status']).where('order_id', '=', orderId).orderBy('id').execute()).map((n) => [
      n.event_type,
      n.template,
      n.channel,
      n.status,
    ]);
  const step = async (o: { fulfillmentId: string }, name: 'accept' | 'pick' | 'ship' | 'deliver', payload?: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${o.fulfillmentId}/${name}`, headers: t.admin, ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
  };
  const pickAndShip = async (o: { fulfillmentId: string }) => {
    await step(o, 'accept');
    await step(o, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    await step(o, 'ship', { parcels: [{ weightGrams: 500 }] });
  };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ env: notificationEnv(tempDataDir(), { SMTP_URL: sink.url }) });
    await buildOrderNetwork(t);
    await notify(); // the notifications consumer starts at the head of the outbox
    for (const name of ['late', 'onTime'] as const) {
      const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().promise).toMatchObject(deliveryDay(24));
      const [f] = await t.ctx.db.selectFrom('fulfillment_order').select(['id', 'location_id']).where('order_id', '=', res.json().id).execute();
      expect(f?.location_id).toBe('store-paris');
      orders[name] = { id: res.json().id, number: res.json().number, fulfillmentId: f!.id };
    }
    await notify();
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('unpicked past the cut-off: exactly one order.at_risk with a later date, never repeated; the order shipped in time says nothing', async () => {
    expect(t.ctx.config.slaRiskMarginMinutes).toBe(60);
    expect(await runUntil(paris(23, '11:00'))).toBe(0);
    await pickAndShip(orders.onTime);
    // 15:00: an hour of opening left before the 16:00 cut-off; 16:00: the carrier left without the parcel.
    expect(await runUntil(paris(23, '19:00'))).toBe(2);
    const raised = await alerts(orders.late.id);
    expect(raised).toMatchObject([
      { type: 'order.at_risk', payload: { reason: 'not_accepted_near_deadline', previousPromise: deliveryDay(24), newEta: deliveryDay(24) } },
      { type: 'order.at_risk', payload: { reason: 'not_picked_by_deadline', previousPromise: deliveryDay(24), newEta: deliveryDay(25) } },
    ]);
    const later = raised.filter((a) => a.type === 'order.at_risk' && a.payload.newEta.latest > a.payload.previousPromise.latest);
    expect(later).toHaveLength(1);
    expect(later[0]!.payload).toMatchObject({ orderId: orders.late.id, orderNumber: orders.late.number });
    // The job runs on through the night and the next morning: nothing new to say.
    expect(await runUntil(paris(24, '10:00'))).toBe(0);
    expect(await alerts(orders.late.id)).toHaveLength(2);
    expect(await alerts(orders.onTime.id)).toEqual([]);
    expect(await t.ctx.db.selectFrom('order_sla').select(['state', 'customer_eta_latest']).where('order_id', '=', orders.late.id).executeTakeFirst()).toEqual({
      state: 'at_risk',
      customer_eta_latest: new Date(deliveryDay(25).latest),
    });
  });

  it('the customer hears of the new date once, from the at-risk event that moved it', async () => {
    await notify();
    expect(mails(orders.late).map((m) => m.subject)).toEqual([`Confirmation de votre commande ${orders.late.number}`, `Votre commande ${orders.late.number} prend du retard`]);
    const delay = mails(orders.late)[1]!;
    expect(delay.text).toMatch(/mercredi 25 novembre/);
    expect(delay.text).toMatch(/mardi 24 novembre/);
    expect(await messages(orders.late.id)).toEqual([
      ['order.confirmed', 'order_confirmation', 'email', 'sent'],
      ['order.at_risk', 'order_delayed', 'email', 'sent'],
      ['order.at_risk', 'order_delayed', 'sms', 'sent'],
    ]);
    expect(mails(orders.onTime).map((m) => m.subject)).toEqual([`Confirmation de votre commande ${orders.onTime.number}`, `Votre commande ${orders.onTime.number} a été expédiée`]);
  });

  it('shipped a day late, it is still expected on the date given: when the promised day ends undelivered, one order.delayed and no second message', async () => {
    t.clock.set(paris(24, '10:30'));
    await pickAndShip(orders.late);
    t.clock.set(paris(24, '14:00'));
    await step(orders.onTime, 'deliver', { deliveredAt: paris(24, '13:00') });
    // Midnight in Paris: the promised Tuesday is over and the parcel is still travelling.
    expect(await runUntil(paris(24, '23:45'))).toBe(0);
    expect(await runUntil(paris(25, '10:00'))).toBe(1);
    const [, , delayed, ...more] = await alerts(orders.late.id);
    expect(more).toEqual([]);
    expect(delayed).toMatchObject({ type: 'order.delayed', payload: { reason: 'late_in_transit', previousPromise: deliveryDay(25), newEta: deliveryDay(25) } });
    expect(await t.ctx.db.selectFrom('order_sla').select(['state', 'customer_eta_latest']).where('order_id', '=', orders.late.id).executeTakeFirst()).toEqual({
      state: 'delayed',
      customer_eta_latest: new Date(deliveryDay(25).latest),
    });
    await notify();
    expect(mails(orders.late).map((m) => m.subject)).toEqual([
      `Confirmation de votre commande ${orders.late.number}`,
      `Votre commande ${orders.late.number} prend du retard`,
      `Votre commande ${orders.late.number} a été expédiée`,
    ]);
    expect((await messages(orders.late.id)).filter(([type]) => type === 'order.delayed')).toEqual([]);
    // Delivered: the order leaves the watch; the one delivered on time never raised anything.
    t.clock.set(paris(25, '12:00'));
    await step(orders.late, 'deliver', { deliveredAt: paris(25, '11:00') });
    expect(await watch()).toEqual({ assessed: 0, alerts: 0, recovered: 0 });
    expect(await alerts(orders.onTime.id)).toEqual([]);
  });
});
