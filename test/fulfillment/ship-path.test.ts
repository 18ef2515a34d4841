import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceEvents } from '../../src/db/outbox.js';
import { verifySignature } from '../../src/modules/webhooks/webhook-signature.js';
import { expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { auth, bob, buildShipNetwork, createStoreKey, fulfillmentsOf, lastLedgerId, ledgerRows, stepAs, toBob } from './ship-fixtures.js';

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe('J1 ship to home: fallback sourcing, then accept, pick, pack, ship with a label, deliver', () => {
  let t: TestApp;
  let receiver: Receiver;
  let keys: { paris: string; lille: string; supplier: string; wms: string };
  let hookSecret: string;

  beforeAll(async () => {
    t = await createTestApp();
    await buildShipNetwork(t);
    receiver = await startReceiver(() => 200, { now: () => t.clock.now().getTime() });
    const hook = await t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: t.admin, payload: { url: `${receiver.url}/roanne`, eventTypes: ['fulfillment.created'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    hookSecret = hook.json().secret;
    const wms = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'Saint-Priest WMS', role: 'integration' } });
    keys = {
      paris: await createStoreKey(t, 'paris till', ['store-paris']),
      lille: await createStoreKey(t, 'lille till', ['store-lille']),
      supplier: await createStoreKey(t, 'Bottier de Roanne portal', ['sup-roanne']),
      wms: String(wms.json().secret),
    };
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  const step = (key: string, f: { id: string }, name: string, payload?: object) => stepAs(t, key, f, name, payload);
  const getOrder = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: t.admin })).json();
  const positions = async () => ({
    paris: await position(t.ctx.db, 'PULL', 'store-paris'),
    marseille: await position(t.ctx.db, 'PULL', 'store-marseille'),
    lille: await position(t.ctx.db, 'PULL', 'store-lille'),
    wh: await position(t.ctx.db, 'JEAN', 'wh-lyon'),
    supplier: await position(t.ctx.db, 'BOOTS', 'sup-roanne'),
  });
  const captured = async (orderId: string) => (await getOrder(orderId)).payments.reduce((s: number, p: { capturedMinor: number }) => s + p.capturedMinor, 0);
  const deliverWebhooks = async (done: () => boolean) => {
    for (let i = 0; i < 20 && !done(); i++) {
      await sequenceEvents(t.ctx.db);
      await t.ctx.dispatcher.tick();
      await t.ctx.webhookSender.tick();
      await t.ctx.webhookSender.idle();
    }
    expect(done()).toBe(true);
  };

  it('sources Bob’s order past the empty nearest store, ships it from three places and completes it', async () => {
    // Bob in Lille: Lille has nothing, so the pull comes from Paris (the next store; Marseille is dearer),
    // the jeans from the warehouse (no store has any), the boots from the drop-ship supplier.
    const placed = await placeOrder(t, {
      customer: bob, delivery: toBob, shippingMinor: 590, payment: { provider: 'manual' },
      lines: [{ sku: 'PULL', quantity: 2 }, { sku: 'JEAN', quantity: 1 }, { sku: 'BOOTS', quantity: 1 }],
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json();
    expect(order.status).toBe('allocated');
    expect(order.totals.totalMinor).toBe(9980 + 7990 + 12900 + 590);
    expect(order.lines.map((l: { sku: string; allocations: Array<{ locationId: string }> }) => [l.sku, l.allocations.map((a) => a.locationId)])).toEqual([
      ['PULL', ['store-paris']], ['JEAN', ['wh-lyon']], ['BOOTS', ['sup-roanne']],
    ]);
    const list = await fulfillmentsOf(t, order.number);
    const at = (loc: string) => list.find((f) => f.locationId === loc)!;
    expect(list.map((f) => [f.locationId, f.kind, f.status, f.dropShip]).sort()).toEqual([
      ['store-paris', 'ship', 'pending', false], ['sup-roanne', 'ship', 'pending', true], ['wh-lyon', 'ship', 'pending', false],
    ]);
    const [paris, wh, supplier] = [at('store-paris'), at('wh-lyon'), at('sup-roanne')];
    const start = { paris: { onHand: 3, reserved: 2 }, marseille: { onHand: 4, reserved: 0 }, lille: { onHand: 0, reserved: 0 }, wh: { onHand: 10, reserved: 1 }, supplier: { onHand: 20, reserved: 1 } };
    expect(await positions()).toEqual(start);
    await expectInventoryConsistent(t);

    // Paris: accept, pick, pack in two parcels; no stock moves until the parcels leave.
    t.clock.set('2026-11-23T10:00:00Z');
    let mark = await lastLedgerId(t);
    const unchanged = async () => {
      expect(await positions()).toEqual(start);
      expect(await ledgerRows(t, 'PULL', 'store-paris', mark)).toEqual([]);
      await expectInventoryConsistent(t);
    };
    expect((await step(keys.paris, paris, 'accept')).status).toBe('accepted');
    expect((await getOrder(order.id)).status).toBe('in_fulfillment');
    await unchanged();
    await step(keys.paris, paris, 'pick', { lines: [{ sku: 'PULL', quantity: 2 }] });
    await unchanged();
    const packed = await step(keys.paris, paris, 'pack', { parcels: [{ weightGrams: 600, reference: 'box-1' }, { weightGrams: 450 }] });
    expect(packed).toMatchObject({ status: 'packed', parcels: [{ weightGrams: 600, reference: 'box-1' }, { weightGrams: 450 }] });
    await unchanged();

    // A store key cannot touch (nor see the label of) another store's fulfillment.
    const foreign = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${paris.id}/ship`, headers: auth(keys.lille), payload: {} });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'fulfillment_not_found']);

    // Ship with the planned carrier: a label is printed, the two units leave on hand and reserved.
    const shipped = await step(keys.paris, paris, 'ship', {});
    expect(shipped).toMatchObject({ status: 'shipped', shipment: { carrierId: 'post', service: 'standard' } });
    const tracking = shipped.shipment!.trackingNumber;
    expect(tracking).toMatch(/^POST[0-9A-Z]{10}01$/);
    expect(shipped.shipment!.parcelTrackingNumbers).toEqual([tracking, `${tracking.slice(0, -2)}02`]);
    expect(shipped.shipment!.trackingUrl).toBe(`https://suivi.example/track?n=${tracking}`);
    expect(await positions()).toEqual({ ...start, paris: { onHand: 1, reserved: 0 } });
    expect(await ledgerRows(t, 'PULL', 'store-paris', mark)).toEqual([
      { cause: 'shipment', on_hand_before: 3, on_hand_after: 1, reserved_before: 2, reserved_after: 0, source: paris.lines[0]!.allocationId, reference: paris.number },
    ]);
    await expectInventoryConsistent(t);
    let now = await getOrder(order.id);
    expect([now.status, now.lines.map((l: { status: string }) => l.status)]).toEqual(['partially_shipped', ['shipped', 'allocated', 'allocated']]);
    expect(await captured(order.id)).toBe(9980 + 590); // the pulls and the delivery fee, on the first shipment

    const label = await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${paris.id}/label`, headers: auth(keys.paris) });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(label.rawPayload);
    for (const expected of [tracking, `${tracking.slice(0, -2)}02`, '59000 Lille', 'Bob Durand', '12 rue Esquermoise', 'Paris Rivoli', '75001 Paris', paris.number, order.number, 'STANDARD', '0.6 kg', '0.45 kg']) {
      expect(text).toContain(expected);
    }
    expect((await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${paris.id}/label`, headers: auth(keys.lille) })).statusCode).toBe(404);

    const shippedEvent = await t.ctx.db.selectFrom('outbox_event').select('payload').where('type', '=', 'order.shipped').where('aggregate_id', '=', order.id).executeTakeFirstOrThrow();
    expect(shippedEvent.payload).toEqual({
      orderId: order.id, orderNumber: order.number, channelId: 'web', channelType: 'web',
      customer: { customerId: order.customer.customerId, email: bob.email, phone: bob.phone, name: bob.name, locale: 'fr-FR', marketingOptOut: false }, currency: 'EUR',
      fulfillmentId: paris.id, carrier: 'La Poste test', service: 'Domicile', trackingNumber: tracking, trackingUrl: `https://suivi.example/track?n=${tracking}`,
      lines: [{ lineId: order.lines[0].id, sku: 'PULL', name: 'Pull marin', quantity: 2 }],
      promise: { earliest: order.promise.earliest, latest: order.promise.latest, confidence: 1 },
    });

    // The warehouse's WMS (an integration key) ships after its cut-off: late, recorded as such.
    t.clock.set('2026-11-23T16:30:00Z');
    mark = await lastLedgerId(t);
    await step(keys.wms, wh, 'accept');
    await step(keys.wms, wh, 'pick', { lines: [{ sku: 'JEAN', quantity: 1 }] });
    expect(await positions()).toEqual({ ...start, paris: { onHand: 1, reserved: 0 } });
    const whShipped = await step(keys.wms, wh, 'ship', { carrierId: 'post', service: 'standard', parcels: [{ weightGrams: 900 }] });
    expect(whShipped).toMatchObject({ status: 'shipped', parcels: [{ weightGrams: 900 }] });
    expect(await positions()).toEqual({ ...start, paris: { onHand: 1, reserved: 0 }, wh: { onHand: 9, reserved: 0 } });
    expect(await ledgerRows(t, 'JEAN', 'wh-lyon', mark)).toEqual([
      { cause: 'shipment', on_hand_before: 10, on_hand_after: 9, reserved_before: 1, reserved_after: 0, source: wh.lines[0]!.allocationId, reference: wh.number },
    ]);
    await expectInventoryConsistent(t);
    expect(await captured(order.id)).toBe(9980 + 590 + 7990);
    expect((await getOrder(order.id)).status).toBe('partially_shipped');

    // The supplier got its work by webhook (signed), and confirms through the API with its own tracking number.
    await deliverWebhooks(() => receiver.accepted().some((r) => (r.event.payload as { locationId: string }).locationId === 'sup-roanne'));
    const hook = receiver.accepted().find((r) => (r.event.payload as { locationId: string }).locationId === 'sup-roanne')!;
    expect(hook.path).toBe('/hooks/roanne');
    expect(verifySignature(hookSecret, hook.signature, hook.body, Math.floor(hook.receivedAt / 1000))).toMatchObject({ ok: true });
    expect(hook.event).toMatchObject({ type: 'fulfillment.created', payload: { fulfillmentId: supplier.id, dropShip: true, shipTo: { name: 'Bob Durand', postalCode: '59000' }, lines: [{ sku: 'BOOTS', quantity: 1 }] } });
    const work = (hook.event.payload as { fulfillmentId: string }).fulfillmentId;
    const otherStore = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${paris.id}/deliver`, headers: auth(keys.supplier), payload: {} });
    expect(otherStore.statusCode).toBe(404);
    t.clock.set('2026-11-24T08:00:00Z');
    mark = await lastLedgerId(t);
    await step(keys.supplier, { id: work }, 'accept');
    await step(keys.supplier, { id: work }, 'pick', { lines: [{ sku: 'BOOTS', quantity: 1 }] });
    const dropShipped = await step(keys.supplier, { id: work }, 'ship', { trackingNumber: 'RNE-778899', parcels: [{ weightGrams: 1500 }] });
    expect(dropShipped.shipment).toEqual({
      carrierId: 'post', carrierName: 'La Poste test', service: 'standard', trackingNumber: 'RNE-778899',
      trackingUrl: 'https://suivi.example/track?n=RNE-778899', parcelTrackingNumbers: ['RNE-778899'], labelId: null,
    });
    const noLabel = await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${work}/label`, headers: auth(keys.supplier) });
    expect([noLabel.statusCode, noLabel.json().error.code]).toEqual([404, 'label_not_found']);
    expect(await ledgerRows(t, 'BOOTS', 'sup-roanne', mark)).toEqual([
      { cause: 'shipment', on_hand_before: 20, on_hand_after: 19, reserved_before: 1, reserved_after: 0, source: supplier.lines[0]!.allocationId, reference: supplier.number },
    ]);
    const allShipped = { ...start, paris: { onHand: 1, reserved: 0 }, wh: { onHand: 9, reserved: 0 }, supplier: { onHand: 19, reserved: 0 } };
    expect(await positions()).toEqual(allShipped);
    await expectInventoryConsistent(t);
    now = await getOrder(order.id);
    expect([now.status, now.lines.map((l: { status: string }) => l.status)]).toEqual(['shipped', ['shipped', 'shipped', 'shipped']]);
    expect(await captured(order.id)).toBe(order.totals.totalMinor); // the last shipment takes the rest: exactly the total
    expect(now.payments[0].status).toBe('captured');

    // Deliveries: the Paris store reports its own (with the carrier's time); the carrier integration the others.
    t.clock.set('2026-11-24T12:00:00Z');
    const future = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${paris.id}/deliver`, headers: auth(keys.paris), payload: { deliveredAt: '2026-11-24T12:00:01Z' } });
    expect([future.statusCode, future.json().error.code]).toEqual([422, 'delivery_date_invalid']);
    const delivered = await step(keys.paris, paris, 'deliver', { deliveredAt: '2026-11-24T10:30:00Z' });
    expect(delivered).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-24T10:30:00.000Z', endedAt: '2026-11-24T10:30:00.000Z' });
    now = await getOrder(order.id);
    expect([now.status, now.lines.map((l: { status: string }) => l.status)]).toEqual(['shipped', ['completed', 'shipped', 'shipped']]);
    // The delivery teaches the lane's transit distribution, once per tracking number.
    const learned = await t.ctx.db.selectFrom('transit_observation').select(['shipment_reference', 'origin_location_id', 'transit_days']).where('shipment_reference', '=', String(delivered.shipment?.trackingNumber)).execute();
    expect(learned).toMatchObject([{ origin_location_id: 'store-paris', transit_days: 1 }]);
    t.clock.set('2026-11-26T10:00:00Z');
    await step(keys.wms, wh, 'deliver');
    await step(keys.wms, { id: work }, 'deliver', { deliveredAt: '2026-11-25T15:00:00Z' });
    now = await getOrder(order.id);
    expect([now.status, now.lines.map((l: { status: string }) => l.status)]).toEqual(['completed', ['completed', 'completed', 'completed']]);
    expect(await positions()).toEqual(allShipped);
    expect(await captured(order.id)).toBe(order.totals.totalMinor);
    await expectInventoryConsistent(t);

    // The order went allocated → in_fulfillment → partially_shipped → shipped → completed, each step in the timeline.
    const timeline = (await t.app.inject({ method: 'GET', url: `/v1/orders/${order.id}/timeline`, headers: t.admin })).json().items as Array<{ event: string; statusFrom: string | null; statusTo: string | null }>;
    const progress = timeline.filter((e) => e.event === 'order.progressed' && e.statusFrom !== e.statusTo).map((e) => `${e.statusFrom}→${e.statusTo}`);
    expect(progress).toEqual(['allocated→in_fulfillment', 'in_fulfillment→partially_shipped', 'partially_shipped→shipped', 'shipped→completed']);
    expect(timeline.filter((e) => e.event === 'payment.captured')).toHaveLength(3);
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type']).where('aggregate_id', '=', order.id).where('type', 'like', '%shipped').execute();
    expect(events.map((e) => e.type).sort()).toEqual(['fulfillment.shipped', 'fulfillment.shipped', 'fulfillment.shipped', 'order.shipped', 'order.shipped', 'order.shipped']);
    const performance = await t.ctx.db.selectFrom('location_performance').select(['location_id', 'fulfillments', 'late_shipments']).orderBy('location_id').execute();
    expect(performance).toEqual([
      { location_id: 'store-paris', fulfillments: 1, late_shipments: 0 },
      { location_id: 'sup-roanne', fulfillments: 1, late_shipments: 0 },
      { location_id: 'wh-lyon', fulfillments: 1, late_shipments: 1 },
    ]);
  });
});
