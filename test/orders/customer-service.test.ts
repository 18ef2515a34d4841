import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/shared/actor.js';
import { lockOrderPayments } from '../../src/modules/payments/payment.repository.js';
import { operatePayment } from '../../src/modules/payments/record-payment.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { alice, buildOrderNetwork, expectInventoryConsistent, MONDAY_MORNING, orderWrites, placeOrder, position, toParis } from './fixtures.js';

describe('customer service: cancel, change the address, find orders and customers', () => {
  let t: TestApp;
  let parisKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ parisKey } = await buildOrderNetwork(t));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(MONDAY_MORNING);
    await t.ctx.availability.refresh();
  });

  const place = async (body: Record<string, unknown>, auth?: string) => {
    const res = await placeOrder(t, body, auth ? { auth } : {});
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const cancel = (id: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/v1/orders/${id}/cancel`, headers: { ...t.admin, ...headers }, payload: body });
  const events = async (orderId: string) =>
    (await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_type', '=', 'order').where('aggregate_id', '=', orderId).where('type', 'not like', 'fulfillment.%').orderBy('id').execute()) as Array<{ type: string; payload: Record<string, unknown> }>;
  const timeline = async (id: string) => (await t.app.inject({ url: `/v1/orders/${id}/timeline`, headers: t.admin })).json().items.filter((e: { event: string }) => !e.event.startsWith('fulfillment.')) as Array<{ event: string; statusFrom: string | null; statusTo: string | null; lineId: string | null; details: Record<string, unknown> }>;

  it('cancels a whole order: stock released, authorisation voided, order.cancelled, timeline', async () => {
    const before = await position(t.ctx.db, 'SKU-2', 'wh-lyon');
    const order = await place({ lines: [{ sku: 'SKU-2', quantity: 2 }], shippingMinor: 490, payment: { provider: 'manual' } });
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });

    const res = await cancel(order.id, { reason: 'customer_request', note: 'changed her mind' });
    expect(res.statusCode, res.body).toBe(200);
    const cancelled = res.json();
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'customer_request', cancelledAt: MONDAY_MORNING.replace('Z', '.000Z') });
    expect(cancelled.lines[0]).toMatchObject({ status: 'cancelled', allocations: [{ status: 'released' }] });
    expect(cancelled.payments[0]).toMatchObject({ status: 'voided', voidedMinor: 2 * 7990 + 490, events: [{ operation: 'authorise' }, { operation: 'void', amountMinor: 2 * 7990 + 490 }] });
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual(before);
    const release = await t.ctx.db.selectFrom('inventory_ledger').select(['cause', 'reserved_before', 'reserved_after']).where('reference', '=', order.number).execute();
    expect(release).toEqual([{ cause: 'release', reserved_before: before.reserved + 2, reserved_after: before.reserved }]);
    await expectInventoryConsistent(t);

    expect((await timeline(order.id)).map((e) => e.event)).toEqual(['order.created', 'payment.authorised', 'line.cancelled', 'order.cancelled', 'payment.voided']);
    const cancelledEvent = (await events(order.id)).find((e) => e.type === 'order.cancelled');
    expect(cancelledEvent?.payload).toMatchObject({ orderId: order.id, orderNumber: order.number, reason: 'customer_request', lines: [{ lineId: order.lines[0].id, sku: 'SKU-2', quantity: 2, name: 'Jean brut' }], customer: { email: alice.email } });
    expect(cancelledEvent?.payload.partial).toBeUndefined();

    const writes = await orderWrites(t.ctx.db);
    const again = await cancel(order.id);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'invalid_transition']);
    expect(await orderWrites(t.ctx.db)).toEqual(writes);
  });

  it('cancels one line: the rest goes on; captured money for it is refunded (order.refunded), never more than captured', async () => {
    const order = await place({ lines: [{ sku: 'SKU-2', quantity: 1 }, { sku: 'SKU-1', quantity: 1 }], payment: { provider: 'manual' } });
    // Capture as fulfillment would, to exercise the refund path.
    await t.ctx.db.transaction().execute(async (tx) => {
      const [payment] = await lockOrderPayments(tx, order.id);
      await operatePayment(tx, t.ctx.payments, payment!, 'capture', order.totals.totalMinor, systemActor('test'), t.clock.now());
    });
    const scarf = order.lines[1];
    const res = await cancel(order.id, { lineIds: [scarf.id], reason: 'out_of_stock' });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after.status).toBe('allocated');
    expect(after.lines.map((l: { status: string }) => l.status)).toEqual(['allocated', 'cancelled']);
    expect(after.payments[0]).toMatchObject({ status: 'partially_refunded', capturedMinor: order.totals.totalMinor, refundedMinor: scarf.totalMinor });
    const types = (await events(order.id)).map((e) => e.type);
    expect(types).toEqual(['order.confirmed', 'order.cancelled', 'order.refunded']);
    const refunded = (await events(order.id))[2]!.payload;
    expect(refunded).toMatchObject({ amountMinor: scarf.totalMinor, reason: 'out_of_stock', refundId: expect.stringMatching(/^manual-refund-/) });
    expect((await events(order.id))[1]!.payload).toMatchObject({ partial: true, lines: [{ lineId: scarf.id }] });

    // The last line: the order is cancelled and the rest of the captured money goes back.
    const rest = await cancel(order.id, { lineIds: [order.lines[0].id] });
    expect(rest.json()).toMatchObject({ status: 'cancelled', payments: [{ status: 'refunded', refundedMinor: order.totals.totalMinor }] });
    await expectInventoryConsistent(t);
  });

  it('refuses to cancel what cannot be: an unknown line (422), a completed counter sale (409), another store’s order (404)', async () => {
    const order = await place({ lines: [{ sku: 'SKU-2', quantity: 1 }] });
    const unknown = await cancel(order.id, { lineIds: ['00000000-0000-4000-8000-000000000009'] });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([422, 'line_not_found']);
    const missing = await cancel('00000000-0000-4000-8000-000000000009');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'order_not_found']);
    const bad = await cancel(order.id, { reason: 'bored' });
    expect(bad.statusCode).toBe(400);

    await t.app.inject({ method: 'PUT', url: '/v1/inventory/store-paris/SKU-3', headers: t.admin, payload: { onHand: 5, asOf: '2026-11-23T08:00:00Z' } });
    const sale = await place({ channel: 'pos', customer: undefined, delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris' }, lines: [{ sku: 'SKU-3', quantity: 1 }] }, parisKey);
    const refused = await cancel(sale.id);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'invalid_transition']);
    expect(refused.json().error.details.lines).toEqual([expect.objectContaining({ from: 'completed', to: 'cancelled' })]);

    // The Paris till does not see (or cancel) a web order served from Lyon.
    const elsewhere = await t.app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: { authorization: `Bearer ${parisKey}` }, payload: {} });
    expect([elsewhere.statusCode, elsewhere.json().error.code]).toEqual([404, 'order_not_found']);
  });

  it('a cancel without a body cancels the whole order', async () => {
    const order = await place({ lines: [{ sku: 'SKU-2', quantity: 1 }] });
    const res = await t.app.inject({ method: 'POST', url: `/v1/orders/${order.number}/cancel`, headers: t.admin });
    expect([res.statusCode, res.json().status], res.body).toEqual([200, 'cancelled']);
  });

  it('a cancel with an Idempotency-Key replays its answer', async () => {
    const order = await place({ lines: [{ sku: 'SKU-2', quantity: 1 }] });
    const first = await cancel(order.id, {}, { 'idempotency-key': 'cancel-1' });
    const second = await cancel(order.id, {}, { 'idempotency-key': 'cancel-1' });
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual(first.json());
  });

  it('changes the address before shipment: same postal code keeps stock and dates; a new city re-promises and re-sources', async () => {
    const order = await place({ lines: [{ sku: 'SKU-2', quantity: 1 }] });
    const patch = (address: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/v1/orders/${order.id}/delivery`, headers: t.admin, payload: { address } });

    const sameCity = await patch({ ...toParis.address, line1: '12 rue Oberkampf' });
    expect(sameCity.statusCode, sameCity.body).toBe(200);
    expect(sameCity.json()).toMatchObject({ delivery: { address: { line1: '12 rue Oberkampf', postalCode: '75011' } }, promise: order.promise });
    expect(sameCity.json().lines[0].allocations).toEqual(order.lines[0].allocations);

    t.clock.advance(60 * 60_000);
    const before = await position(t.ctx.db, 'SKU-2', 'wh-lyon');
    const lyon = await patch({ name: 'Alice Martin', line1: '5 place Bellecour', postalCode: '69002', city: 'Lyon', country: 'FR' });
    expect(lyon.statusCode, lyon.body).toBe(200);
    const moved = lyon.json();
    expect(moved.delivery.address.postalCode).toBe('69002');
    expect(moved.status).toBe('allocated');
    expect(moved.lines[0].allocations.map((a: { status: string }) => a.status)).toEqual(['released', 'reserved']);
    expect(moved.promise.token).not.toBe(order.promise.token);
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual(before);
    await expectInventoryConsistent(t);
    const last = (await timeline(order.id)).at(-1)!;
    expect(last).toMatchObject({ event: 'delivery.changed', details: { resourced: true, from: { postalCode: '75011' }, to: { postalCode: '69002' } } });
    expect((await events(order.id)).at(-1)).toMatchObject({ type: 'order.delivery_changed', payload: { address: { postalCode: '69002' } } });

    const nowhere = await patch({ postalCode: '00000', country: 'FR' });
    expect([nowhere.statusCode, nowhere.json().error.code]).toEqual([400, 'unknown_postal_code']);
  });

  it('refuses an address change for a pickup order or a cancelled one (409)', async () => {
    const pickup = await place({ delivery: { method: 'pickup', pickupLocationId: 'store-lyon' }, lines: [{ sku: 'SKU-3', quantity: 1 }] });
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/orders/${pickup.id}/delivery`, headers: t.admin, payload: { address: toParis.address } });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'delivery_change_not_allowed']);
    await cancel(pickup.id);
    const shipped = await place({ lines: [{ sku: 'SKU-2', quantity: 1 }] });
    await cancel(shipped.id);
    const late = await t.app.inject({ method: 'PATCH', url: `/v1/orders/${shipped.id}/delivery`, headers: t.admin, payload: { address: toParis.address } });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'delivery_change_not_allowed']);
  });

  it('finds orders by e-mail, phone, status, channel, number, with keyset pages; a store key sees its stores only', async () => {
    const bob = { email: 'bob@example.co.uk', phone: '+44 7700 900123', name: 'Bob', locale: 'en-GB' };
    const first = await place({ customer: bob, lines: [{ sku: 'SKU-2', quantity: 1 }] });
    t.clock.advance(1000);
    const second = await place({ channel: 'app', customer: { ...bob, email: 'BOB@example.co.uk' }, lines: [{ sku: 'SKU-2', quantity: 1 }] });
    t.clock.advance(1000);
    const third = await place({ channel: 'pos', customer: { phone: '0044 7700 900 123' }, origin: { storeId: 'store-paris', associate: 'emma' }, lines: [{ sku: 'SKU-2', quantity: 1 }] }, parisKey);
    const list = async (query: string, auth = t.admin.authorization) => {
      const res = await t.app.inject({ url: `/v1/orders?${query}`, headers: { authorization: auth } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Array<{ id: string }>; nextCursor: string | null };
    };
    expect((await list('customerEmail=Bob@Example.co.uk')).items.map((o) => o.id)).toEqual([third.id, second.id, first.id]);
    expect((await list('phone=%2B447700900123')).items.map((o) => o.id)).toEqual([third.id, second.id, first.id]);
    expect((await list('customerEmail=bob@example.co.uk&channel=app')).items.map((o) => o.id)).toEqual([second.id]);
    expect((await list(`q=${first.number}`)).items.map((o) => o.id)).toEqual([first.id]);
    expect((await list('customerEmail=bob@example.co.uk&status=cancelled')).items).toEqual([]);

    const page1 = await list('customerEmail=bob@example.co.uk&limit=2');
    expect(page1.items.map((o) => o.id)).toEqual([third.id, second.id]);
    const page2 = await list(`customerEmail=bob@example.co.uk&limit=2&cursor=${page1.nextCursor}`);
    expect([page2.items.map((o) => o.id), page2.nextCursor]).toEqual([[first.id], null]);
    expect((await list('customerEmail=bob@example.co.uk&cursor=garbage')).items).toHaveLength(3);

    // Paris took the POS order; the web orders are served from the Lyon warehouse.
    expect((await list('customerEmail=bob@example.co.uk', `Bearer ${parisKey}`)).items.map((o) => o.id)).toEqual([third.id]);
    expect((await t.app.inject({ url: `/v1/orders/${first.id}`, headers: { authorization: `Bearer ${parisKey}` } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/v1/orders/${third.id}`, headers: { authorization: `Bearer ${parisKey}` } })).statusCode).toBe(200);
    expect((await list('locationId=wh-lyon&customerEmail=bob@example.co.uk')).items.map((o) => o.id)).toEqual([third.id, second.id, first.id]);
  });

  it('one customer across channels, with order history and lifetime value', async () => {
    const carol = { email: 'carol@example.fr', phone: '06 11 22 33 44', name: 'Carol', locale: 'fr-FR' };
    const web = await place({ customer: carol, lines: [{ sku: 'SKU-2', quantity: 1 }], shippingMinor: 490 });
    t.clock.advance(1000);
    const app = await place({ channel: 'app', customer: { email: 'Carol@Example.fr', name: 'Carol D.' }, lines: [{ sku: 'SKU-2', quantity: 2 }, { sku: 'SKU-1', quantity: 1 }] });
    await cancel(app.id, { lineIds: [app.lines[0].id] });
    const found = await t.app.inject({ url: '/v1/customers?email=CAROL@example.fr', headers: t.admin });
    expect(found.statusCode, found.body).toBe(200);
    const [customer] = found.json().items;
    expect(customer).toMatchObject({ email: 'Carol@Example.fr', name: 'Carol D.', phone: carol.phone, locale: 'fr-FR', orderCount: 2, lifetimeValue: [{ currency: 'EUR', orders: 2, totalMinor: 7990 + 490 + 4990 }] });
    expect(customer.orders.map((o: { id: string; channel: string }) => [o.id, o.channel])).toEqual([[app.id, 'app'], [web.id, 'web']]);
    expect(web.customer.customerId).toBe(customer.id);

    const byId = await t.app.inject({ url: `/v1/customers/${customer.id}`, headers: t.admin });
    expect(byId.json()).toEqual(customer);
    const byPhone = await t.app.inject({ url: '/v1/customers?phone=0611223344', headers: t.admin });
    expect(byPhone.json().items.map((c: { id: string }) => c.id)).toEqual([customer.id]);
    expect((await t.app.inject({ url: '/v1/customers/00000000-0000-4000-8000-000000000009', headers: t.admin })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/customers', headers: t.admin })).json().error.code).toBe('customer_query_missing');
  });
});
