import { afterEach, describe, expect, it } from 'vitest';
import { rerouteUnacceptedFulfillments } from '../../src/modules/fulfillment/acceptance-timeout.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, placeOrder } from '../orders/fixtures.js';
import { bearer, buildRerouteNetwork, deps, fulfillmentsOf, placed, step } from '../fulfillment/reroute-fixtures.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

interface Decision {
  id: string;
  trigger: string;
  cause: string | null;
  fulfillmentId: string | null;
  summary: string;
  units: Array<{ lineId?: string; sku: string; quantity: number }>;
  chosen: { totalCostMinor: number | null; shipments: Array<{ locationId: string; costMinor: number | null; lines: Array<{ lineId?: string; sku: string; quantity: number }> }> };
  candidates: number | null;
  alternatives: Array<{ description: string; locationIds: string[]; totalCostMinor: number; extraCostMinor: number; reason: string }>;
  excluded: Array<{ locationId: string; reason: string }>;
  unserved: Array<{ sku: string; quantity: number }>;
  optimal: boolean | null;
  gap: number | null;
  method: string;
  policy: { id: string; version: number; name: string } | null;
  allocationIds: string[];
}

async function decisions(orderId: string, headers: Record<string, string> = t.admin): Promise<Decision[]> {
  const res = await t.app.inject({ url: `/v1/orders/${orderId}/sourcing`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

async function allocationDecisions(orderId: string): Promise<Array<{ id: string; location_id: string; status: string; decision_id: string | null }>> {
  return t.ctx.db.selectFrom('order_allocation').select(['id', 'location_id', 'status', 'decision_id']).where('order_id', '=', orderId).orderBy('created_at').orderBy('id').execute();
}

describe('why an order is served from where it is', () => {
  it('names the chosen location, its cost, the candidates and the costlier alternatives; each allocation points at it', async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    const res = await placeOrder(t, { lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();

    const [d] = await decisions(order.id);
    // SKU-2 (800 g) is at the Lyon DC (handling 1.50 €) and at Paris Rivoli (handling 3.00 €); one 5.00 € parcel either way.
    expect(d).toMatchObject({
      trigger: 'order_placed',
      cause: null,
      units: [{ lineId: order.lines[0].id, sku: 'SKU-2', quantity: 1 }],
      chosen: { totalCostMinor: 650, shipments: [{ locationId: 'wh-lyon', costMinor: 650, lines: [{ lineId: order.lines[0].id, sku: 'SKU-2', quantity: 1 }] }] },
      candidates: 2,
      optimal: true,
      gap: 0,
      method: 'exact-dp',
      policy: { id: 'default', version: 0 },
      excluded: [],
    });
    const paris = d!.alternatives.find((a) => a.description === 'everything from store-paris')!;
    expect(paris).toMatchObject({ totalCostMinor: 800, extraCostMinor: 150, reason: '1.50 € more: handling' });
    expect(d!.summary).toBe('SKU-2 ×1 from wh-lyon (6.50 €): cheapest of 2 candidates (store-paris 1.50 € more: handling)');
    const allocations = await allocationDecisions(order.id);
    expect(allocations.map((a) => [a.location_id, a.decision_id])).toEqual([['wh-lyon', d!.id]]);
    expect(d!.allocationIds).toEqual(allocations.map((a) => a.id));

    // By number too; a store key sees only its stores' orders: this one is served from the DC (404, not 403).
    expect((await t.app.inject({ url: `/v1/orders/${order.number}/sourcing`, headers: t.admin })).json().items).toHaveLength(1);
    const hidden = await t.app.inject({ url: `/v1/orders/${order.id}/sourcing`, headers: bearer(parisKey) });
    expect([hidden.statusCode, hidden.json().error.code]).toEqual([404, 'order_not_found']);
    const missing = await t.app.inject({ url: '/v1/orders/ORD-2026-999999/sourcing', headers: t.admin });
    expect(missing.statusCode).toBe(404);
    const own = await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect((await decisions(own.json().id, bearer(parisKey)))[0]!.chosen.shipments[0]!.locationId).toBe('store-paris');
  });

  it('a delivery change, a counter sale and a backorder served on arrival are decisions too', async () => {
    t = await createTestApp();
    const { parisKey } = await buildOrderNetwork(t);
    const order = (await placeOrder(t, { lines: [{ sku: 'SKU-2', quantity: 1 }] })).json();
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/v1/orders/${order.id}/delivery`,
      headers: t.admin,
      payload: { address: { name: 'Alice Martin', line1: '3 place Bellecour', postalCode: '69002', city: 'Lyon', country: 'FR' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const [placedDecision, changed] = await decisions(order.id);
    expect(changed).toMatchObject({ trigger: 'delivery_changed', chosen: { shipments: [{ locationId: 'wh-lyon' }] }, policy: { id: 'default' } });
    expect(changed!.summary).toMatch(/^re-sourced for the new address: SKU-2 ×1 from wh-lyon/);
    // The first decision's allocation was released; the new one belongs to the new decision.
    const rows = await allocationDecisions(order.id);
    expect(rows.map((a) => [a.status, a.decision_id]).sort()).toEqual([
      ['released', placedDecision!.id],
      ['reserved', changed!.id],
    ]);

    const sale = await placeOrder(t, { channel: 'pos', customer: undefined, delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris' }, lines: [{ sku: 'SKU-1', quantity: 1 }] }, { auth: parisKey });
    expect(sale.statusCode, sale.body).toBe(201);
    expect((await decisions(sale.json().id))[0]).toMatchObject({ method: 'counter_sale', summary: 'SKU-1 ×1 from store-paris: sold at the counter and carried out', chosen: { totalCostMinor: null } });

    const pickup = (await placeOrder(t, { delivery: { method: 'pickup', pickupLocationId: 'store-paris' }, lines: [{ sku: 'SKU-1', quantity: 1 }] })).json();
    const switched = await t.app.inject({ method: 'PATCH', url: `/v1/orders/${pickup.id}/pickup`, headers: t.admin, payload: { pickupLocationId: 'store-lyon' } });
    expect(switched.statusCode, switched.body).toBe(200);
    const [, toLyon] = await decisions(pickup.id);
    expect(toLyon).toMatchObject({ trigger: 'pickup_store_changed', optionId: 'click_and_collect:store-lyon', chosen: { shipments: [{ locationId: 'store-lyon', lines: [{ sku: 'SKU-1', quantity: 1 }] }] } });
    expect(toLyon!.summary).toMatch(/^re-sourced for the new pickup store: SKU-1 ×1 from store-lyon/);

    const pre = (await placeOrder(t, { lines: [{ sku: 'SKU-PRE', quantity: 2 }] })).json();
    expect((await decisions(pre.id))[0]!.summary).toMatch(/^SKU-PRE ×2 from wh-lyon \(\d+\.\d\d €, when supply arrives 2026-12-01\)/);
    const supply = (await t.app.inject({ url: '/v1/supply?sku=SKU-PRE', headers: t.admin })).json().items as Array<{ id: string }>;
    expect((await t.app.inject({ method: 'POST', url: `/v1/supply/${supply[0]!.id}/receive`, headers: t.admin })).statusCode).toBe(200);
    const [, served] = await decisions(pre.id);
    expect(served).toMatchObject({ trigger: 'backorder_served', method: 'supply_arrival', chosen: { shipments: [{ locationId: 'wh-lyon', lines: [{ sku: 'SKU-PRE', quantity: 2 }] }] } });
    expect(served!.summary).toBe('SKU-PRE ×2 from wh-lyon: backorder served as the incoming supply arrived');
    expect((await allocationDecisions(pre.id)).map((a) => [a.status, a.decision_id])).toEqual([['reserved', served!.id]]);
    await expectInventoryConsistent(t);
  });
});

describe('re-routed units explain where they went and who was excluded', () => {
  it('a rejection, then a time-out: each is a decision naming the excluded stores, and the last one says nothing was left', async () => {
    t = await createTestApp();
    const { parisKey } = await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }], shippingMinor: 490, payment: { provider: 'manual' } });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'reject', { reason: 'damaged' }, bearer(parisKey))).statusCode).toBe(200);

    const [first, second] = await decisions(o.id);
    expect(first!.chosen.shipments.map((s) => s.locationId)).toEqual(['store-paris']);
    expect(second).toMatchObject({
      trigger: 'rerouted',
      cause: 'rejected',
      fulfillmentId: f1!.id,
      units: [{ lineId: o.lines[0]!.id, sku: 'SKU-1', quantity: 2 }],
      chosen: { shipments: [{ locationId: 'store-opera', lines: [{ lineId: o.lines[0]!.id, sku: 'SKU-1', quantity: 2 }] }] },
      excluded: [{ locationId: 'store-paris', reason: 'rejected (damaged)' }],
      unserved: [],
      optimal: true,
    });
    expect(second!.summary).toMatch(/^re-routed after a rejection: SKU-1 ×2 from store-opera \(\d+\.\d\d €\): cheapest of 1 candidate; store-paris excluded: rejected \(damaged\)$/);
    const rows = await allocationDecisions(o.id);
    expect(rows.filter((a) => a.location_id === 'store-opera').map((a) => a.decision_id)).toEqual([second!.id]);
    expect(rows.filter((a) => a.location_id === 'store-paris').map((a) => a.decision_id)).toEqual([first!.id]);

    // Opéra never accepts: the time-out rejects it; nobody else ships SKU-1, the units are cancelled.
    const [, f2] = await fulfillmentsOf(t, o.id);
    t.clock.set(new Date(new Date(f2!.acceptBy!).getTime() + 60_000).toISOString());
    expect(await rerouteUnacceptedFulfillments(deps(t))).toBe(1);
    const third = (await decisions(o.id))[2]!;
    expect(third).toMatchObject({
      trigger: 'rerouted',
      cause: 'timeout',
      fulfillmentId: f2!.id,
      chosen: { shipments: [] },
      method: 'none',
      unserved: [{ sku: 'SKU-1', quantity: 2 }],
      excluded: [
        { locationId: 'store-opera', reason: 'rejected (timeout)' },
        { locationId: 'store-paris', reason: 'rejected (damaged)' },
      ],
    });
    expect(third.summary).toBe('re-routed after an acceptance time-out: SKU-1 ×2: no location could take them; store-opera excluded: rejected (timeout), store-paris excluded: rejected (damaged)');
    await expectInventoryConsistent(t);
  });

  it('a short pick re-routes the missing unit and says the store short-picked', async () => {
    t = await createTestApp();
    const { parisKey } = await buildRerouteNetwork(t);
    const o = await placed(t, { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const [f1] = await fulfillmentsOf(t, o.id);
    expect((await step(t, f1!.id, 'accept', {}, bearer(parisKey))).statusCode).toBe(200);
    const pick = await step(t, f1!.id, 'pick', { lines: [{ sku: 'SKU-1', quantity: 1 }] }, bearer(parisKey));
    expect(pick.statusCode, pick.body).toBe(200);
    const last = (await decisions(o.id)).at(-1)!;
    expect(last).toMatchObject({
      trigger: 'rerouted',
      cause: 'short_pick',
      units: [{ sku: 'SKU-1', quantity: 1 }],
      chosen: { shipments: [{ locationId: 'store-opera', lines: [{ sku: 'SKU-1', quantity: 1 }] }] },
      excluded: [{ locationId: 'store-paris', reason: 'short-picked' }],
    });
    // The missing unit's own allocation row keeps the decision that sent it to Rivoli.
    const rows = await allocationDecisions(o.id);
    const first = (await decisions(o.id))[0]!;
    expect(rows.map((a) => [a.location_id, a.status, a.decision_id]).sort()).toEqual(
      [
        ['store-opera', 'reserved', last.id],
        ['store-paris', 'missing', first.id],
        ['store-paris', 'reserved', first.id],
      ].sort(),
    );
    await expectInventoryConsistent(t);
  });
});
