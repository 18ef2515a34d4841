import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, sequenceEvents } from '../../src/db/outbox.js';
import { signTrackingToken, TRACKING_LINK_DAYS } from '../../src/modules/tracking/tracking-token.js';
import { LOOKUPS_PER_CLIENT, LOOKUPS_PER_ORDER } from '../../src/modules/tracking/tracking.routes.js';
import { placeOrder } from '../orders/fixtures.js';
import { tempDataDir } from '../notifications/support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildShipNetwork, createStoreKey, fulfillmentsOf, stepAs } from '../fulfillment/ship-fixtures.js';

const bob = { email: 'Bob.Durand@Example.fr', phone: '+33 6 98 76 54 32', name: 'Bob Durand', locale: 'fr-FR' };
const toBob = { method: 'ship', service: 'standard', address: { name: 'Bob Durand', line1: '12 rue Esquermoise', line2: 'Bâtiment B', postalCode: '59000', city: 'Lille', country: 'FR' } };
const atParis = { method: 'pickup', pickupLocationId: 'store-paris' };

/** Every word of the customer's that must never appear on the public page. */
const PERSONAL = ['bob.durand', 'Bob', 'Durand', '98 76', '+336', 'Esquermoise', 'Bâtiment'];

describe('public order tracking', () => {
  let t: TestApp;
  let parisKey: string;
  let client = 0;
  /** Each test speaks from its own client address, so the per-client limit of one does not touch another. */
  const from = () => `203.0.113.${++client}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDO_DATA_DIR: tempDataDir(), ORDO_PUBLIC_URL: 'https://shop.example' } });
    await buildShipNetwork(t);
    parisKey = await createStoreKey(t, 'paris till', ['store-paris']);
    // Enough pulls in Paris for every order of this file to be served there.
    const stock = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/PULL', headers: t.admin, payload: { onHand: 40, asOf: '2026-11-02T00:00:00Z' } });
    expect(stock.statusCode, stock.body).toBe(200);
    await t.ctx.availability.refresh();
  });
  afterAll(async () => {
    await t?.close();
  });

  const lookup = (orderNumber: string, email: string, remoteAddress = from()) =>
    t.app.inject({ method: 'POST', url: '/v1/tracking/lookup', payload: { orderNumber, email }, remoteAddress });
  const byToken = (token: string) => t.app.inject({ method: 'GET', url: `/v1/tracking/${token}` });
  const tokenFor = async (orderId: string, expiresAt = new Date(t.clock.now().getTime() + 86_400_000)) =>
    signTrackingToken({ orderId, expiresAt }, await t.ctx.notifications.trackingSecret());

  async function place(body: Record<string, unknown>) {
    const res = await placeOrder(t, { customer: bob, payment: { provider: 'manual' }, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  }

  const expectNothingPersonal = (body: string) => {
    for (const word of PERSONAL) expect(body, `"${word}" leaks`).not.toContain(word);
  };

  it('shows an order to whoever gives its number and its e-mail (any case), and the same 404 for a wrong e-mail or number', async () => {
    const order = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    const res = await lookup(` ${order.number.toLowerCase()} `, '  BOB.durand@example.FR ');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = res.json();
    expect(view).toMatchObject({
      orderNumber: order.number,
      status: 'allocated',
      delivery: { method: 'ship', service: 'standard', destination: { postalCode: '59000', city: 'Lille', country: 'FR' } },
      lines: [{ name: 'Pull marin', quantity: 1, cancelledQuantity: 0, status: 'allocated' }],
      shipments: [],
      pickup: null,
      history: [{ step: 'placed', at: view.placedAt }],
    });
    expect(view.promise.earliest <= view.promise.latest).toBe(true);
    expect(view.eta).toEqual({ ...view.promise, delayed: false });
    expectNothingPersonal(res.body);

    const wrongEmail = await lookup(order.number, 'someone.else@example.fr');
    const unknownNumber = await lookup('ORD-2026-999999', 'bob.durand@example.fr');
    const almostEmail = await lookup(order.number, 'bob.durand@example.f');
    for (const r of [wrongEmail, unknownNumber, almostEmail]) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual(wrongEmail.json());
    }
    expect(wrongEmail.json().error.code).toBe('tracking_not_found');
    // No key is needed, and an empty or malformed lookup is a plain 400.
    const bad = await t.app.inject({ method: 'POST', url: '/v1/tracking/lookup', payload: { orderNumber: order.number }, remoteAddress: from() });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'validation_failed']);
  });

  it('follows the order through preparation and shipping: parcels with the carrier’s tracking link, history of the steps', async () => {
    const order = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    const [work] = await fulfillmentsOf(t, order.number);
    t.clock.set('2026-11-23T10:00:00Z');
    await stepAs(t, parisKey, work!, 'accept');
    expect((await lookup(order.number, bob.email)).json()).toMatchObject({ status: 'in_fulfillment', history: [{ step: 'placed' }, { step: 'preparing', at: '2026-11-23T10:00:00.000Z' }] });
    await stepAs(t, parisKey, work!, 'pick', { lines: [{ sku: 'PULL', quantity: 1 }] });
    await stepAs(t, parisKey, work!, 'pack', { parcels: [{ weightGrams: 600 }] });
    t.clock.set('2026-11-23T13:00:00Z');
    const shipped = await stepAs(t, parisKey, work!, 'ship', {});
    const number = shipped.shipment!.trackingNumber;

    const res = await lookup(order.number, bob.email);
    const view = res.json();
    expect(view.status).toBe('shipped');
    expect(view.shipments).toEqual([
      {
        carrier: 'La Poste test',
        service: 'standard',
        trackingNumber: number,
        trackingUrl: `https://suivi.example/track?n=${number}`,
        parcels: 1,
        shippedAt: '2026-11-23T13:00:00.000Z',
        deliveredAt: null,
        items: [{ name: 'Pull marin', quantity: 1 }],
      },
    ]);
    expect(view.history.map((h: { step: string }) => h.step)).toEqual(['placed', 'preparing', 'shipped']);
    expect(view.history[2]).toEqual({ step: 'shipped', at: '2026-11-23T13:00:00.000Z', trackingNumber: number });
    expect(view.eta).toMatchObject({ delayed: false });
    expectNothingPersonal(res.body);
    // Nothing of the store that prepared it, nor of the payment, is shown.
    expect(res.body).not.toMatch(/store-paris|Rivoli|manual|Minor/);

    t.clock.set('2026-11-24T12:00:00Z');
    await stepAs(t, parisKey, work!, 'deliver', { deliveredAt: '2026-11-24T11:00:00Z' });
    const delivered = (await lookup(order.number, bob.email)).json();
    expect([delivered.status, delivered.eta, delivered.shipments[0].deliveredAt]).toEqual(['completed', null, '2026-11-24T11:00:00.000Z']);
    expect(delivered.history.at(-1)).toEqual({ step: 'delivered', at: '2026-11-24T11:00:00.000Z' });
  });

  it('gives the estimate the customer was last told when an alert moved it, and says it is late', async () => {
    const order = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    const before = (await lookup(order.number, bob.email)).json();
    const promiseLatest = new Date(before.promise.latest);
    const later = { earliest: new Date(promiseLatest.getTime() + 86_400_000), latest: new Date(promiseLatest.getTime() + 2 * 86_400_000) };
    // What the SLA watch records when it tells the customer of a delay (order.delayed moved their date).
    await t.ctx.db
      .insertInto('order_sla')
      .values({
        order_id: order.id, promise_latest: promiseLatest, state: 'delayed', reason: 'not_picked', eta_earliest: later.earliest, eta_latest: later.latest,
        changed_at: '2026-11-23T15:00:00Z', announced_at: new Date('2026-11-23T15:00:00Z'), customer_eta_earliest: later.earliest, customer_eta_latest: later.latest,
      })
      .execute();
    const view = (await lookup(order.number, bob.email)).json();
    expect(view.promise).toEqual(before.promise);
    expect(view.eta).toEqual({ earliest: later.earliest.toISOString(), latest: later.latest.toISOString(), delayed: true });
    expect(view.history).toContainEqual({ step: 'delayed', at: '2026-11-23T15:00:00.000Z' });

    // An estimate kept for an earlier promise does not speak for a new one.
    await t.ctx.db.updateTable('order_sla').set({ promise_latest: new Date(promiseLatest.getTime() - 86_400_000) }).where('order_id', '=', order.id).execute();
    const renewed = (await lookup(order.number, bob.email)).json();
    expect(renewed.eta).toEqual({ ...before.promise, delayed: false });
    expect(renewed.history.map((h: { step: string }) => h.step)).not.toContain('delayed');
  });

  it('shows the pickup store with its hours, and the pickup code only while the order waits there', async () => {
    const order = await place({ delivery: atParis, lines: [{ sku: 'PULL', quantity: 1 }] });
    const first = (await lookup(order.number, bob.email)).json();
    expect(first.pickup).toEqual({
      store: {
        name: 'Paris Rivoli',
        address: { line1: '1 rue de Rivoli', line2: null, postalCode: '75001', city: 'Paris', country: 'FR' },
        timeZone: 'Europe/Paris',
        openingHours: expect.objectContaining({ mon: [{ open: '09:00', close: '19:00' }], sun: [] }),
        exceptions: [],
      },
      ready: false,
      code: null,
      holdUntil: null,
      readyAt: null,
      collectedAt: null,
    });
    expect(first.delivery).toEqual({ method: 'pickup', service: null, destination: null });

    const [work] = await fulfillmentsOf(t, order.number);
    await stepAs(t, parisKey, work!, 'accept');
    await stepAs(t, parisKey, work!, 'pick', { lines: [{ sku: 'PULL', quantity: 1 }] });
    expect((await lookup(order.number, bob.email)).json().pickup).toMatchObject({ ready: false, code: null });
    const ready = await stepAs(t, parisKey, work!, 'ready-for-pickup');
    const code = await t.ctx.db.selectFrom('fulfillment_order').select('pickup_code').where('id', '=', work!.id).executeTakeFirstOrThrow();

    const waiting = (await lookup(order.number, bob.email)).json();
    expect(waiting.status).toBe('ready_for_pickup');
    expect(waiting.pickup).toMatchObject({ ready: true, code: code.pickup_code, holdUntil: (ready as unknown as { holdUntil: string }).holdUntil });
    expect(waiting.pickup.code).toMatch(/^\d{6}$/);
    expect(waiting.eta).toBeNull();
    expect(waiting.history.map((h: { step: string }) => h.step)).toEqual(['placed', 'preparing', 'ready_for_pickup']);

    await stepAs(t, parisKey, work!, 'collect', { code: code.pickup_code });
    const collected = (await lookup(order.number, bob.email)).json();
    expect(collected.status).toBe('completed');
    expect(collected.pickup).toMatchObject({ ready: false, code: null, holdUntil: null });
    expect(collected.history.at(-1).step).toBe('collected');
  });

  it('opens the same page from a signed link, and a tampered, foreign or expired link is a 404', async () => {
    const order = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    const token = await tokenFor(order.id, new Date(t.clock.now().getTime() + 3_600_000));
    const res = await byToken(token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual((await lookup(order.number, bob.email)).json());
    expectNothingPersonal(res.body);

    expect(token).toMatch(/^[A-Za-z0-9_-]{28}\.[A-Za-z0-9_-]{43}$/);

    const other = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    const [payload, signature] = token.split('.') as [string, string];
    const bytes = Buffer.from(payload, 'base64url');
    const swapped = Buffer.concat([bytes.subarray(0, 1), Buffer.from(other.id.replaceAll('-', ''), 'hex'), bytes.subarray(17)]).toString('base64url');
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    const foreignKey = signTrackingToken({ orderId: order.id, expiresAt: new Date(t.clock.now().getTime() + 3_600_000) }, 'not-our-secret');
    const unknownOrder = await tokenFor('00000000-0000-4000-8000-000000000000');
    // Signed with our key but not a payload we write: another version, another length.
    const secret = await t.ctx.notifications.trackingSecret();
    const signed = (p: Buffer) => `${p.toString('base64url')}.${crypto.createHmac('sha256', secret).update(p.toString('base64url')).digest('base64url')}`;
    const otherVersion = signed(Buffer.concat([Buffer.from([2]), bytes.subarray(1)]));
    const shorter = signed(bytes.subarray(0, 20));
    expect((await byToken(signed(bytes))).statusCode).toBe(200);
    for (const bad of [`${swapped}.${signature}`, `${payload}.${flipped}`, foreignKey, unknownOrder, otherVersion, shorter, payload, `${token}.x`, 'nonsense']) {
      const r = await byToken(bad);
      expect([r.statusCode, r.json().error.code], bad).toEqual([404, 'tracking_not_found']);
    }

    t.clock.advance(3_600_000);
    expect((await byToken(token)).statusCode).toBe(404);
    t.clock.advance(-1000);
    expect((await byToken(token)).statusCode).toBe(200);
  });

  it('opens from the link of the confirmation e-mail, for 90 days', async () => {
    const order = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    await sequenceEvents(t.ctx.db);
    await t.ctx.notifications.consumer.handle(await readEvents(t.ctx.db, { after: 0, limit: 100, aggregateId: order.id, types: ['order.confirmed'] }));
    const rows = await t.ctx.db.selectFrom('notification').select(['channel', 'content']).where('order_id', '=', order.id).execute();
    expect(rows.map((r) => r.channel)).toEqual(['email']);
    const email = rows[0]!.content as { text: string; html: string };
    const link = /Suivre ma commande\u00a0: (https:\/\/shop\.example\/app\/track\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+))/.exec(email.text);
    expect(link).not.toBeNull();
    expect(email.html).toContain(`href="${link![1]}"`);

    const sentAt = t.clock.now().getTime();
    expect((await byToken(link![2]!)).json().orderNumber).toBe(order.number);
    t.clock.set(new Date(sentAt + TRACKING_LINK_DAYS * 86_400_000 - 1000));
    expect((await byToken(link![2]!)).statusCode).toBe(200);
    t.clock.set(new Date(sentAt + TRACKING_LINK_DAYS * 86_400_000));
    expect((await byToken(link![2]!)).statusCode).toBe(404);
    t.clock.set(new Date(sentAt));
  });

  it('limits lookups per order number and per client address, with Retry-After', async () => {
    const order = await place({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    // Per order number, whatever the address: a few tries, then one every refill period.
    for (let i = 0; i < LOOKUPS_PER_ORDER.capacity; i++) expect((await lookup(order.number, `guess${i}@example.fr`)).statusCode).toBe(404);
    const limited = await lookup(order.number, bob.email);
    expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'too_many_requests']);
    expect(Number(limited.headers['retry-after'])).toBe(LOOKUPS_PER_ORDER.refillMs / 1000);
    expect(limited.json().error.details).toEqual({ retryAfterSeconds: LOOKUPS_PER_ORDER.refillMs / 1000 });
    // The number is limited in any spelling.
    expect((await lookup(order.number.toLowerCase(), bob.email)).statusCode).toBe(429);
    t.clock.advance(LOOKUPS_PER_ORDER.refillMs);
    expect((await lookup(order.number, bob.email)).statusCode).toBe(200);
    expect((await lookup(order.number, bob.email)).statusCode).toBe(429);

    // Per client address, whatever the numbers.
    const address = from();
    for (let i = 0; i < LOOKUPS_PER_CLIENT.capacity; i++) expect((await lookup(`ORD-2026-9${String(i).padStart(5, '0')}`, bob.email, address)).statusCode).toBe(404);
    const blocked = await lookup('ORD-2026-888888', bob.email, address);
    expect([blocked.statusCode, blocked.headers['retry-after']]).toEqual([429, String(LOOKUPS_PER_CLIENT.refillMs / 1000)]);
    expect((await lookup('ORD-2026-888888', bob.email, from())).statusCode).toBe(404);
    t.clock.advance(LOOKUPS_PER_CLIENT.refillMs);
    expect((await lookup('ORD-2026-888888', bob.email, address)).statusCode).toBe(404);
  });
});
