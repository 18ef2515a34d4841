import { expect } from 'vitest';
import type { TestApp } from '../support/test-app.js';

export const PASSWORD = 'correct horse battery';

export interface SignedIn {
  /** `ordo_session=<token>`, ready for a Cookie header. */
  cookie: string;
  csrf: string;
  setCookie: string;
  user: { id: string; email: string; role: string; locationIds: string[] };
}

export async function createUser(t: TestApp, body: Record<string, unknown>): Promise<{ id: string; email: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/users', headers: t.admin, payload: { name: 'Someone', password: PASSWORD, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export function loginRequest(t: TestApp, email: string, password = PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
}

export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<SignedIn> {
  const res = await loginRequest(t, email, password);
  expect(res.statusCode, res.body).toBe(200);
  const setCookie = String(res.headers['set-cookie']);
  const token = /ordo_session=([^;]+)/.exec(setCookie)?.[1];
  expect(token).toBeDefined();
  const body = res.json();
  return { cookie: `ordo_session=${token}`, csrf: body.csrfToken, setCookie, user: body.user };
}

/** Headers of a browser request with the session: the cookie, and the CSRF token unless told otherwise. */
export const asUser = (s: SignedIn, csrf: string | null = s.csrf): Record<string, string> => ({ cookie: s.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) });
