import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildPromiseNetwork } from './fixtures.js';

const service = {
  service: 'standard', name: 'Domicile', originTypes: ['warehouse'], destinationCountries: ['FR'],
  pickupWeekdays: ['mon'], deliveryWeekdays: ['mon', 'tue'], cutoff: '16:00',
  lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 1 }] }],
  rates: [{ maxWeightGrams: 1000, costMinor: 500 }],
};

describe('carriers, deliveries and promise settings: validation and audit', () => {
  let t: TestApp;
  const req = (method: 'PUT' | 'POST' | 'PATCH' | 'GET' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: t.admin, ...(payload ? { payload } : {}) });
  beforeAll(async () => {
    t = await createTestApp();
    await buildPromiseNetwork(t);
  });
  afterAll(() => t.close());

  it('refuses carriers the promise could not use, writing nothing', async () => {
    const bad: Array<[string, object]> = [
      ['bands not ascending', { ...service, rates: [{ maxWeightGrams: 1000, costMinor: 500 }, { maxWeightGrams: 1000, costMinor: 600 }] }],
      ['a destination without a lane', { ...service, destinationCountries: ['FR', 'BE'] }],
      ['a lane outside the destinations', { ...service, lanes: [...service.lanes, { country: 'DE', maxDistanceKm: null, transit: [{ days: 2, share: 1 }] }] }],
      ['a lane given twice', { ...service, lanes: [service.lanes[0], service.lanes[0]] }],
      ['an unknown service level', { ...service, service: 'overnight' }],
      ['a bad cut-off', { ...service, cutoff: '25:00' }],
      ['a negative share', { ...service, lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: -1 }] }] }],
    ];
    for (const [why, s] of bad) {
      const res = await req('PUT', '/v1/carriers/new-carrier', { name: 'New', services: [s] });
      expect(res.statusCode, why).toBe(400);
      expect(res.json().error.code, why).toBe('validation_failed');
    }
    expect((await req('PUT', '/v1/carriers/Bad Id', { name: 'x', services: [service] })).statusCode).toBe(400);
    expect((await req('GET', '/v1/carriers/new-carrier')).statusCode).toBe(404);
    const created = await req('PUT', '/v1/carriers/new-carrier', { name: 'New', services: [service] });
    expect(created.statusCode).toBe(201);
    expect((await req('PUT', '/v1/carriers/new-carrier', { name: 'New 2', services: [service] })).statusCode).toBe(200);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', 'new-carrier').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['carrier.created', 'carrier.updated']);
  });

  it('refuses a batch of deliveries with any invalid record, recording none of them', async () => {
    const ok = { shipmentReference: 'S-1', service: 'standard', destinationCountry: 'FR', departedOn: '2026-11-02', deliveredOn: '2026-11-03' };
    const unknown = await req('POST', '/v1/carriers/nope/deliveries', { deliveries: [ok] });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'carrier_not_found']);
    for (const wrong of [
      { ...ok, shipmentReference: 'S-2', deliveredOn: '2026-11-01' },
      { ...ok, shipmentReference: 'S-3', service: 'express' },
      { ...ok, shipmentReference: 'S-4', originLocationId: 'nowhere' },
      { ...ok, shipmentReference: 'S-5', destinationCountry: 'DE' },
    ]) {
      const res = await req('POST', '/v1/carriers/post/deliveries', { deliveries: [ok, wrong] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.problems).toHaveLength(1);
    }
    expect((await req('POST', '/v1/carriers/post/deliveries', { deliveries: [{ ...ok, departedOn: 'yesterday' }] })).statusCode).toBe(400);
    expect(await t.database.db.selectFrom('transit_observation').select('id').execute()).toEqual([]);
  });

  it('patches promise settings with an audit row, and refuses an inconsistent patch', async () => {
    const bad = await req('PATCH', '/v1/promise/settings', { earliestQuantile: 0.4, confidenceTarget: 0.6 });
    expect(bad.statusCode).toBe(200);
    const inconsistent = await req('PATCH', '/v1/promise/settings', { earliestQuantile: 0.5, confidenceTarget: 0.5 });
    expect([inconsistent.statusCode, inconsistent.json().error.code]).toEqual([400, 'validation_failed']);
    expect((await req('PATCH', '/v1/promise/settings', { pickupRadiusKm: -1 })).statusCode).toBe(400);
    expect((await req('PATCH', '/v1/promise/settings', { unknown: 1 })).statusCode).toBe(400);
    const now = await req('GET', '/v1/promise/settings');
    expect(now.json()).toMatchObject({ earliestQuantile: 0.4, confidenceTarget: 0.6, pickupRadiusKm: 30 });
    const store = await t.app.inject({ method: 'PATCH', url: '/v1/promise/settings', headers: t.admin, payload: { holdTtlSeconds: 60 } });
    expect(store.json().holdTtlSeconds).toBe(60);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'promise_settings').execute();
    expect(audit).toHaveLength(2);
  });

  it('answers 404 for an unknown promise token and 400 for a malformed one', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await req('GET', `/v1/promise/holds/${unknown}`)).json().error.code).toBe('promise_hold_not_found');
    expect((await req('DELETE', `/v1/promise/holds/${unknown}`)).statusCode).toBe(404);
    expect((await req('GET', '/v1/promise/holds/not-a-token')).statusCode).toBe(400);
  });
});
