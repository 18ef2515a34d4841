import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { asUser, createUser, loginRequest, PASSWORD, signIn } from './user-fixtures.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('signing in with e-mail and password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-23T09:00:00Z');
    await createUser(t, { email: 'Ops.Lead@Example.fr', name: 'Ops Lead', role: 'ops', locale: 'fr' });
  });
  afterAll(() => t.close());

  const session = (headers: Record<string, string>) => t.app.inject({ url: '/v1/auth/session', headers });

  it('opens a session: HTTP-only strict cookie with Max-Age, the user and a CSRF token; e-mail case does not matter', async () => {
    const s = await signIn(t, 'ops.lead@EXAMPLE.fr');
    expect(s.user).toMatchObject({ email: 'ops.lead@example.fr', role: 'ops', locationIds: [] });
    expect(s.setCookie).toMatch(/^ordo_session=[A-Za-z0-9_-]{40,};/);
    expect(s.setCookie).toContain('HttpOnly');
    expect(s.setCookie).toContain('SameSite=Strict');
    expect(s.setCookie).toContain('Path=/');
    expect(s.setCookie).toContain(`Max-Age=${7 * 24 * 3600}`);
    expect(s.setCookie).not.toContain('Expires=');
    expect(s.setCookie).not.toContain('Secure');
    expect(s.csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const res = await session({ cookie: s.cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { id: s.user.id, email: 'ops.lead@example.fr', name: 'Ops Lead', role: 'ops', locationIds: [], locale: 'fr' }, csrfToken: s.csrf });
    // The user acts as `user:<email>` with its role.
    expect((await t.app.inject({ url: '/v1/me', headers: { cookie: s.cookie } })).json()).toEqual({ id: 'user:ops.lead@example.fr', role: 'ops', locationIds: [] });
    // Only a hash of the token is stored.
    const token = s.cookie.split('=')[1]!;
    const rows = await t.ctx.db.selectFrom('user_session').select(['token_hash', 'user_agent']).execute();
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect((await t.ctx.db.selectFrom('app_user').select('last_login_at').where('email', '=', 'ops.lead@example.fr').executeTakeFirstOrThrow()).last_login_at).toEqual(t.clock.now());
  });

  it('answers a wrong password and an unknown e-mail the same way, without a cookie', async () => {
    const wrong = await loginRequest(t, 'ops.lead@example.fr', 'not the password');
    const unknown = await loginRequest(t, 'nobody@example.fr', PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect((await session({})).statusCode).toBe(401);
    expect((await session({ cookie: 'ordo_session=forged' })).statusCode).toBe(401);
  });

  it('locks an account after five wrong passwords, even for the right one, and lets it in after 15 minutes', async () => {
    await createUser(t, { email: 'victim@example.fr', role: 'service' });
    for (let i = 0; i < 4; i++) expect((await loginRequest(t, 'victim@example.fr', `guess-${i}`)).statusCode).toBe(401);
    const fifth = await loginRequest(t, 'victim@example.fr', 'guess-5');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toMatchObject({ code: 'too_many_attempts', details: { retryAfterSeconds: 900 } });
    expect(fifth.headers['retry-after']).toBe('900');

    t.clock.advance(10 * MINUTE);
    const right = await loginRequest(t, 'victim@example.fr', PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.json().error.details.retryAfterSeconds).toBe(300);
    expect(right.headers['set-cookie']).toBeUndefined();

    t.clock.advance(5 * MINUTE);
    expect((await loginRequest(t, 'victim@example.fr', PASSWORD)).statusCode).toBe(200);
    // A success resets the count: four more failures do not lock.
    for (let i = 0; i < 4; i++) expect((await loginRequest(t, 'victim@example.fr', `again-${i}`)).statusCode).toBe(401);
    expect((await loginRequest(t, 'victim@example.fr', PASSWORD)).statusCode).toBe(200);
  });

  it('locks unknown e-mails the same way, so a 429 does not reveal that an account exists', async () => {
    for (let i = 0; i < 4; i++) expect((await loginRequest(t, 'ghost@example.fr', `guess-${i}`)).statusCode).toBe(401);
    expect((await loginRequest(t, 'ghost@example.fr', 'guess-5')).statusCode).toBe(429);
    t.clock.advance(15 * MINUTE);
    expect((await loginRequest(t, 'ghost@example.fr', 'guess-6')).statusCode).toBe(401);
  });

  it('refuses a disabled account (only to someone who knows its password) and ends its sessions', async () => {
    const user = await createUser(t, { email: 'leaver@example.fr', role: 'ops' });
    const s = await signIn(t, 'leaver@example.fr');
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/users/${user.id}`, headers: t.admin, payload: { disabled: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ disabled: true, disabledAt: t.clock.now().toISOString() });
    expect((await session({ cookie: s.cookie })).statusCode).toBe(401);
    const disabled = await loginRequest(t, 'leaver@example.fr');
    expect([disabled.statusCode, disabled.json().error.code]).toEqual([403, 'account_disabled']);
    expect((await loginRequest(t, 'leaver@example.fr', 'wrong password')).json().error.code).toBe('invalid_credentials');
    const live = await t.ctx.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
    expect(live).toEqual([]);
    // Enabled again, the user signs in.
    await t.app.inject({ method: 'PATCH', url: `/v1/users/${user.id}`, headers: t.admin, payload: { disabled: false } });
    expect((await loginRequest(t, 'leaver@example.fr')).statusCode).toBe(200);
  });

  it('ends a session after 12 idle hours; using it pushes that back, but never past 7 days after sign-in', async () => {
    const idle = await signIn(t, 'ops.lead@example.fr');
    const used = await signIn(t, 'ops.lead@example.fr');
    t.clock.advance(11 * HOUR);
    expect((await session({ cookie: used.cookie })).statusCode).toBe(200);
    t.clock.advance(2 * HOUR);
    expect((await session({ cookie: idle.cookie })).statusCode).toBe(401);
    expect((await session({ cookie: used.cookie })).statusCode).toBe(200);

    // Used every 10 hours, the session still ends 7 days after sign-in.
    const signedInAt = t.clock.now().getTime() - 13 * HOUR;
    while (t.clock.now().getTime() + 10 * HOUR < signedInAt + 7 * 24 * HOUR) {
      t.clock.advance(10 * HOUR);
      expect((await session({ cookie: used.cookie })).statusCode).toBe(200);
    }
    t.clock.set(new Date(signedInAt + 7 * 24 * HOUR));
    expect((await session({ cookie: used.cookie })).statusCode).toBe(401);
  });

  it('signs out: the session ends and the cookie is cleared; a CSRF token is needed to end a live one', async () => {
    const s = await signIn(t, 'ops.lead@example.fr');
    const forged = await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: { cookie: s.cookie } });
    expect([forged.statusCode, forged.json().error.code]).toEqual([403, 'csrf_failed']);
    expect((await session({ cookie: s.cookie })).statusCode).toBe(200);

    const out = await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: asUser(s) });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^ordo_session=;.*Max-Age=0/);
    expect((await session({ cookie: s.cookie })).statusCode).toBe(401);
    // Signing out again (an ended session, or none) still answers 204.
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: asUser(s) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout' })).statusCode).toBe(204);
  });

  it('marks the cookie Secure when Ordo is served over https', async () => {
    const secure = await createTestApp({ env: { ORDO_PUBLIC_URL: 'https://oms.example.fr' } });
    try {
      await createUser(secure, { email: 'tls@example.fr', role: 'ops' });
      const s = await signIn(secure, 'tls@example.fr');
      expect(s.setCookie).toContain('Secure');
    } finally {
      await secure.close();
    }
  });
});
