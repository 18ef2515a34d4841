import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Policy versions are numbered under the policy row's lock, on the real server. */
describe('routing policy versions under concurrent PUTs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const put = (id: string, name: string) => t.app.inject({ method: 'PUT', url: `/v1/routing-policies/${id}`, headers: t.admin, payload: { name, rules: { splitPenaltyMinor: 1000 } } });

  it('eight different first PUTs of one id make versions 1 to 8; eight identical ones make one version', async () => {
    const different = await Promise.all(Array.from({ length: 8 }, (_, i) => put('race', `name ${i}`)));
    expect(different.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(different.map((r) => r.json().version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const same = await Promise.all(Array.from({ length: 8 }, () => put('calm', 'same')));
    expect(same.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const detail = (await t.app.inject({ url: '/v1/routing-policies/calm', headers: t.admin })).json();
    expect(detail.versions).toHaveLength(1);
    expect(detail.audit).toHaveLength(1);
  });
});
