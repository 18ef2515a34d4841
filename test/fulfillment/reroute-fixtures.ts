import { expect } from 'vitest';
import type { Db } from '../../src/db/database.js';
import type { FulfillmentDeps } from '../../src/modules/fulfillment/fulfillment-step.js';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import type { TestApp } from '../support/test-app.js';

const DAY = [{ open: '10:00', close: '19:00' }];
const STORE_WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY };

async function put(t: TestApp, url: string, payload: unknown): Promise<void> {
  const res = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload: payload as object });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
}

/**
 * The order network of test/orders/fixtures.ts plus a second Paris store that ships (Opéra, dearer to
 * handle than Rivoli, so Rivoli is chosen first and Opéra is where re-routed units go) and a store key
 * for it. `parisCapacity` replaces Rivoli's daily pick capacity (100 in the base network).
 */
export async function buildRerouteNetwork(t: TestApp, opts: { parisCapacity?: number; operaSku1?: number } = {}): Promise<{ parisKey: string; operaKey: string }> {
  const { parisKey } = await buildOrderNetwork(t);
  if (opts.parisCapacity !== undefined) {
    await put(t, '/v1/locations/store-paris', {
      name: 'Paris Rivoli', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8606, longitude: 2.3376,
      address: { line1: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK,
      capabilities: ['ship_from_store', 'pickup'], dailyPickCapacity: opts.parisCapacity, handlingCostMinor: 300,
    });
  }
  await put(t, '/v1/locations/store-opera', {
    name: 'Paris Opéra', type: 'store', timeZone: 'Europe/Paris', latitude: 48.8719, longitude: 2.3316,
    address: { line1: '2 place de l\'Opéra', postalCode: '75009', city: 'Paris', country: 'FR' }, openingHours: STORE_WEEK,
    capabilities: ['ship_from_store', 'pickup'], handlingCostMinor: 400,
  });
  await put(t, '/v1/inventory/store-opera/SKU-1', { onHand: opts.operaSku1 ?? 3, asOf: '2026-11-01T00:00:00Z' });
  const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'opera till', role: 'store', locationIds: ['store-opera'] } });
  expect(key.statusCode, key.body).toBe(201);
  await t.ctx.availability.refresh();
  return { parisKey, operaKey: String(key.json().secret) };
}

export const deps = (t: TestApp): FulfillmentDeps => ({ db: t.ctx.db, clock: t.clock, availability: t.ctx.availability, data: t.ctx.promiseData, payments: t.ctx.payments });
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export interface FulfillmentSummary {
  id: string;
  number: string;
  kind: string;
  status: string;
  locationId: string;
  acceptBy: string | null;
  rejectReason: string | null;
  destinationLocationId: string | null;
  pickupFulfillmentId: string | null;
  lines: Array<{ sku: string; quantity: number; pickedQuantity: number | null }>;
}

export async function fulfillmentsOf(t: TestApp, orderId: string): Promise<FulfillmentSummary[]> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/fulfillments?orderId=${orderId}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as FulfillmentSummary[]).sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }));
}

export async function step(t: TestApp, id: string, name: string, payload: object = {}, headers: Record<string, string> = t.admin) {
  return t.app.inject({ method: 'POST', url: `/v1/fulfillments/${id}/${name}`, headers, payload });
}

export async function getOrder(t: TestApp, id: string) {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function timelineEvents(t: TestApp, orderId: string): Promise<Array<{ event: string; details: Record<string, unknown>; statusFrom: string | null; statusTo: string | null }>> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline`, headers: t.admin });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return (Array.isArray(body) ? body : body.items) as Array<{ event: string; details: Record<string, unknown>; statusFrom: string | null; statusTo: string | null }>;
}

/** Outbox events of one order (aggregate = the order), oldest first. */
export async function orderEvents(db: Db, orderId: string): Promise<Array<{ type: string; payload: Record<string, unknown> }>> {
  const rows = await db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => ({ type: r.type, payload: r.payload as Record<string, unknown> }));
}

export async function ledgerRows(db: Db, sku: string, locationId: string) {
  return db.selectFrom('inventory_ledger').selectAll().where('sku', '=', sku).where('location_id', '=', locationId).orderBy('id').execute();
}

export async function reliability(db: Db, locationId: string): Promise<number> {
  const r = await db.selectFrom('location').select('data_reliability').where('id', '=', locationId).executeTakeFirstOrThrow();
  return r.data_reliability;
}

/** A line's allocations as [location, status, quantity], sorted (rows written in one transaction share a timestamp). */
export const allocationsOf = (line: { allocations: Array<{ locationId: string; status: string; quantity: number }> }) =>
  line.allocations.map((a) => [a.locationId, a.status, a.quantity] as const).sort((a, b) => `${a[0]}/${a[1]}`.localeCompare(`${b[0]}/${b[1]}`));

/** Places an order that must be accepted (201). */
export async function placed(t: TestApp, body: Record<string, unknown>): Promise<{ id: string; number: string; lines: Array<{ id: string; sku: string }> }> {
  const res = await placeOrder(t, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
