import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderFactsOf } from '../../src/modules/orders/order-facts.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork } from './fixtures.js';

// Order requests arriving together share one read of their facts; each must see only what it named, as
// committed before it asked.
describe('order facts read together', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
  });
  afterAll(() => t.close());

  it('answers each request what it named, nothing another request of the same read named', async () => {
    const [a, b, c] = await Promise.all([
      orderFactsOf(t.ctx.db, { channelId: 'web', skus: ['SKU-1', 'SKU-2'], locationIds: [] }),
      orderFactsOf(t.ctx.db, { channelId: 'pos', skus: ['SKU-3', 'NOPE'], locationIds: ['store-paris'] }),
      orderFactsOf(t.ctx.db, { channelId: 'nowhere', skus: ['SKU-1'], locationIds: ['store-lyon', 'nowhere'] }),
    ]);
    expect(a.channel).toEqual({ id: 'web', type: 'web', active: true });
    expect([...a.products.keys()].sort()).toEqual(['SKU-1', 'SKU-2']);
    expect(a.products.get('SKU-2')).toEqual({ name: 'Jean brut', prices: { EUR: 7990 }, active: true });
    expect(a.locations.size).toBe(0);
    expect(b.channel?.type).toBe('pos');
    expect([...b.products.keys()]).toEqual(['SKU-3']);
    expect([...b.locations.keys()]).toEqual(['store-paris']);
    expect(b.locations.get('store-paris')).toMatchObject({ type: 'store', timeZone: 'Europe/Paris', active: true });
    expect(c.channel).toBeUndefined();
    expect([...c.products.keys()]).toEqual(['SKU-1']);
    expect([...c.locations.keys()]).toEqual(['store-lyon']);
    // Each request its own new order number; the settings as stored over the defaults.
    expect(new Set([a, b, c].map((f) => f.orderSequence)).size).toBe(3);
    expect(a.fulfillmentSettings).toEqual(b.fulfillmentSettings);
    expect(a.fulfillmentSettings.acceptTimeoutMinutes).toBeGreaterThan(0);
  });

  it('sees a change committed before it asked', async () => {
    await sql`UPDATE product SET active = false WHERE sku = 'SKU-3'`.execute(t.ctx.db);
    const facts = await orderFactsOf(t.ctx.db, { channelId: 'web', skus: ['SKU-3'], locationIds: [] });
    expect(facts.products.get('SKU-3')?.active).toBe(false);
    await sql`UPDATE product SET active = true WHERE sku = 'SKU-3'`.execute(t.ctx.db);
  });

  it('answers each request the customer its contact names and the committed answer of its key', async () => {
    const at = (iso: string) => new Date(iso);
    await sql`INSERT INTO customer (email, email_key, phone, phone_key, name, created_at, updated_at) VALUES
      ('Ada@Example.com', 'ada@example.com', '+33 6 11 22 33 44', '+33611223344', 'Ada', ${at('2026-01-01T00:00:00Z')}, ${at('2026-01-01T00:00:00Z')}),
      (NULL, NULL, '+33 6 11 22 33 44', '+33611223344', 'Phone only', ${at('2026-02-01T00:00:00Z')}, ${at('2026-02-01T00:00:00Z')}),
      ('bob@example.com', 'bob@example.com', NULL, NULL, 'Bob', ${at('2026-03-01T00:00:00Z')}, ${at('2026-03-01T00:00:00Z')})`.execute(t.ctx.db);
    await sql`INSERT INTO idempotency_key (scope, key, request_hash, status_code, response_body) VALUES
      ('POST /v1/orders k', 'done', 'h1', 201, '{"id":"o-1"}'), ('POST /v1/orders k', 'claimed', 'h2', 0, '{}')`.execute(t.ctx.db);
    const ask = { channelId: 'web', skus: ['SKU-1'], locationIds: [] };
    const [byEmail, byPhone, unknown, done, claimed] = await Promise.all([
      orderFactsOf(t.ctx.db, { ...ask, contact: { email: 'ADA@example.com ' } }),
      orderFactsOf(t.ctx.db, { ...ask, contact: { phone: '+33 6 11 22 33 44' } }),
      orderFactsOf(t.ctx.db, { ...ask, contact: { email: 'new@example.com', phone: '+33 6 11 22 33 44' } }),
      orderFactsOf(t.ctx.db, { ...ask, idempotency: { scope: 'POST /v1/orders k', key: 'done' } }),
      orderFactsOf(t.ctx.db, { ...ask, idempotency: { scope: 'POST /v1/orders k', key: 'claimed' } }),
    ]);
    expect(byEmail.customer?.name).toBe('Ada');
    expect(byEmail.customer?.created_at).toEqual(at('2026-01-01T00:00:00Z'));
    // A phone-only contact finds the oldest customer with that phone, e-mail or not.
    expect(byPhone.customer?.name).toBe('Ada');
    // A contact with an e-mail is matched by it alone: another customer's phone does not make it theirs.
    expect(unknown.customer).toBeUndefined();
    expect(done.customer).toBeUndefined();
    expect(done.storedAnswer).toEqual({ scope: 'POST /v1/orders k', key: 'done', requestHash: 'h1', statusCode: 201, body: { id: 'o-1' } });
    // A key claimed by a transaction that has not answered yet is no answer.
    expect(claimed.storedAnswer).toBeUndefined();
    expect(byEmail.storedAnswer).toBeUndefined();
  });
});
