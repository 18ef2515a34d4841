import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { PromiseInputs } from '../../src/modules/promise/promise-inputs.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { alice, buildOrderNetwork, expectInventoryConsistent, MONDAY_MORNING, newKey, orderWrites, placeOrder, position, toParis } from './fixtures.js';

describe('POST /v1/orders', () => {
  let t: TestApp;
  let parisKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ parisKey } = await buildOrderNetwork(t));
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(MONDAY_MORNING));

  const events = async (orderId: string) =>
    t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_type', '=', 'order').where('aggregate_id', '=', orderId).where('type', 'not like', 'fulfillment.%').orderBy('id').execute();

  it('ships a web order: server totals, stock reserved where the promise sources it, payment authorised, timeline and order.confirmed in one go', async () => {
    const before = await position(t.ctx.db, 'SKU-1', 'store-paris');
    const res = await placeOrder(t, {
      lines: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1, discountMinor: 990 }],
      discountMinor: 500,
      shippingMinor: 490,
      payment: { provider: 'manual', reference: 'psp-123' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      number: expect.stringMatching(/^ORD-2026-\d{6}$/),
      channel: 'web',
      channelType: 'web',
      status: 'allocated',
      currency: 'EUR',
      customer: { email: alice.email, name: 'Alice Martin', locale: 'fr-FR', customerId: expect.any(String) },
      delivery: { method: 'ship', service: 'standard', address: toParis.address, pickupLocationId: null },
      totals: { subtotalMinor: 2 * 4990 + 7990, discountMinor: 990 + 500, shippingMinor: 490, totalMinor: 2 * 4990 + 7990 - 990 - 500 + 490 },
      promise: { optionId: 'ship:standard', confidence: 1, earliest: '2026-11-23T23:00:00.000Z', latest: '2026-11-24T22:59:59.000Z' },
    });
    // The shares of the order discount follow the line amounts; line totals add up to the total.
    expect(order.lines.map((l: { totalMinor: number }) => l.totalMinor).reduce((a: number, b: number) => a + b, 0) + 490).toBe(order.totals.totalMinor);
    expect(order.lines.map((l: { status: string }) => l.status)).toEqual(['allocated', 'allocated']);
    const [sweater, jeans] = order.lines;
    expect(sweater.allocations).toEqual([
      expect.objectContaining({ locationId: 'store-paris', quantity: 2, status: 'reserved', holdId: expect.any(String), reservationId: expect.any(String), earliest: '2026-11-24', latest: '2026-11-24' }),
    ]);
    expect(jeans.allocations[0]).toMatchObject({ quantity: 1, status: 'reserved', carrier: { carrierId: 'post' } });
    expect(order.payments).toMatchObject([
      { provider: 'manual', reference: 'psp-123', status: 'authorised', authorisedMinor: order.totals.totalMinor, capturedMinor: 0, events: [{ operation: 'authorise', amountMinor: order.totals.totalMinor }] },
    ]);

    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });
    const reservation = await t.ctx.db.selectFrom('reservation').select('status').where('id', '=', sweater.allocations[0].reservationId).executeTakeFirstOrThrow();
    expect(reservation.status).toBe('consumed');
    await expectInventoryConsistent(t);

    const timeline = (await t.app.inject({ url: `/v1/orders/${order.id}/timeline`, headers: t.admin })).json();
    expect(timeline.items.map((e: { event: string }) => e.event)).toEqual(['order.created', 'payment.authorised', 'fulfillment.created']);
    expect(timeline.items[0]).toMatchObject({ actor: 'key:bootstrap-admin', statusFrom: 'pending', statusTo: 'allocated', details: { optionId: 'ship:standard', source: 'promise' } });

    const [confirmed, ...others] = await events(order.id);
    expect(others).toEqual([]);
    // All the order's transaction announced: the stock it reserved, the order and its fulfillment. Not the
    // hold and the promise it made and consumed in the same transaction: nobody could have seen them.
    const { rows: announced } = await sql<{ type: string }>`
      SELECT type FROM outbox_event WHERE xid = (SELECT xid FROM outbox_event WHERE type = 'order.confirmed' AND aggregate_id = ${order.id}) ORDER BY type`.execute(t.ctx.db);
    expect(announced.map((e) => e.type)).toEqual(['fulfillment.created', 'order.confirmed', 'stock.changed', 'stock.changed']);
    expect(confirmed).toMatchObject({
      type: 'order.confirmed',
      payload: {
        orderId: order.id,
        orderNumber: order.number,
        channelId: 'web',
        channelType: 'web',
        currency: 'EUR',
        customer: { customerId: order.customer.customerId, email: alice.email, phone: alice.phone, name: 'Alice Martin', locale: 'fr-FR', marketingOptOut: false },
        lines: [
          { lineId: sweater.id, sku: 'SKU-1', name: 'Pull marin', quantity: 2, unitPriceMinor: 4990, lineTotalMinor: sweater.totalMinor },
          { lineId: jeans.id, sku: 'SKU-2', name: 'Jean brut', quantity: 1, unitPriceMinor: 7990, lineTotalMinor: jeans.totalMinor },
        ],
        totals: order.totals,
        delivery: { method: 'ship', service: 'standard' },
        promise: { earliest: order.promise.earliest, latest: order.promise.latest, confidence: 1 },
      },
    });

    const read = await t.app.inject({ url: `/v1/orders/${order.id}`, headers: t.admin });
    expect(read.json()).toEqual(order);
    const byNumber = await t.app.inject({ url: `/v1/orders/${order.number}`, headers: t.admin });
    expect(byNumber.json().id).toBe(order.id);
  });

  it('asks for the promise inputs once, alongside its facts rather than after them', async () => {
    const steps: string[] = [];
    const executor = t.ctx.db.getExecutor();
    const executeQuery = executor.executeQuery.bind(executor);
    const queries = vi.spyOn(executor, 'executeQuery').mockImplementation(((query: Parameters<typeof executeQuery>[0]) => {
      const facts = query.sql.includes('sales_order_number_seq');
      if (facts) steps.push('facts asked');
      return executeQuery(query).then((r) => (facts && steps.push('facts answered'), r));
    }) as typeof executeQuery);
    const inputs = vi.spyOn(t.ctx.promiseData.inputs, 'read');
    inputs.mockImplementation(async (skus, fromDay) => {
      steps.push('inputs asked');
      return PromiseInputs.prototype.read.call(t.ctx.promiseData.inputs, skus, fromDay);
    });
    try {
      const res = await placeOrder(t, { lines: [{ sku: 'SKU-2', quantity: 1 }] });
      expect(res.statusCode, res.body).toBe(201);
      expect(inputs).toHaveBeenCalledTimes(1);
      expect(inputs.mock.calls[0]![0]).toEqual(['SKU-2']);
      expect(steps.indexOf('inputs asked')).toBeLessThan(steps.indexOf('facts answered'));
    } finally {
      queries.mockRestore();
      inputs.mockRestore();
    }
  });

  it('needs an Idempotency-Key; a replay answers the original order and writes nothing; the same key with another body is a 422', async () => {
    const body = { lines: [{ sku: 'SKU-2', quantity: 1 }] };
    const missing = await placeOrder(t, body, { key: null });
    expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'idempotency_key_required']);

    const key = newKey();
    const first = await placeOrder(t, body, { key });
    expect(first.statusCode, first.body).toBe(201);
    const writes = await orderWrites(t.ctx.db);
    const again = await placeOrder(t, body, { key });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
    // The stored answer is found before the request is checked: a product withdrawn since changes nothing.
    await sql`UPDATE product SET active = false WHERE sku = 'SKU-2'`.execute(t.ctx.db);
    const later = await placeOrder(t, body, { key });
    await sql`UPDATE product SET active = true WHERE sku = 'SKU-2'`.execute(t.ctx.db);
    expect([later.statusCode, later.json()]).toEqual([201, first.json()]);

    const other = await placeOrder(t, { lines: [{ sku: 'SKU-2', quantity: 2 }] }, { key });
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'idempotency_key_reused']);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['an unknown SKU', { lines: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'unknown_sku'],
    ['an inactive product', { lines: [{ sku: 'SKU-OLD', quantity: 1 }] }, 422, 'unknown_sku'],
    ['an unknown channel', { channel: 'fax' }, 422, 'unknown_channel'],
    ['an inactive channel', { channel: 'closed' }, 422, 'channel_inactive'],
    ['a product without a price in the currency', { lines: [{ sku: 'SKU-NOPRICE', quantity: 1 }] }, 422, 'price_missing'],
    ['a currency that is not ISO 4217-shaped', { currency: 'euro' }, 400, 'validation_failed'],
    ['a discount above its line', { lines: [{ sku: 'SKU-1', quantity: 1, discountMinor: 5000 }] }, 422, 'invalid_amount'],
    ['an order discount above the lines', { discountMinor: 999_999 }, 422, 'invalid_amount'],
    ['a quantity of zero', { lines: [{ sku: 'SKU-1', quantity: 0 }] }, 400, 'validation_failed'],
    ['a quantity as a string', { lines: [{ sku: 'SKU-1', quantity: '1' }] }, 400, 'validation_failed'],
    ['an unknown field', { coupon: 'FREE' }, 400, 'validation_failed'],
    ['no lines', { lines: [] }, 400, 'validation_failed'],
    ['ship without an address', { delivery: { method: 'ship', service: 'standard' } }, 422, 'invalid_delivery'],
    ['ship without a service', { delivery: { method: 'ship', address: toParis.address } }, 422, 'invalid_delivery'],
    ['an unknown postal code', { delivery: { ...toParis, address: { postalCode: '00000', country: 'FR' } } }, 400, 'unknown_postal_code'],
    ['pickup at a warehouse', { delivery: { method: 'pickup', pickupLocationId: 'wh-lyon' } }, 422, 'invalid_delivery'],
    ['pickup at an unknown store', { delivery: { method: 'pickup', pickupLocationId: 'store-nowhere' } }, 422, 'invalid_delivery'],
    ['pickup with an address', { delivery: { method: 'pickup', pickupLocationId: 'store-lyon', address: toParis.address } }, 422, 'invalid_delivery'],
    ['carry_out on the web', { delivery: { method: 'carry_out' } }, 422, 'invalid_delivery'],
    ['a pos order without its store', { channel: 'pos', delivery: toParis }, 422, 'origin_required'],
    ['no customer on the web', { customer: undefined }, 422, 'customer_required'],
    ['a customer without e-mail or phone', { customer: { name: 'X' } }, 422, 'customer_required'],
    ['a malformed e-mail', { customer: { email: 'not-an-email' } }, 400, 'validation_failed'],
    ['a payment with another amount', { payment: { provider: 'manual', amountMinor: 1 } }, 422, 'payment_amount_mismatch'],
    ['an unknown payment provider', { payment: { provider: 'bitcoin' } }, 422, 'unknown_payment_provider'],
    ['a payment for reserve & collect', { delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }], payment: { provider: 'manual' } }, 422, 'payment_not_allowed'],
    ['both a promise token and a reservation', { promiseToken: '00000000-0000-4000-8000-000000000001', reservationId: '00000000-0000-4000-8000-000000000002' }, 422, 'source_conflict'],
    ['an unknown promise token', { promiseToken: '00000000-0000-4000-8000-000000000001' }, 404, 'promise_hold_not_found'],
    ['an unknown reservation', { reservationId: '00000000-0000-4000-8000-000000000002' }, 404, 'hold_not_found'],
    ['more than the network holds', { lines: [{ sku: 'SKU-1', quantity: 3 }, { sku: 'SKU-2', quantity: 50 }] }, 409, 'out_of_stock'],
    ['a country no carrier delivers', { delivery: { ...toParis, address: { postalCode: '1010', country: 'AT' } } }, 409, 'delivery_unavailable'],
  ])('refuses %s and writes nothing', async (_what, body, status, code) => {
    const writes = await orderWrites(t.ctx.db);
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }], ...body });
    expect([res.statusCode, res.json().error?.code], res.body).toEqual([status, code]);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
  });

  it('lists every shortfall when lines cannot be served', async () => {
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 50 }, { sku: 'SKU-2', quantity: 50 }] });
    expect(res.statusCode).toBe(409);
    const { details } = res.json().error;
    expect(details.optionId).toBe('ship:standard');
    expect(details.shortfalls.map((s: { sku: string }) => s.sku).sort()).toEqual(['SKU-1', 'SKU-2']);
  });

  it('backorders a backorderable product with the date of its incoming supply', async () => {
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-PRE', quantity: 2 }] });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order.status).toBe('backordered');
    expect(order.lines[0]).toMatchObject({ status: 'backordered', allocations: [{ locationId: 'wh-lyon', quantity: 2, status: 'backordered', availableFrom: '2026-12-01T08:00:00.000Z', holdId: null }] });
    expect(order.promise.option.preorder).toBe(true);
    expect(await position(t.ctx.db, 'SKU-PRE', 'wh-lyon')).toEqual({ onHand: 0, reserved: 0 });
  });

  it('click & collect: from the store shelf, or transferred from the warehouse with a later ready time', async () => {
    const shelf = await placeOrder(t, { delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }], payment: { provider: 'manual' } });
    expect(shelf.statusCode, shelf.body).toBe(201);
    expect(shelf.json()).toMatchObject({ status: 'allocated', delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, promise: { optionId: 'click_and_collect:store-lyon' } });
    expect(shelf.json().lines[0].allocations).toMatchObject([{ locationId: 'store-lyon', transfer: false, status: 'reserved' }]);

    const transfer = await placeOrder(t, { delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(transfer.statusCode, transfer.body).toBe(201);
    const allocation = transfer.json().lines[0].allocations[0];
    expect(allocation).toMatchObject({ locationId: 'wh-lyon', transfer: true, status: 'reserved' });
    expect(allocation.earliest > shelf.json().lines[0].allocations[0].earliest).toBe(true);
    // The answer is built from the rows written: it is what reading the order back gives, fulfillments linked.
    for (const placed of [shelf, transfer]) {
      const read = await t.app.inject({ url: `/v1/orders/${placed.json().id}`, headers: t.admin });
      expect(read.json()).toEqual(placed.json());
      expect(placed.json().lines[0].allocations[0].fulfillmentId).toEqual(expect.any(String));
    }
    const [confirmed] = await events(transfer.json().id);
    expect(confirmed!.payload).toMatchObject({ delivery: { method: 'pickup', pickupLocation: { locationId: 'store-lyon', name: 'Lyon Part-Dieu', timeZone: 'Europe/Paris', address: { postalCode: '69003', city: 'Lyon' } } } });
  });

  it('reserve & collect holds the store shelf and takes no payment', async () => {
    const before = await position(t.ctx.db, 'SKU-3', 'store-lyon');
    const res = await placeOrder(t, { delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'allocated', payments: [], promise: { optionId: 'reserve_and_collect:store-lyon' } });
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: before.onHand, reserved: before.reserved + 1 });
    // Only the store's own shelves: the warehouse's jeans do not make a reserve & collect in Lyon.
    const none = await placeOrder(t, { delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'out_of_stock']);
  });

  it('carry_out at the counter: stock leaves the store at once, payment captured, order completed', async () => {
    const stocked = await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-2', headers: t.admin, payload: { onHand: 3, asOf: '2026-11-23T08:00:00Z' } });
    expect(stocked.statusCode, stocked.body).toBe(200);
    const before = await position(t.ctx.db, 'SKU-2', 'store-paris');
    const res = await placeOrder(
      t,
      { channel: 'pos', customer: { email: 'ALICE.MARTIN@example.fr' }, delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris', associate: 'emma' }, lines: [{ sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual', reference: 'till-7' } },
      { auth: parisKey },
    );
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({ status: 'completed', channelType: 'pos', origin: { storeId: 'store-paris', associate: 'emma' }, promise: null });
    expect(order.lines[0]).toMatchObject({ status: 'completed', allocations: [{ locationId: 'store-paris', status: 'fulfilled', quantity: 1 }] });
    expect(order.payments[0]).toMatchObject({ status: 'captured', capturedMinor: 7990, events: [{ operation: 'authorise' }, { operation: 'capture' }] });
    expect((await t.app.inject({ url: `/v1/orders/${order.id}`, headers: t.admin })).json()).toEqual(order);
    expect(await position(t.ctx.db, 'SKU-2', 'store-paris')).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    const ledger = await t.ctx.db.selectFrom('inventory_ledger').selectAll().where('reference', '=', order.number).execute();
    expect(ledger).toMatchObject([{ cause: 'sale', sku: 'SKU-2', location_id: 'store-paris', on_hand_before: before.onHand, on_hand_after: before.onHand - 1 }]);
    const [confirmed] = await events(order.id);
    expect(confirmed!.payload).toMatchObject({ channelType: 'pos', delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris', associate: 'emma', storeName: 'Paris Rivoli' } });
    await expectInventoryConsistent(t);

    const free = before.onHand - 1 - before.reserved;
    const gone = await placeOrder(t, { channel: 'pos', delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris' }, lines: [{ sku: 'SKU-2', quantity: free + 1 }] }, { auth: parisKey });
    expect([gone.statusCode, gone.json().error.code]).toEqual([409, 'out_of_stock']);
    expect(gone.json().error.details.shortfalls).toEqual([{ sku: 'SKU-2', locationId: 'store-paris', requested: free + 1, available: free }]);
    const otherStore = await placeOrder(t, { channel: 'pos', delivery: { method: 'carry_out' }, origin: { storeId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }] }, { auth: parisKey });
    expect([otherStore.statusCode, otherStore.json().error.code]).toEqual([403, 'origin_out_of_scope']);
  });

  it('a store associate orders for home delivery (endless aisle) from her store', async () => {
    const res = await placeOrder(t, { channel: 'pos', origin: { storeId: 'store-paris', associate: 'emma' }, lines: [{ sku: 'SKU-2', quantity: 2 }] }, { auth: parisKey });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'allocated', delivery: { method: 'ship' }, origin: { storeId: 'store-paris' } });
    expect(res.json().lines[0].allocations[0].locationId).toBe('wh-lyon');
  });

  it('takes orders from every channel type', async () => {
    for (const channel of ['app', 'callcenter', 'social', 'marketplace:zalando']) {
      const res = await placeOrder(t, { channel, lines: [{ sku: 'SKU-2', quantity: 1 }] });
      expect(res.statusCode, `${channel}: ${res.body}`).toBe(201);
      expect(res.json().channel).toBe(channel);
    }
  });

  it('imports a marketplace order once: the same externalId answers the existing order', async () => {
    const body = { channel: 'marketplace:zalando', externalId: 'ZAL-991', lines: [{ sku: 'SKU-2', quantity: 1 }], payment: { provider: 'manual', reference: 'zalando-991' } };
    const first = await placeOrder(t, body);
    expect(first.statusCode, first.body).toBe(201);
    const writes = await orderWrites(t.ctx.db);
    const second = await placeOrder(t, body);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect({ ...(await orderWrites(t.ctx.db)), keys: writes.keys }).toEqual(writes);
    // Another channel may use the same id.
    expect((await placeOrder(t, { ...body, channel: 'social' })).statusCode).toBe(201);
  });

  it('one customer across channels, matched by e-mail whatever its case', async () => {
    const rows = await t.ctx.db.selectFrom('customer').select(['id', 'email_key']).where('email_key', '=', alice.email).execute();
    expect(rows).toHaveLength(1);
  });
});
