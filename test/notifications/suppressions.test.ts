import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { notificationEnv, tempDataDir } from './support.js';

describe('suppression list API', () => {
  let t: TestApp;
  let service: { authorization: string };
  const url = (channel: string, address: string) => `/v1/notifications/suppressions/${channel}/${encodeURIComponent(address)}`;
  const count = async () => (await t.ctx.db.selectFrom('notification_suppression').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;

  beforeAll(async () => {
    t = await createTestApp({ env: notificationEnv(tempDataDir()) });
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'service desk', role: 'service' } });
    service = { authorization: `Bearer ${key.json().secret}` };
  });
  afterAll(async () => t?.close());

  it('adds a suppression once, normalising the address, and audits it', async () => {
    const first = await t.app.inject({ method: 'PUT', url: url('sms', '+33 6 12 34 56 78'), headers: t.admin, payload: { note: 'complaint' } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().items).toMatchObject([{ channel: 'sms', address: '+33612345678', reason: 'admin', note: 'complaint' }]);
    const again = await t.app.inject({ method: 'PUT', url: url('sms', '+33612345678'), headers: t.admin, payload: {} });
    expect(again.statusCode).toBe(200);
    const bounce = await t.app.inject({ method: 'PUT', url: url('sms', '+33612345678'), headers: t.admin, payload: { reason: 'hard_bounce' } });
    expect(bounce.statusCode).toBe(201);
    expect(bounce.json().items.map((s: { reason: string }) => s.reason)).toEqual(['admin', 'hard_bounce']);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_type', '=', 'notification_suppression').execute();
    expect(audit).toEqual([
      { action: 'notification.suppressed', entity_id: 'sms:+33612345678' },
      { action: 'notification.suppressed', entity_id: 'sms:+33612345678' },
    ]);
  });

  it('rejects what is not an address, and unknown fields, writing nothing', async () => {
    const before = await count();
    const bad = await t.app.inject({ method: 'PUT', url: url('email', 'not-an-address'), headers: t.admin, payload: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_address');
    expect((await t.app.inject({ method: 'PUT', url: url('sms', 'call me'), headers: t.admin, payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: url('fax', '+33612345678'), headers: t.admin, payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: url('email', 'a@b.fr'), headers: t.admin, payload: { reason: 'spam' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: url('email', 'a@b.fr'), headers: t.admin, payload: { extra: 1 } })).statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('lets service and ops read the list, only admins change it', async () => {
    expect((await t.app.inject({ method: 'PUT', url: url('email', 'x@example.fr'), headers: service, payload: {} })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: url('sms', '+33612345678'), headers: service })).statusCode).toBe(403);
    await t.app.inject({ method: 'PUT', url: url('email', 'Zoe@Example.fr'), headers: t.admin, payload: { reason: 'unsubscribed' } });
    const all = await t.app.inject({ url: '/v1/notifications/suppressions?limit=2', headers: service });
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((s: { address: string; reason: string }) => `${s.address}/${s.reason}`)).toEqual(['zoe@example.fr/unsubscribed', '+33612345678/admin']);
    const next = await t.app.inject({ url: `/v1/notifications/suppressions?limit=2&cursor=${all.json().nextCursor}`, headers: service });
    expect(next.json()).toMatchObject({ items: [{ address: '+33612345678', reason: 'hard_bounce' }], nextCursor: null });
    const one = await t.app.inject({ url: '/v1/notifications/suppressions?channel=email&address=ZOE@example.fr', headers: service });
    expect(one.json().items).toMatchObject([{ address: 'zoe@example.fr' }]);
    expect((await t.app.inject({ url: '/v1/notifications/suppressions?address=zoe@example.fr', headers: service })).statusCode).toBe(400);
  });

  it('lifts one reason or all of them', async () => {
    const one = await t.app.inject({ method: 'DELETE', url: `${url('sms', '+33612345678')}?reason=hard_bounce`, headers: t.admin });
    expect(one.statusCode).toBe(200);
    expect(one.json().removed).toMatchObject([{ reason: 'hard_bounce' }]);
    const rest = await t.app.inject({ method: 'DELETE', url: url('sms', '+33 6 12 34 56 78'), headers: t.admin });
    expect(rest.json().removed).toMatchObject([{ reason: 'admin' }]);
    const none = await t.app.inject({ method: 'DELETE', url: url('sms', '+33612345678'), headers: t.admin });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('suppression_not_found');
  });

  it('answers an unsubscribe link without a token or with a forged one with a 400', async () => {
    expect((await t.app.inject({ url: '/v1/notifications/unsubscribe' })).statusCode).toBe(400);
    const forged = await t.app.inject({ method: 'POST', url: '/v1/notifications/unsubscribe?token=eyJjIjoiZW1haWwifQ.bad' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('invalid_unsubscribe_token');
  });
});
