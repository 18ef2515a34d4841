import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromiseData } from '../../src/modules/promise/promise-data.js';
import { watchOrders } from '../../src/modules/promise/sla-watch.job.js';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('SLA watch on PostgreSQL: several processes watching at once say each change once', () => {
  let t: TestApp;
  const orderIds: string[] = [];
  // Each "process" has its own master-data cache, as separate Ordo processes do.
  const watchers = () =>
    Array.from({ length: 4 }, () => watchOrders({ db: t.ctx.db, clock: t.clock, promiseData: new PromiseData(t.ctx.db, t.clock), riskMarginMinutes: 60 }, 4));
  const countAlerts = async (type: string) => {
    const rows = await t.ctx.db.selectFrom('outbox_event').select('aggregate_id').where('type', '=', type).execute();
    return rows.map((r) => r.aggregate_id).sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    // Five from the Paris store, ten from the warehouse: all leave today before the carrier's 16:00.
    for (const sku of [...Array(5).fill('SKU-1'), ...Array(10).fill('SKU-2')]) {
      const res = await placeOrder(t, { lines: [{ sku, quantity: 1 }] });
      expect(res.statusCode, res.body).toBe(201);
      orderIds.push(res.json().id);
    }
    orderIds.sort();
  });
  afterAll(() => t.close());

  it('at risk near the cut-off, at risk with the later date past it, delayed once the promised day is over: each once per order', async () => {
    t.clock.set('2026-11-23T14:10:00Z');
    const risk = await Promise.all(watchers());
    expect(risk.reduce((n, r) => n + r.alerts, 0)).toBe(15);
    expect(await countAlerts('order.at_risk')).toEqual(orderIds);
    // 16:01 in Paris: the carrier left without them; the promised Tuesday has not passed yet.
    t.clock.set('2026-11-23T15:01:00Z');
    const later = await Promise.all(watchers());
    expect(later.reduce((n, r) => n + r.alerts, 0)).toBe(15);
    expect(await countAlerts('order.at_risk')).toEqual(orderIds.flatMap((id) => [id, id]));
    expect(await countAlerts('order.delayed')).toEqual([]);
    const told = await t.ctx.db.selectFrom('order_sla').select(['state', 'customer_eta_latest']).execute();
    expect(told.map((s) => s.state)).toEqual(Array(15).fill('at_risk'));
    expect(told.every((s) => s.customer_eta_latest !== null && s.customer_eta_latest > new Date('2026-11-24T22:59:59Z'))).toBe(true);
    // Midnight in Paris: Tuesday is over, nothing delivered.
    t.clock.set('2026-11-24T23:00:00Z');
    const late = await Promise.all(watchers());
    expect(late.reduce((n, r) => n + r.alerts, 0)).toBe(15);
    expect(await countAlerts('order.delayed')).toEqual(orderIds);
    expect((await Promise.all(watchers())).reduce((n, r) => n + r.alerts, 0)).toBe(0);
    const states = await t.ctx.db.selectFrom('order_sla').select('state').execute();
    expect(states.map((s) => s.state)).toEqual(Array(15).fill('delayed'));
  });
});
