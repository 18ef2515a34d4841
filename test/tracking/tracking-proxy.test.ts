import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { LOOKUPS_PER_CLIENT } from '../../src/modules/tracking/tracking.routes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Behind a load balancer, the per-client limit must count customers, not the balancer. */
describe('tracking lookups behind a proxy (ORDO_TRUST_PROXY)', () => {
  let behindProxy: TestApp;
  let direct: TestApp;
  beforeAll(async () => {
    [behindProxy, direct] = await Promise.all([createTestApp({ env: { ORDO_TRUST_PROXY: '1' } }), createTestApp()]);
  });
  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
  });

  const lookup = (t: TestApp, i: number, client: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/tracking/lookup',
      payload: { orderNumber: `ORD-2026-7${String(i).padStart(5, '0')}`, email: 'x@example.fr' },
      remoteAddress: '10.0.0.1',
      headers: { 'x-forwarded-for': client },
    });

  it('counts each forwarded client on its own when the proxy is trusted', async () => {
    for (let i = 0; i < LOOKUPS_PER_CLIENT.capacity; i++) expect((await lookup(behindProxy, i, '198.51.100.7')).statusCode).toBe(404);
    expect((await lookup(behindProxy, 100, '198.51.100.7')).statusCode).toBe(429);
    expect((await lookup(behindProxy, 101, '198.51.100.8')).statusCode).toBe(404);
  });

  it('ignores X-Forwarded-For when no proxy is trusted: a client cannot escape the limit by writing it', async () => {
    for (let i = 0; i < LOOKUPS_PER_CLIENT.capacity; i++) expect((await lookup(direct, i, `198.51.100.${i}`)).statusCode).toBe(404);
    expect((await lookup(direct, 100, '198.51.100.200')).statusCode).toBe(429);
  });

  it('takes a hop count or proxy addresses, nothing else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ ORDO_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ORDO_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual(['10.0.0.0/8', '::1']);
    expect(() => loadConfig({ ORDO_TRUST_PROXY: 'true' })).toThrow(ConfigError);
  });
});
