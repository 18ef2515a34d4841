import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { asUser, createUser, loginRequest, PASSWORD, signIn, type SignedIn } from './user-fixtures.js';

describe('user accounts: the admin API, password changes, CSRF and store scopes', () => {
  let t: TestApp;
  let admin: SignedIn;
  let parisKey: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ parisKey } = await buildOrderNetwork(t));
    await createUser(t, { email: 'boss@example.fr', name: 'Boss', role: 'admin' });
    admin = await signIn(t, 'boss@example.fr');
  });
  afterAll(() => t.close());

  const counts = async () => ({
    users: (await t.ctx.db.selectFrom('app_user').select('id').execute()).length,
    audit: (await t.ctx.db.selectFrom('audit_log').select('id').where('entity_type', '=', 'user').execute()).length,
  });
  const post = (headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url: '/v1/users', headers, payload });
  const patch = (headers: Record<string, string>, id: string, payload: object) => t.app.inject({ method: 'PATCH', url: `/v1/users/${id}`, headers, payload });

  it('creates a user as a signed-in admin, with an audit row that never holds the password or its hash', async () => {
    const res = await post(asUser(admin), { email: 'Marie.Curie@Example.FR', name: 'Marie Curie', password: 'radium-1898!', role: 'store', locationIds: ['store-paris', 'store-paris'], locale: 'fr' });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ email: 'marie.curie@example.fr', name: 'Marie Curie', role: 'store', locationIds: ['store-paris'], locale: 'fr', disabled: false, lastLoginAt: null });
    expect(JSON.stringify(user)).not.toMatch(/password|argon2/i);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', user.id).execute();
    expect(audit.map((a) => [a.actor, a.action])).toEqual([['user:boss@example.fr', 'user.created']]);
    expect(JSON.stringify(audit)).not.toMatch(/radium|argon2|password_hash|passwordHash/);
    const read = await t.app.inject({ url: `/v1/users/${user.id}`, headers: asUser(admin) });
    expect(read.json()).toEqual(user);
  });

  it('refuses bad input with 400, an existing e-mail with 409 and unknown stores with 422, writing nothing', async () => {
    const before = await counts();
    const base = { email: 'new@example.fr', name: 'New', password: PASSWORD, role: 'ops' };
    const cases: [object, number, string][] = [
      [{ ...base, password: 'short-pw' }, 400, 'validation_failed'],
      [{ ...base, email: 'not-an-email' }, 400, 'validation_failed'],
      [{ ...base, role: 'integration' }, 400, 'validation_failed'],
      [{ ...base, name: '   ' }, 400, 'validation_failed'],
      [{ ...base, extra: 1 }, 400, 'validation_failed'],
      [{ ...base, role: 'store' }, 400, 'validation_failed'],
      [{ ...base, role: 'store', locationIds: [] }, 400, 'validation_failed'],
      [{ ...base, locationIds: ['store-paris'] }, 400, 'validation_failed'],
      [{ ...base, role: 'store', locationIds: ['store-paris', 'store-nowhere'] }, 422, 'unprocessable'],
      [{ ...base, email: 'MARIE.CURIE@example.fr' }, 409, 'user_email_taken'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(t.admin, payload);
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect(await counts()).toEqual(before);
    const missing = await patch(t.admin, '00000000-0000-4000-8000-000000000000', { name: 'x' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'user_not_found']);
    expect((await patch(t.admin, '00000000-0000-4000-8000-000000000000', {})).statusCode).toBe(400);
  });

  it('is for admins only: ops, service and store users or keys get 403', async () => {
    await createUser(t, { email: 'ops@example.fr', role: 'ops' });
    const ops = await signIn(t, 'ops@example.fr');
    const before = await counts();
    for (const headers of [asUser(ops), { authorization: `Bearer ${parisKey}` }]) {
      expect((await t.app.inject({ url: '/v1/users', headers })).statusCode).toBe(403);
      expect((await post(headers, { email: 'x@example.fr', name: 'X', password: PASSWORD, role: 'admin' })).statusCode).toBe(403);
      expect((await patch(headers, admin.user.id, { role: 'ops' })).statusCode).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it('lists users by e-mail, page by page', async () => {
    const first = await t.app.inject({ url: '/v1/users?limit=2', headers: t.admin });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((u: { email: string }) => u.email)).toEqual(['boss@example.fr', 'marie.curie@example.fr']);
    const page2 = (await t.app.inject({ url: `/v1/users?limit=2&cursor=${page1.nextCursor}`, headers: t.admin })).json();
    expect(page2.items.map((u: { email: string }) => u.email)).toEqual(['ops@example.fr']);
    expect(page2.nextCursor).toBeNull();
  });

  it('changes role and stores (leaving the store role drops the stores); an admin cannot lock itself out', async () => {
    const user = await createUser(t, { email: 'mover@example.fr', role: 'store', locationIds: ['store-paris'] });
    const moved = await patch(asUser(admin), user.id, { role: 'ops' });
    expect(moved.json()).toMatchObject({ role: 'ops', locationIds: [] });
    const back = await patch(t.admin, user.id, { role: 'store' });
    expect([back.statusCode, back.json().error.code]).toEqual([400, 'validation_failed']);
    expect((await patch(t.admin, user.id, { role: 'store', locationIds: ['store-lyon'] })).json()).toMatchObject({ role: 'store', locationIds: ['store-lyon'] });

    for (const change of [{ disabled: true }, { role: 'ops' }]) {
      const self = await patch(asUser(admin), admin.user.id, change);
      expect([self.statusCode, self.json().error.code]).toEqual([422, 'user_self_lockout']);
    }
    expect((await t.app.inject({ url: '/v1/auth/session', headers: { cookie: admin.cookie } })).json().user.role).toBe('admin');
  });

  it('refuses a cookie-authenticated change without the right CSRF token (403) and changes nothing', async () => {
    const before = await counts();
    for (const csrf of [null, 'wrong-token', `${admin.csrf.slice(0, -1)}x`]) {
      const res = await post(asUser(admin, csrf), { email: 'csrf@example.fr', name: 'C', password: PASSWORD, role: 'ops' });
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'csrf_failed']);
      const put = await t.app.inject({ method: 'PUT', url: '/v1/products/SKU-1', headers: asUser(admin, csrf), payload: { name: 'Hacked', prices: { EUR: 1 } } });
      expect(put.statusCode).toBe(403);
    }
    expect(await counts()).toEqual(before);
    expect((await t.app.inject({ url: '/v1/products/SKU-1', headers: t.admin })).json().name).toBe('Pull marin');
    // Another session's token does not fit either.
    const other = await signIn(t, 'boss@example.fr');
    expect((await post(asUser(admin, other.csrf), { email: 'csrf@example.fr', name: 'C', password: PASSWORD, role: 'ops' })).statusCode).toBe(403);
  });

  it("resets a user's password as admin: every session of that user ends, the new password works", async () => {
    const user = await createUser(t, { email: 'forgetful@example.fr', role: 'service' });
    const s = await signIn(t, 'forgetful@example.fr');
    for (let i = 0; i < 5; i++) await loginRequest(t, 'forgetful@example.fr', `wrong-${i}`); // now locked
    const res = await patch(asUser(admin), user.id, { password: 'brand-new-password' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().lockedUntil).toBeNull();
    expect((await t.app.inject({ url: '/v1/auth/session', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect((await loginRequest(t, 'forgetful@example.fr', PASSWORD)).statusCode).toBe(401);
    expect((await loginRequest(t, 'forgetful@example.fr', 'brand-new-password')).statusCode).toBe(200);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', user.id).orderBy('id').execute();
    expect(audit.at(-1)).toMatchObject({ action: 'user.updated', after: expect.objectContaining({ passwordReset: true }) });
    expect(JSON.stringify(audit)).not.toContain('brand-new-password');
  });

  it('changes its own password with the current one; other sessions end, this one stays', async () => {
    await createUser(t, { email: 'self@example.fr', role: 'ops' });
    const here = await signIn(t, 'self@example.fr');
    const elsewhere = await signIn(t, 'self@example.fr');
    const change = (payload: object, s = here) => t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: asUser(s), payload });

    const wrong = await change({ currentPassword: 'not it at all', newPassword: 'another-password' });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([422, 'invalid_current_password']);
    expect((await change({ currentPassword: PASSWORD, newPassword: 'short' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: asUser(here, null), payload: { currentPassword: PASSWORD, newPassword: 'another-password' } })).statusCode).toBe(403);
    expect((await loginRequest(t, 'self@example.fr', PASSWORD)).statusCode).toBe(200);

    expect((await change({ currentPassword: PASSWORD, newPassword: 'another-password' })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/v1/auth/session', headers: { cookie: here.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/auth/session', headers: { cookie: elsewhere.cookie } })).statusCode).toBe(401);
    expect((await loginRequest(t, 'self@example.fr', PASSWORD)).statusCode).toBe(401);
    expect((await loginRequest(t, 'self@example.fr', 'another-password')).statusCode).toBe(200);
    // An API key is not a user: it has no password to change.
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: t.admin, payload: { currentPassword: PASSWORD, newPassword: 'another-password' } })).statusCode).toBe(401);
  });

  it('scopes a signed-in store user exactly like a store key: its own fulfillments only', async () => {
    await createUser(t, { email: 'lyon@example.fr', role: 'store', locationIds: ['store-lyon'] });
    await createUser(t, { email: 'paris@example.fr', role: 'store', locationIds: ['store-paris'] });
    const lyon = await signIn(t, 'lyon@example.fr');
    const paris = await signIn(t, 'paris@example.fr');
    const order = (await placeOrder(t, { lines: [{ sku: 'SKU-1', quantity: 1 }] })).json();
    const all = (await t.app.inject({ url: `/v1/fulfillments?orderId=${order.id}`, headers: t.admin })).json().items as { id: string; locationId: string }[];
    const work = all.find((f) => f.locationId === 'store-paris')!;
    expect(work).toBeDefined();

    // Lyon sees nothing of Paris's work, cannot read it, cannot act on it; nothing changes.
    expect((await t.app.inject({ url: `/v1/fulfillments?orderId=${order.id}`, headers: { cookie: lyon.cookie } })).json().items).toEqual([]);
    expect((await t.app.inject({ url: `/v1/fulfillments/${work.id}`, headers: { cookie: lyon.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${work.id}/accept`, headers: asUser(lyon) })).statusCode).toBe(404);
    // Asking for the other store's queue by name gives the same answer as a store key doing it.
    const asked = await t.app.inject({ url: '/v1/fulfillments?locationId=store-paris', headers: { cookie: lyon.cookie } });
    const keyAnswer = await t.app.inject({ url: '/v1/fulfillments?locationId=store-lyon', headers: { authorization: `Bearer ${parisKey}` } });
    expect(asked.statusCode).toBe(keyAnswer.statusCode);
    if (asked.statusCode === 200) expect([asked.json().items, keyAnswer.json().items]).toEqual([[], []]);
    expect((await t.app.inject({ url: `/v1/fulfillments/${work.id}`, headers: t.admin })).json().status).toBe('pending');
    // Store users may not call admin routes either.
    expect((await t.app.inject({ url: '/v1/api-keys', headers: { cookie: lyon.cookie } })).statusCode).toBe(403);

    // Paris, signed in, does its own work like its key would.
    const accepted = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${work.id}/accept`, headers: asUser(paris) });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const timeline = (await t.app.inject({ url: `/v1/orders/${order.id}/timeline`, headers: t.admin })).json();
    expect(JSON.stringify(timeline)).toContain('user:paris@example.fr');
  });

  it('keeps API keys working, and a Bearer header wins over a cookie', async () => {
    expect((await t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${parisKey}` } })).json()).toMatchObject({ role: 'store', locationIds: ['store-paris'] });
    // With both, the key decides (and no CSRF token is needed: a browser cannot add that header cross-site).
    const both = await t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${parisKey}`, cookie: admin.cookie } });
    expect(both.json().role).toBe('store');
    const write = await t.app.inject({ method: 'PUT', url: '/v1/products/SKU-3', headers: { ...t.admin, cookie: admin.cookie }, payload: { name: 'Écharpe', weightGrams: 200, prices: { EUR: 2500 } } });
    expect(write.statusCode, write.body).toBe(200);
    expect((await t.app.inject({ url: '/v1/me', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
  });
});
