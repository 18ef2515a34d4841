import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationConsumer } from '../../src/modules/notifications/notification-consumer.js';
import { notifyCustomers } from '../../src/modules/notifications/notify-customer.js';
import { addSuppression } from '../../src/modules/notifications/suppression.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { customers, samples } from './order-event-samples.js';
import { SmtpSink } from './smtp-sink.js';
import { TRACKING_LINK_DAYS, verifyTrackingToken } from '../../src/modules/tracking/tracking-token.js';
import { emit, notificationEnv, tempDataDir } from './support.js';

const NBSP = '\u00a0';

/** Counts the statements run through the Kysely instance it is plugged into. */
function statementCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args) {
      this.count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

describe('customer e-mails through a real SMTP server', () => {
  let t: TestApp;
  const sink = new SmtpSink();
  const handle = (events: Parameters<TestApp['ctx']['notifications']['consumer']['handle']>[0]) => t.ctx.notifications.consumer.handle(events);
  const rows = (orderId: string) => t.ctx.db.selectFrom('notification').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  const mailedTo = () => sink.received.flatMap((m) => (m.to && !Array.isArray(m.to) ? m.to.value.map((v) => v.address ?? '') : [])).filter((a) => a.startsWith('batch-'));

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ env: notificationEnv(tempDataDir(), { SMTP_URL: sink.url }) });
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('sends the order confirmation in French to a French customer and in English to an English one', async () => {
    const alice = samples(customers.alice, { orderId: 'ord_fr' })['order.confirmed'];
    const bob = samples(customers.bob, { orderId: 'ord_en' })['order.confirmed'];
    const events = await emit(t, [['order.confirmed', alice], ['order.confirmed', bob]]);
    await handle(events);

    const [fr] = sink.to('alice.martin@example.fr');
    expect(fr?.subject).toBe('Confirmation de votre commande ORD-2026-000123');
    expect(fr?.text).toContain(`Total${NBSP}: 49,90${NBSP}€`);
    expect(fr?.html).toContain(`49,90${NBSP}€`);
    expect(fr?.from?.text).toBe('"Maison Ordo" <commandes@maison.example>');
    expect(fr?.messageId).toBe(`<${events[0]!.eventId}.email@maison.example>`);
    const [en] = sink.to('bob.smith@example.co.uk');
    expect(en?.subject).toBe('Your order ORD-2026-000123 is confirmed');
    expect(en?.text).toContain('Total: €49.90');
    expect(en?.text).toContain('Hello Bob Smith,');

    const recorded = await rows('ord_fr');
    expect(recorded).toMatchObject([{ channel: 'email', status: 'sent', template: 'order_confirmation', locale: 'fr-FR', provider: 'smtp', attempts: 1, recipient: 'alice.martin@example.fr' }]);
    expect(recorded[0]!.provider_message_id).toBe(fr?.messageId);
    expect(recorded[0]!.provider_response).toMatch(/^250/);
  });

  it('carries a signed one-click unsubscribe link that stops optional messages only', async () => {
    const [mail] = sink.to('bob.smith@example.co.uk');
    // Raw header lines, unfolded (a long link is folded onto the next line).
    const header = (key: string) => mail?.headerLines.find((h) => h.key === key)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const link = /^List-Unsubscribe: <(https:\/\/shop\.example\/v1\/notifications\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)>$/.exec(header('list-unsubscribe') ?? '')?.[1];
    expect(link).toBeDefined();
    expect(mail?.text).toContain(`Stop optional notifications: ${link}`);
    const url = link!.replace('https://shop.example', '');

    const page = await t.app.inject({ url });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Stop sending optional notifications to b•••@example.co.uk?');
    expect(await t.ctx.db.selectFrom('notification_suppression').selectAll().execute()).toEqual([]);

    const done = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('will no longer receive optional notifications');
    expect(await t.ctx.db.selectFrom('notification_suppression').select(['channel', 'address', 'reason']).execute()).toEqual([
      { channel: 'email', address: 'bob.smith@example.co.uk', reason: 'unsubscribed' },
    ]);

    const order = samples(customers.bob, { orderId: 'ord_unsub' });
    await handle(await emit(t, [['order.delayed', order['order.delayed']], ['order.shipped', order['order.shipped']]]));
    expect((await rows('ord_unsub')).map((r) => [r.template, r.channel, r.status, r.error])).toEqual([
      ['order_delayed', 'email', 'suppressed', 'unsubscribed'],
      ['order_delayed', 'sms', 'sent', null],
      ['order_shipped', 'email', 'sent', null],
      ['order_shipped', 'sms', 'sent', null],
    ]);
    expect(sink.to('bob.smith@example.co.uk').map((m) => m.subject)).toEqual(['Your order ORD-2026-000123 is confirmed', 'Your order ORD-2026-000123 has shipped']);

    const forged = url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const rejected = await t.app.inject({ method: 'POST', url: forged });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.code).toBe('invalid_unsubscribe_token');
  });

  it('gives the pickup code and the tracking links: the carrier’s, and the order’s signed page', async () => {
    const alice = samples(customers.alice, { orderId: '7c2f0a4e-1b1d-4c55-9a8e-0d7f4b2a6c01' });
    const bob = samples({ ...customers.bob, email: 'bob.tracking@example.co.uk' }, { orderId: '7c2f0a4e-1b1d-4c55-9a8e-0d7f4b2a6c02' });
    await handle(await emit(t, [['order.ready_for_pickup', alice['order.ready_for_pickup']], ['order.shipped', bob['order.shipped']]]));
    const pickup = sink.to('alice.martin@example.fr').find((m) => m.subject === 'Votre commande ORD-2026-000123 est prête à être retirée');
    expect(pickup?.text).toContain(`Code de retrait${NBSP}: 482913`);
    expect(pickup?.html).toContain('>482913</strong>');
    expect(pickup?.text).toContain('lundi 12 janvier 2026 à 19:00');
    const [shipped] = sink.to('bob.tracking@example.co.uk');
    expect(shipped?.subject).toBe('Your order ORD-2026-000123 has shipped');
    expect(shipped?.html).toContain('href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"');
    expect(shipped?.text).toContain('Track my parcel: https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901');

    // Each e-mail links the order's own tracking page, signed for that order, valid 90 days.
    const secret = await t.ctx.notifications.trackingSecret();
    for (const [mail, label, orderId] of [[pickup, `Suivre ma commande${NBSP}: `, alice['order.ready_for_pickup'].orderId], [shipped, 'Follow my order: ', bob['order.shipped'].orderId]] as const) {
      const token = new RegExp(`${label}https://shop\\.example/app/track/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(mail?.text ?? '')?.[1];
      expect(token, label).toBeDefined();
      expect(mail?.html).toContain(`href="https://shop.example/app/track/${token}"`);
      const claim = verifyTrackingToken(token!, secret, t.clock.now());
      expect(claim).toEqual({ orderId, expiresAt: new Date(Math.floor((t.clock.now().getTime() + TRACKING_LINK_DAYS * 86_400_000) / 1000) * 1000) });
    }
  });

  it('never sends twice for a redelivered event', async () => {
    const order = samples({ ...customers.alice, email: 'twice@example.fr', phone: undefined }, { orderId: 'ord_twice' });
    const events = await emit(t, [['order.confirmed', order['order.confirmed']], ['order.refunded', order['order.refunded']]]);
    await handle(events);
    await handle(events);
    await handle([events[1]!, events[0]!]);
    expect(sink.to('twice@example.fr').map((m) => m.subject)).toEqual([
      'Confirmation de votre commande ORD-2026-000123',
      `Remboursement de 49,90${NBSP}€ pour votre commande ORD-2026-000123`,
    ]);
    expect((await rows('ord_twice')).map((r) => [r.status, r.attempts])).toEqual([['sent', 1], ['sent', 1]]);
  });

  it('sends nothing to a suppressed address, essential messages included, and records why', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/notifications/suppressions/email/Blocked@Example.fr',
      headers: t.admin,
      payload: { note: 'customer asked by phone, ticket 4711' },
    });
    expect(put.statusCode).toBe(201);
    expect(put.json().items).toMatchObject([{ channel: 'email', address: 'blocked@example.fr', reason: 'admin', createdBy: 'key:bootstrap-admin' }]);
    const order = samples({ ...customers.alice, email: 'blocked@example.fr', phone: undefined }, { orderId: 'ord_blocked' });
    await handle(await emit(t, [['order.ready_for_pickup', order['order.ready_for_pickup']]]));
    expect(sink.to('blocked@example.fr')).toEqual([]);
    expect(await rows('ord_blocked')).toMatchObject([{ status: 'suppressed', error: 'admin', attempts: 0, provider: null }]);
  });

  it('marks a mailbox the server does not know as failed and stops writing to it (hard bounce)', async () => {
    sink.unknownMailboxes.add('gone@example.fr');
    const first = samples({ ...customers.alice, email: 'gone@example.fr', phone: undefined }, { orderId: 'ord_gone' });
    await handle(await emit(t, [['order.confirmed', first['order.confirmed']]]));
    const [failed] = await rows('ord_gone');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, provider: 'smtp' });
    expect(failed!.error).toMatch(/550/);
    expect(await t.ctx.db.selectFrom('notification_suppression').select(['reason', 'created_by']).where('address', '=', 'gone@example.fr').execute()).toEqual([
      { reason: 'hard_bounce', created_by: 'system:smtp' },
    ]);
    await handle(await emit(t, [['order.shipped', first['order.shipped']]]));
    expect((await rows('ord_gone')).map((r) => [r.template, r.status, r.error])).toEqual([
      ['order_confirmation', 'failed', failed!.error],
      ['order_shipped', 'suppressed', 'hard_bounce'],
    ]);
  });

  it('sends the e-mails of a batch before and after one that bounces, each recorded as it went', async () => {
    sink.unknownMailboxes.add('bounce-mid@example.fr');
    const events = ['mid-1', 'bounce-mid', 'mid-2', 'mid-3'].map((who) => {
      const s = samples({ ...customers.alice, email: `${who}@example.fr`, phone: undefined }, { orderId: `ord_${who}` });
      return ['order.confirmed', s['order.confirmed']] as const;
    });
    await handle(await emit(t, events.map(([type, payload]) => [type, payload])));
    expect((await rows('ord_bounce-mid')).map((r) => [r.status, r.attempts])).toEqual([['failed', 1]]);
    for (const who of ['mid-1', 'mid-2', 'mid-3']) {
      expect((await rows(`ord_${who}`)).map((r) => [r.status, r.attempts, r.provider])).toEqual([['sent', 1, 'smtp']]);
      expect(sink.to(`${who}@example.fr`)).toHaveLength(1);
    }
    expect(sink.to('bounce-mid@example.fr')).toEqual([]);
  });

  it('lets the event loop in while it renders a full chunk, every few events', async () => {
    const events = await emit(
      t,
      Array.from({ length: 100 }, (_, i) => ['order.confirmed', samples({ ...customers.alice, email: `slice-${i}@example.fr`, phone: undefined }, { orderId: `ord_slice_${i}` })['order.confirmed']] as const),
    );
    // Each e-mail rendered asks for the unsubscribe key once: a count of what is rendered so far.
    const deps = t.ctx.notifications.deps;
    let rendered = 0;
    const counting = { ...deps, unsubscribeSecret: () => (rendered++, deps.unsubscribeSecret()) };
    let renderedAtFirstTurn: number | undefined;
    setImmediate(() => (renderedAtFirstTurn = rendered));
    await notifyCustomers(counting, events, { downChannels: new Set() });
    expect(renderedAtFirstTurn).toBeLessThanOrEqual(10);
    expect(rendered).toBe(100);
    expect(sink.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address?.startsWith('slice-')))).toHaveLength(100);
  });

  it('records an event it cannot format as failed and goes on with the next ones', async () => {
    const broken = samples({ ...customers.alice, email: 'broken@example.fr', phone: undefined }, { orderId: 'ord_broken', currency: 'EURO' });
    const fine = samples({ ...customers.alice, email: 'fine@example.fr', phone: undefined }, { orderId: 'ord_fine' });
    await handle(await emit(t, [['order.refunded', broken['order.refunded']], ['order.refunded', fine['order.refunded']], ['order.confirmed', { orderId: 'ord_bogus', bogus: true } as never]]));
    expect(await rows('ord_broken')).toMatchObject([{ status: 'failed', attempts: 0, error: expect.stringMatching(/^not rendered: .*currency/i) }]);
    expect(sink.to('broken@example.fr')).toEqual([]);
    expect(sink.to('fine@example.fr')).toHaveLength(1);
    expect(await rows('ord_bogus')).toEqual([]); // not an order payload: nothing to say, nobody to say it to
  });

  it('lists what was sent about an order for service, ops and admin keys only', async () => {
    const res = await t.app.inject({ url: '/v1/orders/ord_unsub/notifications', headers: t.admin });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((n: { template: string; channel: string; status: string; summary: string }) => [n.template, n.channel, n.status])).toEqual([
      ['order_delayed', 'email', 'suppressed'],
      ['order_delayed', 'sms', 'sent'],
      ['order_shipped', 'email', 'sent'],
      ['order_shipped', 'sms', 'sent'],
    ]);
    expect(res.json().items[2]).toMatchObject({ summary: 'Your order ORD-2026-000123 has shipped', essential: true, provider: 'smtp', locale: 'en-GB', orderNumber: 'ORD-2026-000123' });
    const store = { name: 'Lyon Part-Dieu', type: 'store', timeZone: 'Europe/Paris' };
    expect((await t.app.inject({ method: 'PUT', url: '/v1/locations/STORE-LYON-01', headers: t.admin, payload: store })).statusCode).toBe(201);
    const keyFor = async (role: string) => {
      const k = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: role, role, locationIds: role === 'store' ? ['STORE-LYON-01'] : undefined } });
      expect(k.statusCode, k.body).toBe(201);
      return { authorization: `Bearer ${k.json().secret}` };
    };
    expect((await t.app.inject({ url: '/v1/orders/ord_unsub/notifications', headers: await keyFor('service') })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/orders/ord_unsub/notifications', headers: await keyFor('store') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/orders/unknown/notifications', headers: t.admin })).json()).toEqual({ items: [] });
  });

  it('records and sends 250 orders’ messages with a few statements per hundred events, in event order, suppressions kept', async () => {
    const n = 250;
    const email = (i: number) => `batch-${String(i).padStart(3, '0')}@example.fr`;
    const bounced = new Set([7, 120, 201]);
    for (const i of bounced) {
      await addSuppression(t.ctx.db, { channel: 'email', address: email(i), reason: 'hard_bounce', note: null, createdBy: 'test', now: t.clock.now() });
    }
    const events = await emit(
      t,
      Array.from({ length: n }, (_, i) => ['order.confirmed', samples({ ...customers.alice, email: email(i), phone: undefined }, { orderId: `ord_batch_${i}` })['order.confirmed']] as const),
    );
    const counter = statementCounter();
    const consumer = new NotificationConsumer({ ...t.ctx.notifications.deps, db: t.ctx.db.withPlugin(counter) });

    await consumer.handle(events);

    // Per chunk of 100 events: one read of suppressions, one insert, one update of the sent ones.
    expect(counter.count).toBeLessThanOrEqual(3 * Math.ceil(n / 100));
    const rows = await t.ctx.db.selectFrom('notification').select(['recipient', 'status', 'attempts', 'provider_message_id']).where('order_id', 'like', 'ord_batch_%').orderBy('id').execute();
    expect(rows.map((r) => r.recipient)).toEqual(Array.from({ length: n }, (_, i) => email(i)));
    expect(rows.filter((r) => r.status === 'suppressed').map((r) => r.recipient)).toEqual([...bounced].map(email));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(n - bounced.size);
    expect(rows.filter((r) => r.status === 'sent').every((r) => r.attempts === 1 && r.provider_message_id)).toBe(true);
    expect(mailedTo().sort()).toEqual(Array.from({ length: n }, (_, i) => email(i)).filter((_, i) => !bounced.has(i)));

    // Redelivered (a lost lease, a crash before the cursor moved): nothing recorded or sent twice.
    counter.count = 0;
    await consumer.handle(events);
    expect(mailedTo()).toHaveLength(n - bounced.size);
    expect(counter.count).toBeLessThanOrEqual(2 * Math.ceil(n / 100));
  });
});
