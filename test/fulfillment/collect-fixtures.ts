import { expect } from 'vitest';
import { placeOrder } from '../orders/fixtures.js';
import type { TestApp } from '../support/test-app.js';

/** Helpers for the click & collect journeys: store keys, steps through the API, what the outbox says. */

export interface FulfillmentItem {
  id: string;
  number: string;
  kind: 'ship' | 'pickup' | 'transfer';
  status: string;
  locationId: string;
  destinationLocationId: string | null;
  pickupFulfillmentId: string | null;
  dueAt: string | null;
  holdUntil: string | null;
  readyAt: string | null;
  lines: Array<{ sku: string; quantity: number; pickedQuantity: number | null; allocationStatus: string; allocationId: string }>;
}

export const atLyon = { method: 'pickup', pickupLocationId: 'store-lyon' };

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** A store key scoped to one location. */
export async function storeKey(t: TestApp, locationId: string): Promise<{ authorization: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: `${locationId} till`, role: 'store', locationIds: [locationId] } });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return bearer(String(res.json().secret));
}

export function step(t: TestApp, auth: { authorization: string }, fulfillmentId: string, name: string, payload?: object) {
  return t.app.inject({ method: 'POST', url: `/v1/fulfillments/${fulfillmentId}/${name}`, headers: auth, ...(payload ? { payload } : {}) });
}

/** A step that must succeed; returns the fulfillment as answered. */
export async function ok(t: TestApp, auth: { authorization: string }, fulfillmentId: string, name: string, payload?: object): Promise<FulfillmentItem> {
  const res = await step(t, auth, fulfillmentId, name, payload);
  expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
  return res.json();
}

export async function fulfillmentsOf(t: TestApp, orderId: string): Promise<FulfillmentItem[]> {
  const res = await t.app.inject({ url: `/v1/fulfillments?orderId=${orderId}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

export async function getOrder(t: TestApp, orderId: string) {
  const res = await t.app.inject({ url: `/v1/orders/${orderId}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function eventsOf(t: TestApp, orderId: string, type: string): Promise<Array<Record<string, any>>> {
  const rows = await t.ctx.db.selectFrom('outbox_event').select('payload').where('aggregate_id', '=', orderId).where('type', '=', type).orderBy('id').execute();
  return rows.map((r) => r.payload as Record<string, any>);
}

export async function timelineEvents(t: TestApp, orderId: string): Promise<string[]> {
  const rows = await t.ctx.db.selectFrom('order_timeline').select('event').where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => r.event);
}

/**
 * Ledger rows written for an order (referenced by its number, or its fulfillments' numbers), as
 * cause@location sku ±on hand/±reserved.
 */
export async function ledgerOf(t: TestApp, orderNumber: string): Promise<string[]> {
  const rows = await t.ctx.db
    .selectFrom('inventory_ledger')
    .select(['cause', 'location_id', 'sku', 'on_hand_before', 'on_hand_after', 'reserved_before', 'reserved_after'])
    .where((eb) => eb.or([eb('reference', '=', orderNumber), eb('reference', 'like', `${orderNumber}-F%`)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => `${r.cause}@${r.location_id} ${r.sku} ${r.on_hand_after - r.on_hand_before}/${r.reserved_after - r.reserved_before}`);
}

/** The pickup code the customer received (the last order.ready_for_pickup of the order). */
export async function pickupCodeOf(t: TestApp, orderId: string): Promise<string> {
  const ready = await eventsOf(t, orderId, 'order.ready_for_pickup');
  expect(ready.length).toBeGreaterThan(0);
  return String(ready.at(-1)!.pickupCode);
}

/** A 6-digit code that is not `code`. */
export const wrongCodeFor = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** A pickup order at Lyon taken through accept, pick and ready-for-pickup by the Lyon key. */
export async function readyPickup(t: TestApp, lyon: { authorization: string }, body: Record<string, unknown>) {
  const res = await placeOrder(t, { delivery: atLyon, ...body });
  expect(res.statusCode, res.body).toBe(201);
  const order = res.json();
  const [pickup] = await fulfillmentsOf(t, order.id);
  await ok(t, lyon, pickup!.id, 'accept');
  await ok(t, lyon, pickup!.id, 'pick', { lines: (body.lines as Array<{ sku: string; quantity: number }>).map((l) => ({ sku: l.sku, quantity: l.quantity })) });
  const ready = await ok(t, lyon, pickup!.id, 'ready-for-pickup');
  return { order, pickup: ready, code: await pickupCodeOf(t, order.id) };
}
