import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { customers, samples } from './order-event-samples.js';
import { SmtpSink } from './smtp-sink.js';
import { emit, notificationEnv, tempDataDir } from './support.js';

describe('notification retries and delivery through the dispatcher', () => {
  let t: TestApp;
  const sink = new SmtpSink();
  const retryTask = () => t.ctx.notifications.retryTask;
  const rows = (orderId: string) =>
    t.ctx.db.selectFrom('notification').select(['template', 'status', 'attempts', 'error', 'next_attempt_at']).where('order_id', '=', orderId).orderBy('id').execute();
  const order = (email: string, orderId: string) => samples({ ...customers.alice, email, phone: undefined }, { orderId });

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ env: notificationEnv(tempDataDir(), { SMTP_URL: sink.url }) });
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('retries with backoff while the SMTP server is down, and delivers once it is back', async () => {
    const port = sink.port;
    await sink.stop();
    const a = order('outage-a@example.fr', 'ord_outage_a');
    const b = order('outage-b@example.fr', 'ord_outage_b');
    await t.ctx.notifications.consumer.handle(await emit(t, [['order.confirmed', a['order.confirmed']], ['order.refunded', b['order.refunded']]]));

    const [first] = await rows('ord_outage_a');
    expect(first).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(first!.error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    const delay = new Date(first!.next_attempt_at!).getTime() - t.clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(24_000);
    expect(delay).toBeLessThanOrEqual(36_000);
    // The second message of the batch did not wait on the same outage: queued for the retry task.
    expect(await rows('ord_outage_b')).toMatchObject([{ status: 'retrying', attempts: 0, error: 'queued: provider unavailable' }]);

    await retryTask().tick();
    expect(await rows('ord_outage_b')).toMatchObject([{ status: 'retrying', attempts: 1 }]);
    expect(sink.received).toEqual([]);

    await sink.start(port);
    await retryTask().tick();
    expect(sink.received).toEqual([]); // nothing is due before its backoff has passed

    t.clock.advance(2 * 60_000);
    await retryTask().tick();
    expect((await rows('ord_outage_a')).map((r) => [r.status, r.attempts, r.next_attempt_at])).toEqual([['sent', 2, null]]);
    expect((await rows('ord_outage_b')).map((r) => [r.status, r.attempts])).toEqual([['sent', 2]]);
    expect(sink.to('outage-a@example.fr').map((m) => m.subject)).toEqual(['Confirmation de votre commande ORD-2026-000123']);
    expect(sink.to('outage-b@example.fr')).toHaveLength(1);

    t.clock.advance(10 * 60_000);
    await retryTask().tick();
    expect(sink.received).toHaveLength(2);
  });

  it('recovers a message left in "sending" by a process that died before handing it over', async () => {
    const o = order('crash@example.fr', 'ord_crash');
    const events = await emit(t, [['order.shipped', o['order.shipped']]]);
    // What notifyCustomers commits before calling the provider; the process dies right after.
    const now = t.clock.now();
    await insertNotifications(t.ctx.db, [{
      eventId: events[0]!.eventId,
      eventType: 'order.shipped',
      orderId: 'ord_crash',
      orderNumber: 'ORD-2026-000123',
      channel: 'email',
      recipient: 'crash@example.fr',
      template: 'order_shipped',
      locale: 'fr-FR',
      essential: true,
      status: 'sending',
      content: { subject: 'Votre commande ORD-2026-000123 a été expédiée', text: 'Votre colis est en route.', html: '<p>Votre colis est en route.</p>', headers: {} },
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + 5 * 60_000),
      error: null,
      now,
    }]);

    await t.ctx.notifications.consumer.handle(events); // the dispatcher redelivers the batch
    await retryTask().tick();
    expect(sink.to('crash@example.fr')).toEqual([]);

    t.clock.advance(5 * 60_000 + 1);
    await retryTask().tick();
    expect((await rows('ord_crash')).map((r) => [r.status, r.attempts])).toEqual([['sent', 2]]);
    expect(sink.to('crash@example.fr').map((m) => m.subject)).toEqual(['Votre commande ORD-2026-000123 a été expédiée']);
  });

  it('gives up after the last attempt and records the failure', async () => {
    const port = sink.port;
    await sink.stop();
    const o = order('never@example.fr', 'ord_never');
    await t.ctx.notifications.consumer.handle(await emit(t, [['order.cancelled', o['order.cancelled']]]));
    for (let i = 0; i < 8; i++) {
      t.clock.advance(2 * 3_600_000);
      await retryTask().tick();
    }
    expect(await rows('ord_never')).toMatchObject([{ status: 'failed', attempts: 8, next_attempt_at: null }]);
    await sink.start(port);
  });

  it('is fed by the dispatcher from the head of the outbox: no e-mail for events older than the consumer', async () => {
    const old = order('history@example.fr', 'ord_history');
    await emit(t, [['order.confirmed', old['order.confirmed']]]);
    await t.ctx.dispatcher.tick(); // first run: the cursor starts at the head
    const fresh = order('fresh@example.fr', 'ord_fresh');
    // At risk but still expected on the date given: nothing to tell the customer.
    const onTime = { ...fresh['order.at_risk'], newEta: fresh['order.at_risk'].previousPromise };
    await emit(t, [['order.confirmed', fresh['order.confirmed']], ['order.at_risk', onTime]]);
    await t.ctx.dispatcher.tick();
    expect(sink.to('fresh@example.fr').map((m) => m.subject)).toEqual(['Confirmation de votre commande ORD-2026-000123']);
    expect(sink.to('history@example.fr')).toEqual([]);
    expect(await rows('ord_history')).toEqual([]);
    expect((await rows('ord_fresh')).map((r) => r.template)).toEqual(['order_confirmation']);
  });
});
