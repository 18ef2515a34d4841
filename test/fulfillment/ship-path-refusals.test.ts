import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackingNumber } from '../../src/domain/fulfillment/tracking-number.js';
import { fail, ok } from '../../src/domain/shared/result.js';
import { carrierAdapterRegistry, type CarrierAdapter } from '../../src/modules/fulfillment/carrier-adapter.js';
import type { FulfillmentDeps } from '../../src/modules/fulfillment/fulfillment-step.js';
import { pdfLabelAdapter } from '../../src/modules/fulfillment/pdf-label-adapter.js';
import { shipFulfillment } from '../../src/modules/fulfillment/ship-fulfillment.js';
import { expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { auth, bob, buildShipNetwork, createStoreKey, fulfillmentsOf, lastLedgerId, ledgerRows, stepAs, stepWrites, toBob } from './ship-fixtures.js';

describe('ship path: refusals write nothing, transfers, pickups, store scope, carrier adapters', () => {
  let t: TestApp;
  let keys: { paris: string; lille: string; wms: string };
  beforeAll(async () => {
    t = await createTestApp();
    await buildShipNetwork(t);
    const wms = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'WMS', role: 'integration' } });
    keys = { paris: await createStoreKey(t, 'paris', ['store-paris']), lille: await createStoreKey(t, 'lille', ['store-lille']), wms: String(wms.json().secret) };
  });
  afterAll(() => t?.close());

  const order = async (body: Record<string, unknown>) => {
    const res = await placeOrder(t, { customer: bob, payment: { provider: 'manual' }, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; payments: Array<{ capturedMinor: number }> };
  };
  /** The request is refused with this status and code, and nothing at all was written. */
  const refused = async (key: string, f: { id: string }, step: string, payload: object | undefined, status: number, code: string) => {
    const before = await stepWrites(t);
    const res = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${f.id}/${step}`, headers: auth(key), ...(payload ? { payload } : {}) });
    expect([res.statusCode, res.json().error?.code], `${step}: ${res.body}`).toEqual([status, code]);
    expect(await stepWrites(t)).toEqual(before);
  };

  it('refuses shipping before the pick, packing without parcels, unknown carriers, deliveries in the future; another store gets 404', async () => {
    const o = await order({ delivery: toBob, lines: [{ sku: 'PULL', quantity: 1 }] });
    const [f] = await fulfillmentsOf(t, o.number);
    expect(f!.locationId).toBe('store-paris');
    await refused(keys.lille, f!, 'accept', undefined, 404, 'fulfillment_not_found');
    await stepAs(t, keys.paris, f!, 'accept');
    await refused(keys.paris, f!, 'ship', { parcels: [{ weightGrams: 500 }] }, 409, 'invalid_transition');
    await refused(keys.paris, f!, 'pack', { parcels: [{ weightGrams: 500 }] }, 409, 'invalid_transition');
    await stepAs(t, keys.paris, f!, 'pick', { lines: [{ sku: 'PULL', quantity: 1 }] });
    await refused(keys.paris, f!, 'pack', { parcels: [] }, 400, 'validation_failed');
    await refused(keys.paris, f!, 'pack', undefined, 400, 'validation_failed');
    await refused(keys.paris, f!, 'pack', { parcels: [{ weightGrams: 0 }] }, 400, 'validation_failed');
    await refused(keys.paris, f!, 'ship', {}, 422, 'parcels_required');
    await refused(keys.paris, f!, 'ship', { carrierId: 'dhl', parcels: [{ weightGrams: 500 }] }, 422, 'carrier_unavailable');
    await refused(keys.paris, f!, 'ship', { carrierId: 'courier', parcels: [{ weightGrams: 500 }] }, 422, 'carrier_unavailable'); // no standard service
    await refused(keys.paris, f!, 'ship', { carrierId: 'Not A Carrier!', parcels: [{ weightGrams: 500 }] }, 400, 'validation_failed');
    await refused(keys.lille, f!, 'ship', { parcels: [{ weightGrams: 500 }] }, 404, 'fulfillment_not_found');
    await refused(keys.paris, f!, 'deliver', {}, 409, 'invalid_transition');
    expect(await position(t.ctx.db, 'PULL', 'store-paris')).toEqual({ onHand: 3, reserved: 1 });

    // Packed and shipped at once, idempotently: the replay answers the same and writes nothing.
    t.clock.set('2026-11-23T11:00:00Z');
    const key = { 'idempotency-key': `ship-${o.id}` };
    const shipped = await stepAs(t, keys.paris, f!, 'ship', { parcels: [{ weightGrams: 700 }] }, key);
    expect(shipped).toMatchObject({ status: 'shipped', parcels: [{ weightGrams: 700 }], lines: [{ allocationStatus: 'fulfilled' }] });
    const before = await stepWrites(t);
    expect(await stepAs(t, keys.paris, f!, 'ship', { parcels: [{ weightGrams: 700 }] }, key)).toEqual(shipped);
    expect(await stepWrites(t)).toEqual(before);
    await refused(keys.paris, f!, 'ship', { parcels: [{ weightGrams: 700 }] }, 409, 'invalid_transition');
    expect(await position(t.ctx.db, 'PULL', 'store-paris')).toEqual({ onHand: 2, reserved: 0 });
    const events = await t.ctx.db.selectFrom('outbox_event').select('type').where('aggregate_id', '=', o.id).where('type', 'like', 'fulfillment.%').orderBy('position').execute();
    expect(events.map((e) => e.type)).toEqual(['fulfillment.created', 'fulfillment.accepted', 'fulfillment.picked', 'fulfillment.packed', 'fulfillment.shipped']);

    await refused(keys.paris, f!, 'deliver', { deliveredAt: '2026-11-23T11:00:01Z' }, 422, 'delivery_date_invalid');
    await refused(keys.paris, f!, 'deliver', { deliveredAt: '2026-11-23T10:59:59Z' }, 422, 'delivery_date_invalid');
    await refused(keys.paris, f!, 'deliver', { deliveredAt: 'yesterday' }, 400, 'validation_failed');
    await refused(keys.lille, f!, 'deliver', {}, 404, 'fulfillment_not_found');
    expect((await stepAs(t, keys.paris, f!, 'deliver')).status).toBe('delivered');
    await refused(keys.paris, f!, 'deliver', {}, 409, 'invalid_transition');
    await expectInventoryConsistent(t);
  });

  it('a pickup is never packed nor shipped; a transfer ships to the pickup store (transfer_out, no capture, no order.shipped)', async () => {
    t.clock.set('2026-11-23T12:00:00Z');
    const pickup = await order({ delivery: { method: 'pickup', pickupLocationId: 'store-paris' }, lines: [{ sku: 'PULL', quantity: 1 }] });
    const [p] = await fulfillmentsOf(t, pickup.number);
    expect(p).toMatchObject({ kind: 'pickup', locationId: 'store-paris' });
    await stepAs(t, keys.paris, p!, 'accept');
    await stepAs(t, keys.paris, p!, 'pick', { lines: [{ sku: 'PULL', quantity: 1 }] });
    await refused(keys.paris, p!, 'pack', { parcels: [{ weightGrams: 500 }] }, 409, 'invalid_transition');
    await refused(keys.paris, p!, 'ship', { parcels: [{ weightGrams: 500 }] }, 409, 'invalid_transition');

    // Jeans to collect in Lille: only the warehouse has them, so it sends them there.
    const collect = await order({ delivery: { method: 'pickup', pickupLocationId: 'store-lille' }, lines: [{ sku: 'JEAN', quantity: 2 }] });
    const transfer = (await fulfillmentsOf(t, collect.number)).find((f) => f.kind === 'transfer')!;
    expect(transfer).toMatchObject({ locationId: 'wh-lyon', lines: [{ sku: 'JEAN', quantity: 2 }] });
    expect(await position(t.ctx.db, 'JEAN', 'wh-lyon')).toEqual({ onHand: 10, reserved: 2 });
    const mark = await lastLedgerId(t);
    await stepAs(t, keys.wms, transfer, 'accept');
    await stepAs(t, keys.wms, transfer, 'pick', { lines: [{ sku: 'JEAN', quantity: 2 }] });
    await stepAs(t, keys.wms, transfer, 'pack', { parcels: [{ weightGrams: 1700 }] });
    const sent = await stepAs(t, keys.wms, transfer, 'ship');
    expect(sent).toMatchObject({ status: 'shipped', lines: [{ allocationStatus: 'transferred' }], shipment: { carrierId: 'post', service: 'standard' } });
    expect(await position(t.ctx.db, 'JEAN', 'wh-lyon')).toEqual({ onHand: 8, reserved: 0 });
    expect(await ledgerRows(t, 'JEAN', 'wh-lyon', mark)).toEqual([
      { cause: 'transfer_out', on_hand_before: 10, on_hand_after: 8, reserved_before: 2, reserved_after: 0, source: transfer.lines[0]!.allocationId, reference: transfer.number },
    ]);
    await expectInventoryConsistent(t);
    const now = (await t.app.inject({ method: 'GET', url: `/v1/orders/${collect.id}`, headers: t.admin })).json();
    expect([now.status, now.lines[0].status, now.payments[0].capturedMinor]).toEqual(['in_fulfillment', 'in_fulfillment', 0]);
    const shippedEvents = await t.ctx.db.selectFrom('outbox_event').select('type').where('aggregate_id', '=', collect.id).where('type', '=', 'order.shipped').execute();
    expect(shippedEvents).toEqual([]);
    // The label goes to the pickup store.
    const label = await t.app.inject({ method: 'GET', url: `/v1/fulfillments/${transfer.number}/label`, headers: t.admin });
    expect(label.statusCode).toBe(200);
    const text = (await new PDFParse({ data: new Uint8Array(label.rawPayload) }).getText()).text;
    for (const s of ['Lille Grand Place', '59000 Lille', 'Saint-Priest DC', sent.shipment!.trackingNumber, '1.7 kg']) expect(text).toContain(s);
    await refused(keys.wms, transfer, 'deliver', {}, 409, 'invalid_transition');
  });

  it('documents the steps and the label (application/pdf) in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    for (const step of ['pack', 'ship', 'deliver']) expect(doc.paths[`/v1/fulfillments/{id}/${step}`]?.post).toBeDefined();
    expect(doc.paths['/v1/fulfillments/{id}/label'].get.responses['200']).toBeDefined();
  });

  it('a carrier adapter that refuses or cannot be reached fails the shipment (label_failed, nothing written); a taken tracking number is asked again', async () => {
    t.clock.set('2026-11-23T13:00:00Z');
    const deps: FulfillmentDeps = { db: t.ctx.db, clock: t.clock, availability: t.ctx.availability, data: t.ctx.promiseData, payments: t.ctx.payments };
    const admin = { id: 'test:admin', role: 'admin' as const, locationIds: [] };
    const o = await order({ delivery: toBob, lines: [{ sku: 'JEAN', quantity: 1 }] });
    const [f] = await fulfillmentsOf(t, o.number);
    await stepAs(t, keys.wms, f!, 'accept');
    await stepAs(t, keys.wms, f!, 'pick', { lines: [{ sku: 'JEAN', quantity: 1 }] });
    const refusing: CarrierAdapter = { id: 'post', createLabel: async () => fail('address_not_served', 'this address is not served') };
    const down: CarrierAdapter = { id: 'post', createLabel: async () => Promise.reject(new Error('connect ECONNREFUSED')) };
    for (const adapter of [refusing, down]) {
      const before = await stepWrites(t);
      const r = await shipFulfillment(deps, carrierAdapterRegistry([adapter], pdfLabelAdapter), admin, f!.id, { parcels: [{ weightGrams: 800 }] });
      expect(r).toMatchObject({ ok: false, code: 'label_failed', details: { carrierId: 'post', adapter: 'post' } });
      expect(await stepWrites(t)).toEqual(before);
    }
    const taken = (await t.ctx.db.selectFrom('shipping_label').select('tracking_number').executeTakeFirstOrThrow()).tracking_number;
    const sticky: CarrierAdapter = {
      id: 'post',
      createLabel: async (req) => {
        const made = await pdfLabelAdapter.createLabel(req);
        return made.ok && req.attempt === 0 ? ok({ ...made.value, trackingNumber: taken }) : made;
      },
    };
    const r = await shipFulfillment(deps, carrierAdapterRegistry([sticky], pdfLabelAdapter), admin, f!.id, { parcels: [{ weightGrams: 800 }] });
    expect(r.ok && r.value.shipment).toMatchObject({ trackingNumber: trackingNumber('post', f!.number, 1, 1), labelId: expect.any(String) });
    await expectInventoryConsistent(t);
  });
});
