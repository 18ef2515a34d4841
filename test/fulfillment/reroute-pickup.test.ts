import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectInventoryConsistent, orderWrites, position } from '../orders/fixtures.js';
import { bearer, buildRerouteNetwork, fulfillmentsOf, getOrder, placed, step } from './reroute-fixtures.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

async function setUp(opts: Parameters<typeof buildRerouteNetwork>[1] = {}) {
  t = await createTestApp();
  return buildRerouteNetwork(t, opts);
}

const order = (body: Record<string, unknown>) => placed(t, body);

describe('click & collect and reserve & collect', () => {
  it('the pickup store rejects: the units come to it by transfer from another store, under a new pickup', async () => {
    const { parisKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 2 }], delivery: { method: 'pickup', pickupLocationId: 'store-paris' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect(f1).toMatchObject({ kind: 'pickup', locationId: 'store-paris' });
    expect((await step(t, f1!.id, 'reject', { reason: 'out_of_stock' }, bearer(parisKey))).statusCode).toBe(200);

    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.kind, f.locationId, f.status, f.destinationLocationId])).toEqual([
      ['pickup', 'store-paris', 'rejected', null],
      ['pickup', 'store-paris', 'pending', null],
      ['transfer', 'store-opera', 'pending', 'store-paris'],
    ]);
    expect(all[2]!.pickupFulfillmentId).toBe(all[1]!.id);
    expect(all[2]!.lines).toEqual([expect.objectContaining({ sku: 'SKU-1', quantity: 2 })]);
    const after = await getOrder(t, o.id);
    expect(after.lines[0].allocations.filter((a: { status: string }) => a.status === 'reserved')).toEqual([
      expect.objectContaining({ locationId: 'store-opera', quantity: 2, transfer: true }),
    ]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 2 });
    await expectInventoryConsistent(t);
  });

  it('a location sending a transfer rejects: another one sends the units to the same pickup', async () => {
    await setUp();
    const o = await order({ lines: [{ sku: 'SKU-2', quantity: 1 }], delivery: { method: 'pickup', pickupLocationId: 'store-lyon' } });
    const [pickup, transfer] = await fulfillmentsOf(t, o.id);
    expect([pickup!.kind, pickup!.locationId, pickup!.lines.length, transfer!.kind, transfer!.locationId]).toEqual(['pickup', 'store-lyon', 0, 'transfer', 'wh-lyon']);
    expect((await step(t, transfer!.id, 'reject', { reason: 'capacity' })).statusCode).toBe(200);
    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.kind, f.locationId, f.status, f.pickupFulfillmentId])).toEqual([
      ['pickup', 'store-lyon', 'pending', null],
      ['transfer', 'wh-lyon', 'rejected', pickup!.id],
      ['transfer', 'store-paris', 'pending', pickup!.id],
    ]);
    expect(await position(t.ctx.db, 'SKU-2', 'wh-lyon')).toEqual({ onHand: 10, reserved: 0 });
    expect(await position(t.ctx.db, 'SKU-2', 'store-paris')).toEqual({ onHand: 1, reserved: 1 });
    await expectInventoryConsistent(t);
    // The pickup waits for that transfer: it cannot be rejected under it.
    const refused = await step(t, pickup!.id, 'reject', { reason: 'other' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'pickup_awaiting_transfers']);
  });

  it('a short pick at the pickup store brings the missing unit by transfer into the same pickup', async () => {
    const { parisKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 3 }], delivery: { method: 'pickup', pickupLocationId: 'store-paris' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    const picked = await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 2 }] }, bearer(parisKey));
    expect(picked.statusCode, picked.body).toBe(200);
    const all = await fulfillmentsOf(t, o.id);
    expect(all.map((f) => [f.kind, f.locationId, f.status])).toEqual([
      ['pickup', 'store-paris', 'picked'],
      ['transfer', 'store-opera', 'pending'],
    ]);
    expect(all[1]!.pickupFulfillmentId).toBe(f1!.id);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 4, reserved: 2 });
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 1 });
    expect((await getOrder(t, o.id)).status).toBe('in_fulfillment');
    await expectInventoryConsistent(t);
  });

  it("reserve & collect takes only the pickup store's shelves: a rejection there cancels the order", async () => {
    const { parisKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }], delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-paris' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'reject', { reason: 'damaged' }, bearer(parisKey))).statusCode).toBe(200);
    expect(await getOrder(t, o.id)).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    expect((await fulfillmentsOf(t, o.id)).map((f) => f.status)).toEqual(['rejected']);
    expect(await position(t.ctx.db, 'SKU-1', 'store-opera')).toEqual({ onHand: 3, reserved: 0 });
    await expectInventoryConsistent(t);
  });
});

describe('refusals write nothing', () => {
  async function writes() {
    const [base, f] = await Promise.all([
      orderWrites(t.ctx.db),
      t.ctx.db
        .selectFrom('fulfillment_order')
        .select((eb) => [eb.fn.countAll<number>().as('fulfillments'), eb.fn.max('updated_at').as('updated')])
        .executeTakeFirstOrThrow(),
    ]);
    const perf = await t.ctx.db.selectFrom('location_performance').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { ...base, fulfillments: Number(f.fulfillments), updated: String(f.updated), performance: Number(perf.n) };
  }

  it("bad bodies, wrong states, unknown SKUs and another store's key are refused with 4xx and change nothing", async () => {
    const { parisKey, operaKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    const before = await writes();
    const refusals: Array<[object, Record<string, string>, number, string]> = [
      [{}, bearer(parisKey), 400, 'validation_failed'],
      [{ reason: 'bored' }, bearer(parisKey), 400, 'validation_failed'],
      [{ reason: 'damaged', extra: 1 }, bearer(parisKey), 400, 'validation_failed'],
      [{ reason: 'damaged' }, bearer(operaKey), 404, 'fulfillment_not_found'],
    ];
    for (const [payload, headers, status, code] of refusals) {
      const res = await step(t, f1!.id, 'reject', payload, headers);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect((await step(t, '00000000-0000-4000-8000-000000000000', 'reject', { reason: 'other' })).statusCode).toBe(404);
    expect(await writes()).toEqual(before);

    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    const accepted = await writes();
    for (const lines of [[{ sku: 'SKU-9', quantity: 1 }], [{ sku: 'SKU-1', quantity: 2 }], []]) {
      const res = await step(t, f1!.id, 'pick', { lines }, bearer(parisKey));
      expect([res.statusCode, res.json().error.code]).toEqual([422, 'pick_mismatch']);
    }
    expect((await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] }, bearer(operaKey))).statusCode).toBe(404);
    expect(await writes()).toEqual(accepted);

    expect((await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] }, bearer(parisKey))).statusCode).toBe(200);
    const picked = await writes();
    const late = await step(t, f1!.id, 'reject', { reason: 'damaged' }, bearer(parisKey));
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'invalid_transition']);
    expect(await writes()).toEqual(picked);
    expect(await position(t.ctx.db, 'SKU-1', 'store-paris')).toEqual({ onHand: 5, reserved: 1 });
    await expectInventoryConsistent(t);
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/v1/fulfillments/{id}/reject'].post.requestBody.content['application/json'].schema.properties.reason.enum).toEqual(['out_of_stock', 'damaged', 'no_staff', 'capacity', 'other']);
  });

  it('a rejection replayed with its Idempotency-Key answers the same and re-routes once', async () => {
    const { parisKey } = await setUp();
    const o = await order({ lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    const headers = { ...bearer(parisKey), 'idempotency-key': 'reject-1' };
    const first = await step(t, f1!.id, 'reject', { reason: 'no_staff' }, headers);
    expect(first.statusCode, first.body).toBe(200);
    const after = await writes();
    const again = await step(t, f1!.id, 'reject', { reason: 'no_staff' }, headers);
    expect([again.statusCode, again.json()]).toEqual([200, first.json()]);
    expect(await writes()).toEqual(after);
    const other = await step(t, f1!.id, 'reject', { reason: 'damaged' }, headers);
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'idempotency_key_reused']);
    expect((await fulfillmentsOf(t, o.id)).map((f) => [f.locationId, f.status])).toEqual([['store-paris', 'rejected'], ['store-opera', 'pending']]);
  });
});
