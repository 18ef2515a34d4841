import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoNetwork } from '../../src/modules/demo/load-demo-network.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { option, options } from './fixtures.js';

describe('promise on the demo network', () => {
  let t: TestApp;
  let sku: string;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemoNetwork(t.ctx);
    await t.ctx.availability.refresh();
    // A SKU the Paris Rivoli flagship holds, so every kind of option can exist.
    const row = await t.database.db
      .selectFrom('stock_position')
      .select('sku')
      .where('location_id', '=', 'store-paris-rivoli')
      .where('on_hand', '>', 2)
      .orderBy('sku')
      .executeTakeFirstOrThrow();
    sku = row.sku;
  });
  afterAll(() => t.close());

  it('offers standard, express, same day in Paris on a weekday morning, and click & collect at nearby stores', async () => {
    t.clock.set('2026-11-25T08:30:00Z'); // Wednesday 09:30 in Paris
    const body = await options(t, { destination: { postalCode: '75001', country: 'FR' }, lines: [{ sku, quantity: 1 }] });
    for (const id of ['ship:standard', 'ship:express', 'ship:same_day']) expect(option(body, id), id).toBeDefined();
    expect(option(body, 'ship:same_day')!.latest).toBe('2026-11-25');
    expect(option(body, 'ship:express')!.latest <= option(body, 'ship:standard')!.latest).toBe(true);
    expect(option(body, 'click_and_collect:store-paris-rivoli')).toBeDefined();
    const carriers = await t.app.inject({ url: '/v1/carriers', headers: t.admin });
    expect(carriers.json().items.map((c: { id: string }) => c.id)).toContain('colissimo');
  });
});
