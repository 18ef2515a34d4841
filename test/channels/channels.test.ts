import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChannelRules, listChannelRules } from '../../src/modules/channels/channel.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const store = { name: 'Store', type: 'store', timeZone: 'Europe/Paris' };

describe('channels', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    for (const id of ['PAR-1', 'LYO-1', 'WH-1']) {
      expect((await t.app.inject({ method: 'PUT', url: `/v1/locations/${id}`, headers: t.admin, payload: store })).statusCode).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  const put = (id: string, payload: unknown, headers = t.admin) =>
    t.app.inject({ method: 'PUT', url: `/v1/channels/${id}`, headers, payload: payload as object });
  const channelCount = async () => Number((await t.ctx.db.selectFrom('channel').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates, replaces and reads channels with their pool rules, audited and evented', async () => {
    const web = await put('web', { name: 'Web shop', type: 'web' });
    expect(web.statusCode).toBe(201);
    expect(web.json()).toMatchObject({ id: 'web', eligibleLocationIds: null, pool: { protections: [] }, active: true });

    const zalando = { name: 'Zalando', type: 'marketplace', eligibleLocationIds: ['WH-1'], pool: { maxShare: 0.5, maxQuantity: 20, protections: [{ channelId: 'web', quantity: 2 }] } };
    expect((await put('marketplace:zalando', zalando)).statusCode).toBe(201);
    const replaced = await put('marketplace:zalando', { ...zalando, eligibleLocationIds: ['WH-1', 'LYO-1'], pool: { maxShare: 0.3 } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ eligibleLocationIds: ['WH-1', 'LYO-1'], pool: { maxShare: 0.3, protections: [] } });
    expect(replaced.json().pool).not.toHaveProperty('maxQuantity');

    const read = await t.app.inject({ url: '/v1/channels/marketplace:zalando', headers: t.admin });
    expect(read.json()).toEqual(replaced.json());
    const audit = await t.app.inject({ url: '/v1/channels/marketplace:zalando/audit', headers: t.admin });
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual(['channel.updated', 'channel.created']);
    const events = await t.ctx.db.selectFrom('outbox_event').select('type').where('aggregate_id', '=', 'marketplace:zalando').execute();
    expect(events.map((e) => e.type)).toEqual(['channel.upserted', 'channel.upserted']);
  });

  it('gives pool rules to the availability and reservation code', async () => {
    expect((await put('pos', { name: 'Caisses', type: 'pos', eligibleLocationIds: ['PAR-1'], pool: { protections: [{ channelId: 'web', quantity: 1 }] }, active: false })).statusCode).toBe(201);
    expect(await findChannelRules(t.ctx.db, 'pos')).toEqual({ id: 'pos', active: false, eligibleLocationIds: ['PAR-1'], pool: { protections: [{ channelId: 'web', quantity: 1 }] } });
    expect(await findChannelRules(t.ctx.db, 'nope')).toBeUndefined();
    const rules = await listChannelRules(t.ctx.db);
    expect(rules.map((r) => r.id)).toEqual(['marketplace:zalando', 'pos', 'web']);
    expect(rules[0]).toEqual({ id: 'marketplace:zalando', active: true, eligibleLocationIds: ['WH-1', 'LYO-1'], pool: { maxShare: 0.3, protections: [] } });
  });

  it.each([
    ['a marketplace id with another type', 'marketplace:amazon', { name: 'A', type: 'web' }, 400, 'channel_type_mismatch'],
    ['a marketplace without its name in the id', 'amazon', { name: 'A', type: 'marketplace' }, 400, 'channel_type_mismatch'],
    ['an unknown type', 'kiosk', { name: 'K', type: 'kiosk' }, 400, 'validation_failed'],
    ['an id with capitals', 'Web2', { name: 'W', type: 'web' }, 400, 'validation_failed'],
    ['a share above 1', 'app', { name: 'App', type: 'app', pool: { maxShare: 1.5 } }, 400, 'validation_failed'],
    ['a negative quantity cap', 'app', { name: 'App', type: 'app', pool: { maxQuantity: -1 } }, 400, 'validation_failed'],
    ['a fractional quantity cap', 'app', { name: 'App', type: 'app', pool: { maxQuantity: 2.5 } }, 400, 'validation_failed'],
    ['an unknown pool field', 'app', { name: 'App', type: 'app', pool: { minShare: 0.1 } }, 400, 'validation_failed'],
    ['a protection of itself', 'app', { name: 'App', type: 'app', pool: { protections: [{ channelId: 'app', quantity: 1 }] } }, 400, 'invalid_channel_pool'],
    ['a channel protected twice', 'app', { name: 'App', type: 'app', pool: { protections: [{ channelId: 'web', quantity: 1 }, { channelId: 'web', quantity: 2 }] } }, 400, 'invalid_channel_pool'],
    ['a negative protection', 'app', { name: 'App', type: 'app', pool: { protections: [{ channelId: 'web', quantity: -1 }] } }, 400, 'validation_failed'],
    ['an unknown protected channel', 'app', { name: 'App', type: 'app', pool: { protections: [{ channelId: 'social', quantity: 1 }] } }, 422, 'unknown_channels'],
    ['unknown eligible locations', 'app', { name: 'App', type: 'app', eligibleLocationIds: ['PAR-1', 'NICE-9', 'BREST-2'] }, 422, 'unknown_locations'],
    ['a missing name', 'app', { type: 'app' }, 400, 'validation_failed'],
  ])('refuses %s and writes nothing', async (_label, id, body, status, code) => {
    const before = await channelCount();
    const res = await put(id, body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await channelCount()).toBe(before);
  });

  it('names the missing ids', async () => {
    const locations = await put('app', { name: 'App', type: 'app', eligibleLocationIds: ['PAR-1', 'NICE-9', 'BREST-2'] });
    expect(locations.json().error.details).toEqual({ missingLocationIds: ['NICE-9', 'BREST-2'] });
    const channels = await put('app', { name: 'App', type: 'app', pool: { protections: [{ channelId: 'web', quantity: 1 }, { channelId: 'social', quantity: 1 }] } });
    expect(channels.json().error.details).toEqual({ missingChannelIds: ['social'] });
  });

  it('lists with a cursor, lets every role read and only admins write', async () => {
    const first = await t.app.inject({ url: '/v1/channels?limit=2', headers: t.admin });
    expect(first.json().items.map((c: { id: string }) => c.id)).toEqual(['marketplace:zalando', 'pos']);
    const second = await t.app.inject({ url: `/v1/channels?limit=2&cursor=${first.json().nextCursor}`, headers: t.admin });
    expect(second.json()).toMatchObject({ items: [{ id: 'web' }], nextCursor: null });
    expect((await t.app.inject({ url: '/v1/channels?active=false', headers: t.admin })).json().items.map((c: { id: string }) => c.id)).toEqual(['pos']);

    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'pim', role: 'integration' } });
    const integration = { authorization: `Bearer ${key.json().secret}` };
    expect((await t.app.inject({ url: '/v1/channels/web', headers: integration })).statusCode).toBe(200);
    expect((await put('social', { name: 'Instagram', type: 'social' }, integration)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/channels/social', headers: t.admin })).json().error.code).toBe('channel_not_found');
  });
});
