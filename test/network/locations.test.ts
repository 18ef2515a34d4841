import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const paris = {
  name: 'Paris Rivoli',
  type: 'store',
  timeZone: 'Europe/Paris',
  latitude: 48.8606,
  longitude: 2.3376,
  openingHours: { mon: [{ open: '10:00', close: '19:30' }] },
  capabilities: ['ship', 'pickup', 'returns'],
  dailyPickCapacity: 80,
};

describe('locations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('creates, replaces and reads a location, and audits both writes', async () => {
    const created = await t.app.inject({ method: 'PUT', url: '/v1/locations/PAR-RIVOLI', headers: t.admin, payload: paris });
    expect(created.statusCode).toBe(201);
    const replaced = await t.app.inject({ method: 'PUT', url: '/v1/locations/PAR-RIVOLI', headers: t.admin, payload: { ...paris, dataReliability: 0.6 } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().dataReliability).toBe(0.6);
    const read = await t.app.inject({ url: '/v1/locations/PAR-RIVOLI', headers: t.admin });
    expect(read.json()).toMatchObject({ id: 'PAR-RIVOLI', timeZone: 'Europe/Paris', capabilities: ['ship', 'pickup', 'returns'] });
    const audit = await t.app.inject({ url: '/v1/locations/PAR-RIVOLI/audit', headers: t.admin });
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual(['location.updated', 'location.created']);
  });

  it.each([
    ['an unknown type', { ...paris, type: 'shop' }, 'validation_failed'],
    ['a made-up time zone', { ...paris, timeZone: 'Mars/Olympus' }, 'invalid_time_zone'],
    ['hours that close before they open', { ...paris, openingHours: { mon: [{ open: '19:00', close: '09:00' }] } }, 'validation_failed'],
    ['a latitude without longitude', { name: 'x', type: 'store', timeZone: 'Europe/Paris', latitude: 45 }, 'validation_failed'],
    ['an unknown field', { ...paris, colour: 'red' }, 'validation_failed'],
  ])('refuses %s with a 400 and writes nothing', async (_label, body, code) => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/locations/BAD-1', headers: t.admin, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect((await t.app.inject({ url: '/v1/locations/BAD-1', headers: t.admin })).statusCode).toBe(404);
  });

  it('answers malformed JSON with invalid_json', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/locations/BAD-2', headers: { ...t.admin, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('needs a key, and only admins create keys; a store key sees only its locations', async () => {
    expect((await t.app.inject({ url: '/v1/locations' })).statusCode).toBe(401);
    await t.app.inject({ method: 'PUT', url: '/v1/locations/LYON-1', headers: t.admin, payload: { ...paris, name: 'Lyon' } });
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'Rivoli tablet', role: 'store', locationIds: ['PAR-RIVOLI'] } });
    expect(key.statusCode).toBe(201);
    const store = { authorization: `Bearer ${key.json().secret}` };
    const list = await t.app.inject({ url: '/v1/locations', headers: store });
    expect(list.json().items.map((l: { id: string }) => l.id)).toEqual(['PAR-RIVOLI']);
    expect((await t.app.inject({ url: '/v1/locations/LYON-1', headers: store })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/v1/locations/LYON-1', headers: store, payload: paris })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: store, payload: { name: 'x', role: 'admin' } })).statusCode).toBe(403);
    const noScope = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'x', role: 'store' } });
    expect(noScope.statusCode).toBe(400);
  });

  it('revoked keys stop working', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'ops', role: 'ops' } });
    const headers = { authorization: `Bearer ${key.json().secret}` };
    expect((await t.app.inject({ url: '/v1/locations', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.json().id}`, headers: t.admin })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/locations', headers })).statusCode).toBe(401);
  });

  it('paginates with a cursor', async () => {
    for (const id of ['P-A', 'P-B', 'P-C']) await t.app.inject({ method: 'PUT', url: `/v1/locations/${id}`, headers: t.admin, payload: { ...paris, type: 'warehouse' } });
    const first = await t.app.inject({ url: '/v1/locations?type=warehouse&limit=2', headers: t.admin });
    expect(first.json().items.map((l: { id: string }) => l.id)).toEqual(['P-A', 'P-B']);
    const second = await t.app.inject({ url: `/v1/locations?type=warehouse&limit=2&cursor=${first.json().nextCursor}`, headers: t.admin });
    expect(second.json()).toMatchObject({ items: [{ id: 'P-C' }], nextCursor: null });
  });

  it('serves health, metrics and the OpenAPI document without a key', async () => {
    expect((await t.app.inject({ url: '/health/ready' })).json()).toEqual({ status: 'ok', database: 'ok' });
    expect((await t.app.inject({ url: '/metrics' })).body).toContain('ordo_http_request_duration_seconds');
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/locations/{locationId}');
  });

  it('lists locations by capability', async () => {
    const res = await t.app.inject({ url: '/v1/locations?capability=pickup', headers: t.admin });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<{ id: string; capabilities: string[] }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((l) => l.capabilities.includes('pickup'))).toBe(true);
  });
});
