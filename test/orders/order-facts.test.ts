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
});
