import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, placeOrder, position } from '../orders/fixtures.js';

const DAY = [{ open: '10:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };
const cart = [
  { sku: 'SKU-1', quantity: 1 },
  { sku: 'SKU-2', quantity: 1 },
];

let t: TestApp;
let parisKey: string;

async function put(url: string, payload: object, headers: Record<string, string> = t.admin) {
  return t.app.inject({ method: 'PUT', url, headers, payload });
}

async function ok(url: string, payload: object): Promise<Record<string, unknown>> {
  const res = await put(url, payload);
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/** Where an order's units are held, sorted by location. */
async function sources(orderId: string): Promise<string[]> {
  const o = (await t.app.inject({ url: `/v1/orders/${orderId}`, headers: t.admin })).json();
  return [...new Set((o.lines as Array<{ allocations: Array<{ locationId: string; status: string }> }>).flatMap((l) => l.allocations.filter((a) => a.status === 'reserved').map((a) => a.locationId)))].sort();
}

async function placedOn(channel: string): Promise<{ id: string; sources: string[]; decision: { policy: { id: string; version: number } | null; summary: string; alternatives: Array<{ reason: string }> } }> {
  const res = await placeOrder(t, { channel, lines: cart });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const decision = (await t.app.inject({ url: `/v1/orders/${id}/sourcing`, headers: t.admin })).json().items[0];
  return { id, sources: await sources(id), decision };
}

/** Row counts a refused policy request must leave alone. */
const writes = async () =>
  (
    await sql<Record<string, number>>`SELECT (SELECT count(*)::int FROM routing_policy) AS policies, (SELECT count(*)::int FROM routing_policy_version) AS versions,
      (SELECT count(*)::int FROM routing_policy_assignment) AS assignments, (SELECT count(*)::int FROM audit_log) AS audit`.execute(t.ctx.db)
  ).rows[0];

beforeAll(async () => {
  t = await createTestApp();
  ({ parisKey } = await buildOrderNetwork(t));
  // Rivoli keeps only SKU-1, the DC only has SKU-2; Marais has both but is dear to handle: the cheapest
  // plan splits between Rivoli and the DC, one parcel means Marais.
  await ok('/v1/locations/store-marais', {
    name: 'Paris Marais', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8575, longitude: 2.3622,
    address: { postalCode: '75004', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK, capabilities: ['ship_from_store'], handlingCostMinor: 1500,
  });
  await ok('/v1/inventory/store-paris/SKU-2', { onHand: 0, asOf: '2026-11-02T00:00:00Z' });
  await ok('/v1/inventory/store-marais/SKU-1', { onHand: 10, asOf: '2026-11-02T00:00:00Z' });
  await ok('/v1/inventory/store-marais/SKU-2', { onHand: 10, asOf: '2026-11-02T00:00:00Z' });
  await t.ctx.availability.refresh();
});
afterAll(() => t.close());

describe('routing policies per channel and delivery method', () => {
  it('the same cart is sourced differently for two channels: "lowest cost" splits, "minimise splits" ships one parcel', async () => {
    expect(await ok('/v1/routing-policies/lowest-cost', { name: 'Lowest cost', description: 'the cost model as configured', rules: {} })).toMatchObject({ id: 'lowest-cost', version: 1 });
    expect(await ok('/v1/routing-policies/minimise-splits', { name: 'Minimise splits', rules: { splitPenaltyMinor: 100_000 } })).toMatchObject({ version: 1, rules: { splitPenaltyMinor: 100_000 } });
    expect(await ok('/v1/routing-policy-assignments/web/ship', { policyId: 'lowest-cost' })).toMatchObject({ channelId: 'web', deliveryMethod: 'ship', pinnedVersion: null, effectiveVersion: 1 });
    await ok('/v1/routing-policy-assignments/app/ship', { policyId: 'minimise-splits' });

    const promise = async (channel: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/promise', headers: t.admin, payload: { channel, lines: cart, destination: { postalCode: '75011', country: 'FR' }, services: ['standard'] } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().options.find((o: { optionId: string }) => o.optionId === 'ship:standard');
    };
    const web = await promise('web');
    const app = await promise('app');
    expect(web.shipments.map((s: { locationId: string }) => s.locationId).sort()).toEqual(['store-paris', 'wh-lyon']);
    expect(web.sourcing.policy).toEqual({ id: 'lowest-cost', version: 1, name: 'Lowest cost' });
    expect(app.shipments.map((s: { locationId: string }) => s.locationId)).toEqual(['store-marais']);
    expect(app.sourcing.policy).toEqual({ id: 'minimise-splits', version: 1, name: 'Minimise splits' });
    expect(app.costMinor).toBeGreaterThan(web.costMinor); // dearer under the cost model, but one parcel

    const webOrder = await placedOn('web');
    expect(webOrder.sources).toEqual(['store-paris', 'wh-lyon']);
    expect(webOrder.decision.policy).toEqual({ id: 'lowest-cost', version: 1, name: 'Lowest cost' });
    const appOrder = await placedOn('app');
    expect(appOrder.sources).toEqual(['store-marais']);
    expect(appOrder.decision.policy).toEqual({ id: 'minimise-splits', version: 1, name: 'Minimise splits' });
    expect(appOrder.decision.summary).toMatch(/^SKU-1 ×1, SKU-2 ×1 from store-marais .*split penalty.*; policy "Minimise splits" \(minimise-splits v1\)$/);
    // Other delivery methods of the channel keep the default.
    const pickup = await placeOrder(t, { channel: 'app', delivery: { method: 'pickup', pickupLocationId: 'store-paris' }, lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect((await t.app.inject({ url: `/v1/orders/${pickup.json().id}/sourcing`, headers: t.admin })).json().items[0].policy).toMatchObject({ id: 'default', version: 0 });
    await expectInventoryConsistent(t);
  });

  it('a new version changes new orders only; a pinned assignment keeps its version', async () => {
    const before = await placedOn('app');
    expect(before.sources).toEqual(['store-marais']);
    const marais = await position(t.ctx.db, 'SKU-1', 'store-marais');

    const v2 = await put('/v1/routing-policies/minimise-splits', { name: 'Minimise splits', description: 'splits are cheap again', rules: { splitPenaltyMinor: 0 } });
    expect([v2.statusCode, v2.json().version]).toEqual([201, 2]);
    const after = await placedOn('app');
    expect(after.sources).toEqual(['store-paris', 'wh-lyon']);
    expect(after.decision.policy).toMatchObject({ id: 'minimise-splits', version: 2 });
    // The earlier order is untouched: same allocations, same recorded version.
    expect(await sources(before.id)).toEqual(['store-marais']);
    expect((await t.app.inject({ url: `/v1/orders/${before.id}/sourcing`, headers: t.admin })).json().items[0].policy.version).toBe(1);
    expect(await position(t.ctx.db, 'SKU-1', 'store-marais')).toEqual(marais);

    expect(await ok('/v1/routing-policy-assignments/app/ship', { policyId: 'minimise-splits', version: 1 })).toMatchObject({ pinnedVersion: 1, effectiveVersion: 1 });
    const pinned = await placedOn('app');
    expect(pinned.sources).toEqual(['store-marais']);
    expect(pinned.decision.policy).toMatchObject({ version: 1 });

    const detail = await t.app.inject({ url: '/v1/routing-policies/minimise-splits', headers: t.admin });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      id: 'minimise-splits',
      latestVersion: 2,
      versions: [
        { version: 2, description: 'splits are cheap again', rules: { splitPenaltyMinor: 0 }, createdBy: 'key:bootstrap-admin' },
        { version: 1, rules: { splitPenaltyMinor: 100_000 } },
      ],
      assignments: [{ channelId: 'app', deliveryMethod: 'ship', pinnedVersion: 1, effectiveVersion: 1 }],
    });
    expect(detail.json().audit.map((a: { action: string }) => a.action)).toEqual([
      'routing_policy.assigned',
      'routing_policy.version_created',
      'routing_policy.assigned',
      'routing_policy.version_created',
    ]);
    // The same content again is no new version.
    const same = await put('/v1/routing-policies/minimise-splits', { name: 'Minimise splits', description: 'splits are cheap again', rules: { splitPenaltyMinor: 0 } });
    expect([same.statusCode, same.json().version]).toEqual([200, 2]);
    await expectInventoryConsistent(t);
  });

  it('a stored policy "default" applies where nothing is assigned; excluded location types are never sources', async () => {
    await ok('/v1/routing-policies/default', { name: 'One parcel', rules: { maxShipments: 1 } });
    expect((await placedOn('callcenter')).sources).toEqual(['store-marais']);

    await ok('/v1/routing-policies/no-stores', { name: 'Warehouses and suppliers only', rules: { excludedLocationTypes: ['store'] } });
    await ok('/v1/routing-policy-assignments/social/ship', { policyId: 'no-stores' });
    const refused = await placeOrder(t, { channel: 'social', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'out_of_stock']);
    const dc = await placeOrder(t, { channel: 'social', lines: [{ sku: 'SKU-2', quantity: 1 }] });
    expect(dc.statusCode, dc.body).toBe(201);
    expect(await sources(dc.json().id)).toEqual(['wh-lyon']);

    const removed = await t.app.inject({ method: 'DELETE', url: '/v1/routing-policy-assignments/social/ship', headers: t.admin });
    expect(removed.statusCode, removed.body).toBe(200);
    const list = (await t.app.inject({ url: '/v1/routing-policies', headers: t.admin })).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual(['default', 'lowest-cost', 'minimise-splits', 'no-stores']);
    expect(list.assignments.map((a: { channelId: string }) => a.channelId)).toEqual(['app', 'web']);
  });

  it('bad policies and assignments are refused (4xx) and write nothing', async () => {
    const before = await writes();
    const refusals: Array<[string, string, object, number, string]> = [
      ['PUT', '/v1/routing-policies/lowest-cost', { name: 'x', rules: { splitPenalty: 5 } }, 400, 'validation_failed'],
      ['PUT', '/v1/routing-policies/lowest-cost', { name: 'x', rules: { maxShipments: 0 } }, 400, 'validation_failed'],
      ['PUT', '/v1/routing-policies/lowest-cost', { name: 'x', rules: { splitPenaltyMinor: -1 } }, 400, 'validation_failed'],
      ['PUT', '/v1/routing-policies/lowest-cost', { name: '', rules: {} }, 400, 'validation_failed'],
      ['PUT', '/v1/routing-policies/lowest-cost', { name: 'x', rules: { excludedLocationTypes: ['depot'] } }, 400, 'validation_failed'],
      ['PUT', '/v1/routing-policies/Bad_Id', { name: 'x', rules: {} }, 400, 'validation_failed'],
      ['PUT', '/v1/routing-policies/nothing', { name: 'x', rules: { excludedLocationTypes: ['store', 'warehouse', 'supplier'], locationTypes: { warehouse: { preferenceMinor: 1 } } } }, 422, 'routing_policy_invalid'],
      ['PUT', '/v1/routing-policies/lowest-cost', { name: 'x', rules: { shipComplete: true, allowLineSplit: true } }, 422, 'routing_policy_invalid'],
      ['PUT', '/v1/routing-policy-assignments/nowhere/ship', { policyId: 'lowest-cost' }, 422, 'unknown_channel'],
      ['PUT', '/v1/routing-policy-assignments/web/ship', { policyId: 'unknown' }, 422, 'unknown_routing_policy'],
      ['PUT', '/v1/routing-policy-assignments/web/ship', { policyId: 'lowest-cost', version: 9 }, 422, 'routing_policy_version_not_found'],
      ['PUT', '/v1/routing-policy-assignments/web/carry_out', { policyId: 'lowest-cost' }, 400, 'validation_failed'],
      ['DELETE', '/v1/routing-policy-assignments/pos/pickup', {}, 404, 'routing_assignment_not_found'],
    ];
    for (const [method, url, payload, status, code] of refusals) {
      const res = await t.app.inject({ method: method as 'PUT', url, headers: t.admin, ...(method === 'PUT' ? { payload } : {}) });
      expect([res.statusCode, res.json().error?.code], `${method} ${url} ${JSON.stringify(payload)}`).toEqual([status, code]);
    }
    const excludedEverything = await put('/v1/routing-policies/nothing', { name: 'x', rules: { excludedLocationTypes: ['store', 'warehouse', 'supplier', 'marketplace_seller'] } });
    expect(excludedEverything.statusCode).toBe(400); // at most three types: the schema already says so
    const storeKey = { authorization: `Bearer ${parisKey}` };
    expect((await put('/v1/routing-policies/lowest-cost', { name: 'mine', rules: {} }, storeKey)).statusCode).toBe(403);
    expect((await put('/v1/routing-policy-assignments/web/ship', { policyId: 'minimise-splits' }, storeKey)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/routing-policies/unknown', headers: t.admin })).statusCode).toBe(404);
    expect(await writes()).toEqual(before);
    // Reading is open to every role.
    expect((await t.app.inject({ url: '/v1/routing-policies/lowest-cost', headers: storeKey })).statusCode).toBe(200);
  });
});
