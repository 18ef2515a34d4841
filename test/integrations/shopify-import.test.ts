import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectInventoryConsistent, MONDAY_MORNING, orderWrites, position } from '../orders/fixtures.js';

/** Shopify's order JSON as the orders/create webhook sends it: written from Shopify's published order resource. */
const SAMPLE = readFileSync(new URL('./fixtures/shopify-order.json', import.meta.url), 'utf8');
type Json = Record<string, any>;
const sample = (): Json => JSON.parse(SAMPLE);

const DAY = [{ open: '09:00', close: '20:00' }];
const WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, DAY]));

describe('POST /v1/integrations/shopify/orders', () => {
  let t: TestApp;
  let integration: { authorization: string };
  let store: { authorization: string };

  const put = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  };
  const key = async (payload: object) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload });
    return { authorization: `Bearer ${res.json().secret}` };
  };
  const importOrder = (body: Json | string, opts: { channel?: string; headers?: { authorization: string } } = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/integrations/shopify/orders?channel=${opts.channel ?? 'shopify-fr'}`,
      headers: { ...(opts.headers ?? integration), 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const timeline = async (id: string) => (await t.app.inject({ url: `/v1/orders/${id}/timeline`, headers: t.admin })).json().items as Array<{ event: string; actor: string; details: Json }>;
  const ordersOf = (externalId: string) => t.ctx.db.selectFrom('sales_order').select(['id']).where('channel_id', '=', 'shopify-fr').where('external_id', '=', externalId).execute();

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(MONDAY_MORNING);
    await put('/v1/locations/store-paris', {
      name: 'Paris Rivoli', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8606, longitude: 2.3376,
      address: { line1: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: WEEK,
      capabilities: ['ship_from_store', 'pickup'], dailyPickCapacity: 100, handlingCostMinor: 300,
    });
    await put('/v1/locations/wh-lyon', {
      name: 'Saint-Priest DC', type: 'warehouse', timeZone: 'Europe/Paris', latitude: 45.6967, longitude: 4.9445,
      address: { postalCode: '69800', city: 'Saint-Priest', country: 'FR' }, openingHours: WEEK, capabilities: ['ship'], handlingCostMinor: 150,
    });
    // Ordo's catalogue prices differ from the shop's on purpose: the order keeps what Shopify charged.
    await put('/v1/products/PULL-MARIN-M', { name: 'Pull marin M', weightGrams: 500, prices: { EUR: 5490 } });
    await put('/v1/products/ECHARPE-LAINE', { name: 'Écharpe laine', weightGrams: 200, prices: { EUR: 2500 } });
    await put('/v1/products/RETIRE', { name: 'Retiré', weightGrams: 200, prices: { EUR: 100 }, active: false });
    await put('/v1/channels/shopify-fr', { name: 'Boutique Shopify FR', type: 'web' });
    await put('/v1/channels/shopify-closed', { name: 'Ancienne boutique', type: 'web', active: false });
    const asOf = '2026-11-01T00:00:00Z';
    await put('/v1/inventory/wh-lyon/PULL-MARIN-M', { onHand: 10, asOf });
    await put('/v1/inventory/wh-lyon/ECHARPE-LAINE', { onHand: 10, asOf });
    await put('/v1/inventory/store-paris/PULL-MARIN-M', { onHand: 3, asOf });
    await put('/v1/inventory/store-paris/ECHARPE-LAINE', { onHand: 3, asOf });
    await put('/v1/carriers/post', {
      name: 'La Poste', services: [{
        service: 'standard', name: 'Colissimo', originTypes: ['store', 'warehouse'], destinationCountries: ['FR'],
        pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], cutoff: '16:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
        rates: [{ maxWeightGrams: 5000, costMinor: 600 }],
      }],
    });
    integration = await key({ name: 'shopify connector', role: 'integration' });
    store = await key({ name: 'paris till', role: 'store', locationIds: ['store-paris'] });
    await t.ctx.availability.refresh();
  });
  afterAll(() => t.close());

  it('imports the sample once: a second import answers 200 with the same order and writes nothing', async () => {
    const before = await orderWrites(t.ctx.db);
    const first = await importOrder(SAMPLE);
    expect(first.statusCode, first.body).toBe(201);
    const afterFirst = await orderWrites(t.ctx.db);
    expect(afterFirst).toMatchObject({ orders: before.orders! + 1, lines: before.lines! + 2, payments: before.payments! + 1, customers: before.customers! + 1 });

    const second = await importOrder(SAMPLE);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(await orderWrites(t.ctx.db)).toEqual(afterFirst);
    expect(await ordersOf('5843216790123')).toHaveLength(1);
    await expectInventoryConsistent(t);
  });

  it('keeps what the JSON says: lines, discounts, shipping, totals, address, customer, payment captured at Shopify', async () => {
    const order = (await importOrder(SAMPLE)).json();
    expect(order).toMatchObject({
      channel: 'shopify-fr',
      externalId: '5843216790123',
      currency: 'EUR',
      status: 'allocated',
      customer: { email: 'camille.durand@example.fr', phone: '+33 6 12 34 56 78', name: 'Camille Durand', locale: 'fr', customerId: expect.any(String) },
      delivery: {
        method: 'ship',
        service: 'standard',
        address: { name: 'Camille Durand', line1: '12 rue des Martyrs', line2: 'Appartement 4B', postalCode: '75009', city: 'Paris', country: 'FR', phone: '+33 6 12 34 56 78' },
      },
      // 2 × 49.90 + 25.00 = 124.80; BIENVENUE10 allocated 9.98 + 2.50; Colissimo 5.90; total_price 118.22.
      totals: { subtotalMinor: 12480, discountMinor: 1248, shippingMinor: 590, totalMinor: 11822 },
      payments: [{ provider: 'manual', reference: 'shopify_payments', status: 'captured', authorisedMinor: 11822, capturedMinor: 11822 }],
    });
    expect(order.lines.map((l: Json) => [l.sku, l.quantity, l.unitPriceMinor, l.discountMinor, l.totalMinor])).toEqual([
      ['PULL-MARIN-M', 2, 4990, 998, 8982],
      ['ECHARPE-LAINE', 1, 2500, 250, 2250],
    ]);
    expect(order.lines.flatMap((l: Json) => l.allocations.map((a: Json) => a.status))).toEqual(['reserved', 'reserved']);
    const reserved = (await position(t.ctx.db, 'PULL-MARIN-M', 'store-paris')).reserved + (await position(t.ctx.db, 'PULL-MARIN-M', 'wh-lyon')).reserved;
    expect(reserved).toBe(2);

    const entries = await timeline(order.id);
    expect(entries.map((e) => e.event).filter((e) => !e.startsWith('fulfillment.'))).toEqual(['order.created', 'order.imported', 'payment.authorised', 'payment.captured']);
    expect(entries.find((e) => e.event === 'order.imported')).toMatchObject({
      actor: expect.stringMatching(/^key:/),
      details: { source: 'shopify', shopifyOrderId: '5843216790123', name: '#1042', sourceName: 'web', financialStatus: 'paid', gateway: 'shopify_payments', paymentCapturedAtShopify: true, tags: 'newsletter, premiere-commande' },
    });
    const confirmed = await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', 'order.confirmed').where('aggregate_id', '=', order.id).execute();
    expect(confirmed).toHaveLength(1);
  });

  it('creates one order when the same webhook arrives several times at once', async () => {
    const copy = JSON.stringify({ ...sample(), id: 5843216790125, admin_graphql_api_id: 'gid://shopify/Order/5843216790125', name: '#1044' });
    const answers = await Promise.all(Array.from({ length: 4 }, () => importOrder(copy)));
    expect(answers.map((r) => r.statusCode).every((s) => s === 200 || s === 201), answers.map((r) => r.body).join('\n')).toBe(true);
    expect(new Set(answers.map((r) => r.json().id)).size).toBe(1);
    expect(await ordersOf('5843216790125')).toHaveLength(1);
    await expectInventoryConsistent(t);
  });

  it('answers a later version of the same order (paid -> partially refunded, fields changed) with the order already placed', async () => {
    const before = await orderWrites(t.ctx.db);
    const later = { ...sample(), financial_status: 'partially_refunded', updated_at: '2026-11-25T10:00:00+01:00', note: 'edited' };
    const res = await importOrder(later);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().externalId).toBe('5843216790123');
    expect(await orderWrites(t.ctx.db)).toEqual(before);
  });

  it('imports a local pickup (no shipping address, shipping line named after the store), authorised only', async () => {
    const pickup = {
      ...sample(),
      id: 5843216790124,
      admin_graphql_api_id: 'gid://shopify/Order/5843216790124',
      name: '#1043',
      financial_status: 'authorized',
      customer_locale: 'fr-FR',
      shipping_address: null,
      shipping_lines: [{ code: 'Paris Rivoli', title: 'Paris Rivoli', price: '0.00', discount_allocations: [] }],
      total_price: '112.32',
    };
    const res = await importOrder(pickup);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      externalId: '5843216790124',
      delivery: { method: 'pickup', pickupLocationId: 'store-paris', address: null },
      customer: { locale: 'fr-FR' },
      totals: { shippingMinor: 0, totalMinor: 11232 },
      payments: [{ status: 'authorised', authorisedMinor: 11232, capturedMinor: 0 }],
    });
    expect((await timeline(res.json().id)).map((e) => e.event)).not.toContain('payment.captured');
    await expectInventoryConsistent(t);
  });

  it('refuses an unmappable order with every problem listed (no SKU, unknown SKU, unsupported currency) and writes nothing', async () => {
    const before = await orderWrites(t.ctx.db);
    const bad = sample();
    bad.id = 5843216790199;
    bad.admin_graphql_api_id = 'gid://shopify/Order/5843216790199';
    bad.currency = 'XBT';
    bad.line_items[0].sku = '';
    bad.line_items[1].sku = 'INCONNU-42';
    bad.line_items.push({ ...bad.line_items[1], sku: 'RETIRE' });
    const res = await importOrder(bad);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('shopify_order_unmappable');
    expect(res.json().error.details.problems).toEqual([
      { field: 'currency', message: expect.stringContaining('XBT') },
      { field: 'line_items[0].sku', message: expect.stringContaining('no SKU') },
      { field: 'line_items[1].sku', message: expect.stringContaining('INCONNU-42') },
      { field: 'line_items[2].sku', message: expect.stringContaining('RETIRE') },
    ]);
    expect(await orderWrites(t.ctx.db)).toEqual(before);
    expect(await ordersOf('5843216790199')).toHaveLength(0);
  });

  it.each([
    ['totals that do not add up (a tip)', (o: Json) => ({ ...o, total_price: '121.22', total_tip_received: '3.00' }), 'total_price'],
    ['prices without tax', (o: Json) => ({ ...o, taxes_included: false }), 'taxes_included'],
    ['a cancelled order', (o: Json) => ({ ...o, cancelled_at: '2026-11-23T08:00:00+01:00', financial_status: 'voided' }), 'cancelled_at'],
    ['an amount with more decimals than EUR has', (o: Json) => ({ ...o, line_items: [{ ...o.line_items[0], price: '49.901' }, o.line_items[1]] }), 'line_items[0].price'],
    ['a pickup line naming no Ordo store', (o: Json) => ({ ...o, shipping_address: null, shipping_lines: [{ code: 'Lille', title: 'Lille Centre', price: '0.00' }], total_price: '112.32' }), 'shipping_address'],
    ['an id that lost digits in JSON', (o: Json) => `{"id": 820982911946154508, ${JSON.stringify({ ...o, admin_graphql_api_id: null }).slice(1).replace(/"id":\d+,/, '')}`, 'id'],
  ])('refuses %s: 422, nothing written', async (_label, change, field) => {
    const before = await orderWrites(t.ctx.db);
    const o = sample();
    o.id = 5843216790200;
    o.admin_graphql_api_id = 'gid://shopify/Order/5843216790200';
    const res = await importOrder(change(o));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.problems.map((p: Json) => p.field)).toContain(field);
    expect(await orderWrites(t.ctx.db)).toEqual(before);
  });

  it('refuses an unknown or closed channel as a listed problem, nothing written', async () => {
    const before = await orderWrites(t.ctx.db);
    for (const channel of ['shopify-de', 'shopify-closed']) {
      const res = await importOrder({ ...sample(), id: 5843216790300, admin_graphql_api_id: null }, { channel });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.details.problems).toContainEqual({ field: 'channel', message: expect.stringContaining(channel) });
    }
    expect(await orderWrites(t.ctx.db)).toEqual(before);
  });

  it.each([
    ['no line items', (o: Json) => ({ ...o, line_items: [] })],
    ['a price as a number', (o: Json) => ({ ...o, total_price: 118.22 })],
    ['a quantity of 0', (o: Json) => ({ ...o, line_items: [{ ...o.line_items[0], quantity: 0 }] })],
    ['no id', (o: Json) => ({ ...o, id: undefined })],
  ])('answers 400 to a body that is not a Shopify order (%s), nothing written', async (_label, change) => {
    const before = await orderWrites(t.ctx.db);
    const res = await importOrder(change({ ...sample(), id: 5843216790400, admin_graphql_api_id: null }));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(await orderWrites(t.ctx.db)).toEqual(before);
  });

  it('cancelling the imported orders refunds what Shopify captured and voids what it only authorised', async () => {
    const [paid] = await ordersOf('5843216790123');
    const [authorised] = await ordersOf('5843216790124');
    const cancel = (id: string) => t.app.inject({ method: 'POST', url: `/v1/orders/${id}/cancel`, headers: t.admin });
    expect((await cancel(paid!.id)).json().payments).toMatchObject([{ capturedMinor: 11822, refundedMinor: 11822, voidedMinor: 0 }]);
    expect((await cancel(authorised!.id)).json().payments).toMatchObject([{ capturedMinor: 0, refundedMinor: 0, voidedMinor: 11232 }]);
    await expectInventoryConsistent(t);
  });

  it('lets only admin and integration keys import; a missing channel is a 400', async () => {
    const before = await orderWrites(t.ctx.db);
    expect((await importOrder({ ...sample(), id: 5843216790500, admin_graphql_api_id: null }, { headers: store })).statusCode).toBe(403);
    const noChannel = await t.app.inject({ method: 'POST', url: '/v1/integrations/shopify/orders', headers: integration, payload: sample() });
    expect(noChannel.statusCode).toBe(400);
    expect(await orderWrites(t.ctx.db)).toEqual(before);
  });
});
