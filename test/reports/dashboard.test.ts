import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchOrders } from '../../src/modules/promise/sla-watch.job.js';
import { buildOrderNetwork, placeOrder } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Orders placed through the API around Monday 23 November 2026 (Paris, UTC+1), on the order network of
// test/orders/fixtures.ts: store-paris ships SKU-1 (5) and SKU-2 (1), wh-lyon holds SKU-2 (10) and waits
// for SKU-PRE (backorderable), store-lyon (pickup only) holds SKU-1 (2) and SKU-3 (3).
const lyonPickup = { method: 'pickup', pickupLocationId: 'store-lyon' };
const eur = (orders: number, totalMinor: number) => [{ currency: 'EUR', orders, totalMinor }];

describe('GET /v1/reports/dashboard: a day of orders, late and at-risk orders', () => {
  let t: TestApp;
  let parisKey: string;
  const numbers: Record<string, string> = {};

  const dashboard = async (query = '', auth = t.admin.authorization) => {
    const res = await t.app.inject({ url: `/v1/reports/dashboard${query}`, headers: { authorization: auth } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const watch = () => watchOrders({ db: t.ctx.db, clock: t.clock, promiseData: t.ctx.promiseData, riskMarginMinutes: 60 });

  beforeAll(async () => {
    t = await createTestApp();
    ({ parisKey } = await buildOrderNetwork(t));
    const place = async (name: string, at: string, body: Record<string, unknown>, auth?: string) => {
      t.clock.set(at);
      const res = await placeOrder(t, body, auth ? { auth } : {});
      expect(res.statusCode, res.body).toBe(201);
      const order = res.json();
      numbers[name] = order.number;
      return order;
    };
    // Saturday 11:00 and Sunday 23:30 in Paris: the days before.
    await place('saturday', '2026-11-21T10:00:00Z', { delivery: lyonPickup, lines: [{ sku: 'SKU-3', quantity: 1 }] });
    await place('sunday', '2026-11-22T22:30:00Z', { delivery: lyonPickup, lines: [{ sku: 'SKU-3', quantity: 1 }] });
    // Monday 00:30 in Paris (still Sunday in UTC): one shipment from store-paris, 5.00 € planned shipping + 3.00 € handling.
    await place('midnight', '2026-11-22T23:30:00Z', { lines: [{ sku: 'SKU-1', quantity: 1 }], shippingMinor: 490 });
    // 10:00: split between store-paris (SKU-1) and wh-lyon (SKU-2 ×2): 14.00 € shipping + 4.50 € handling.
    await place('split', '2026-11-23T09:00:00Z', { lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 2 }] });
    // 10:05 on the app: a pre-order awaiting supply (stock shortfall), its future shipment costed 10.50 €.
    await place('preorder', '2026-11-23T09:05:00Z', { channel: 'app', lines: [{ sku: 'SKU-PRE', quantity: 1 }] });
    // 10:15 at the Paris counter: a counter sale, no costed plan.
    await place('counter', '2026-11-23T09:15:00Z', { channel: 'pos', customer: undefined, delivery: { method: 'carry_out' }, origin: { storeId: 'store-paris' }, lines: [{ sku: 'SKU-1', quantity: 1 }] }, parisKey);
    // 11:30 call centre: collected in Lyon from its shelf plus a transfer from wh-lyon (a split), 5.00 € + 4.50 €.
    await place('transfer', '2026-11-23T10:30:00Z', { channel: 'callcenter', delivery: lyonPickup, lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 1 }] });
    // 11:45 and 11:50: cancelled as a whole, once by the customer and once for lack of stock.
    const changedMind = await place('changedMind', '2026-11-23T10:45:00Z', { channel: 'callcenter', delivery: lyonPickup, lines: [{ sku: 'SKU-3', quantity: 1 }] });
    const noStock = await place('noStock', '2026-11-23T10:50:00Z', { lines: [{ sku: 'SKU-1', quantity: 1 }] });
    for (const [order, reason] of [[changedMind, 'customer_request'], [noStock, 'out_of_stock']] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: t.admin, payload: { reason } });
      expect(res.statusCode, res.body).toBe(200);
    }
    // 15:10: the two ships and the Lyon transfer are not accepted 50 minutes before their deadline (at
    // risk); the weekend pickups were due ready already (delayed).
    t.clock.set('2026-11-23T14:10:00Z');
    expect(await watch()).toMatchObject({ alerts: 5 });
  });
  afterAll(() => t.close());

  it('counts the day in Paris by channel and status, with values of the orders kept', async () => {
    const d = await dashboard();
    expect(d).toMatchObject({ date: '2026-11-23', timeZone: 'Europe/Paris', channelId: null, from: '2026-11-22T23:00:00.000Z', to: '2026-11-23T23:00:00.000Z', generatedAt: '2026-11-23T14:10:00.000Z' });
    expect(d.orders).toEqual({ count: 7, cancelled: 2, values: eur(5, 5480 + 20970 + 19900 + 4990 + 12980) });
    expect(d.byChannel.map((c: { channelId: string; orders: number; cancelled: number; values: unknown }) => [c.channelId, c.orders, c.cancelled, c.values])).toEqual([
      ['web', 3, 1, eur(2, 5480 + 20970)],
      ['callcenter', 2, 1, eur(1, 12980)],
      ['app', 1, 0, eur(1, 19900)],
      ['pos', 1, 0, eur(1, 4990)],
    ]);
    expect(d.byChannel[0]).toMatchObject({ name: 'web', type: 'web' });
    expect(d.byStatus).toEqual([
      { status: 'allocated', orders: 3, values: eur(3, 5480 + 20970 + 12980) },
      { status: 'cancelled', orders: 2, values: eur(2, 2500 + 4990) },
      { status: 'backordered', orders: 1, values: eur(1, 19900) },
      { status: 'completed', orders: 1, values: eur(1, 4990) },
    ]);
  });

  it('split rate, stockout rate per channel and planned sourcing cost per order', async () => {
    const d = await dashboard('?date=2026-11-23');
    expect(d.split).toEqual({ orders: 7, split: 2, rate: 2 / 7 });
    // The pre-order (1 line) and the order cancelled for lack of stock (1 line) of 9 lines.
    expect(d.stockout).toEqual({ orders: 7, stockoutOrders: 2, rate: 2 / 7, lines: 9, stockoutLines: 2, lineRate: 2 / 9 });
    expect(Object.fromEntries(d.byChannel.map((c: { channelId: string; stockout: unknown }) => [c.channelId, c.stockout]))).toEqual({
      web: { orders: 3, stockoutOrders: 1, rate: 1 / 3, lines: 4, stockoutLines: 1, lineRate: 1 / 4 },
      callcenter: { orders: 2, stockoutOrders: 0, rate: 0, lines: 3, stockoutLines: 0, lineRate: 0 },
      app: { orders: 1, stockoutOrders: 1, rate: 1, lines: 1, stockoutLines: 1, lineRate: 1 },
      pos: { orders: 1, stockoutOrders: 0, rate: 0, lines: 1, stockoutLines: 0, lineRate: 0 },
    });
    // Six costed placements (the counter sale has none): 8.00 + 18.50 + 10.50 + 9.50 + 3.00 (changed mind) + 8.00 (no stock).
    const total = 800 + 1850 + 1050 + 950 + 300 + 800;
    expect(d.sourcingCost).toEqual([{ currency: 'EUR', orders: 6, totalMinor: total, averageMinor: Math.round(total / 6) }]);
  });

  it('hourly series in local hours and the last seven days', async () => {
    const d = await dashboard('?date=2026-11-23&timeZone=Europe/Paris');
    expect(d.hourly).toHaveLength(24);
    expect(d.hourly[0]).toEqual({ at: '2026-11-22T23:00:00.000Z', hour: '00:00', orders: 1 });
    expect(d.hourly.filter((h: { orders: number }) => h.orders > 0).map((h: { hour: string; orders: number }) => [h.hour, h.orders])).toEqual([
      ['00:00', 1],
      ['10:00', 3],
      ['11:00', 3],
    ]);
    expect(d.last7Days).toEqual([
      ...['17', '18', '19', '20'].map((day) => ({ date: `2026-11-${day}`, orders: 0, values: [] })),
      { date: '2026-11-21', orders: 1, values: eur(1, 2500) },
      { date: '2026-11-22', orders: 1, values: eur(1, 2500) },
      { date: '2026-11-23', orders: 7, values: eur(5, 64320) },
    ]);
  });

  it('reads the day in another time zone', async () => {
    // Sunday in New York (UTC-5) holds Sunday 23:30 and Monday 00:30 in Paris.
    const d = await dashboard('?date=2026-11-22&timeZone=America/New_York');
    expect(d).toMatchObject({ from: '2026-11-22T05:00:00.000Z', to: '2026-11-23T05:00:00.000Z', orders: { count: 2, cancelled: 0, values: eur(2, 2500 + 5480) } });
    expect(d.hourly.filter((h: { orders: number }) => h.orders > 0).map((h: { hour: string }) => h.hour)).toEqual(['17:00', '18:00']);
  });

  it('lists the open orders late or at risk now, delayed first, and follows the SLA watch', async () => {
    const d = await dashboard('?date=2026-11-10');
    expect([d.late.delayed, d.late.atRisk]).toEqual([2, 3]);
    expect(d.late.items.map((i: { number: string; state: string; reason: string }) => [i.number, i.state, i.reason])).toEqual([
      [numbers.saturday, 'delayed', 'pickup_not_ready'],
      [numbers.sunday, 'delayed', 'pickup_not_ready'],
      [numbers.transfer, 'at_risk', 'not_accepted_near_deadline'],
      [numbers.midnight, 'at_risk', 'not_accepted_near_deadline'],
      [numbers.split, 'at_risk', 'not_accepted_near_deadline'],
    ]);
    expect(d.late.items[3]).toMatchObject({ channelId: 'web', status: 'allocated', deliveryMethod: 'ship', customerName: 'Alice Martin', promiseLatest: '2026-11-24T22:59:59.000Z', changedAt: '2026-11-23T14:10:00.000Z' });
    expect(d.late.items[0].orderId).toMatch(/^[0-9a-f-]{36}$/);

    const web = await dashboard('?channelId=web');
    expect([web.late.delayed, web.late.atRisk, web.late.items.length]).toEqual([2, 2, 4]);

    // Wednesday: every promise has passed; nothing else changed.
    t.clock.set('2026-11-25T09:00:00Z');
    await watch();
    const later = await dashboard();
    expect([later.date, later.orders.count, later.late.delayed, later.late.atRisk]).toEqual(['2026-11-25', 0, 5, 0]);
    t.clock.set('2026-11-23T14:10:00Z');
  });

  it('one channel only', async () => {
    const d = await dashboard('?date=2026-11-23&channelId=web');
    expect(d).toMatchObject({ channelId: 'web', orders: { count: 3, cancelled: 1, values: eur(2, 26450) }, split: { orders: 3, split: 1 } });
    expect(d.byChannel.map((c: { channelId: string }) => c.channelId)).toEqual(['web']);
    expect(d.hourly.filter((h: { orders: number }) => h.orders > 0).map((h: { hour: string; orders: number }) => [h.hour, h.orders])).toEqual([
      ['00:00', 1],
      ['10:00', 1],
      ['11:00', 1],
    ]);
    expect(d.last7Days.map((x: { orders: number }) => x.orders)).toEqual([0, 0, 0, 0, 1, 1, 3]);
  });

  it('an empty day: zero counts, no rates', async () => {
    const d = await dashboard('?date=2026-11-10');
    expect(d).toMatchObject({ orders: { count: 0, cancelled: 0, values: [] }, byChannel: [], byStatus: [], sourcingCost: [] });
    expect(d.split).toEqual({ orders: 0, split: 0, rate: null });
    expect(d.stockout).toEqual({ orders: 0, stockoutOrders: 0, rate: null, lines: 0, stockoutLines: 0, lineRate: null });
    expect(d.hourly.every((h: { orders: number }) => h.orders === 0)).toBe(true);
  });

  it('has 23 or 25 hours on the days the clocks change', async () => {
    const spring = await dashboard('?date=2026-03-29');
    expect(spring.hourly.map((h: { hour: string }) => h.hour).slice(0, 4)).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(spring.hourly).toHaveLength(23);
    const autumn = await dashboard('?date=2026-10-25');
    expect(autumn.hourly.map((h: { hour: string }) => h.hour).slice(0, 5)).toEqual(['00:00', '01:00', '02:00', '02:00', '03:00']);
    expect(autumn.hourly).toHaveLength(25);
  });

  it('refuses bad input with 400 and unknown channels with 404', async () => {
    const get = (query: string, auth = t.admin.authorization) => t.app.inject({ url: `/v1/reports/dashboard${query}`, headers: { authorization: auth } });
    for (const [query, status, code] of [
      ['?date=2026-02-30', 400, 'validation_failed'],
      ['?date=23/11/2026', 400, 'validation_failed'],
      ['?timeZone=Mars/Olympus', 400, 'invalid_time_zone'],
      ['?timeZone=', 400, 'validation_failed'],
      ['?channelId=Not%20a%20channel', 400, 'validation_failed'],
      ['?channelId=nowhere', 404, 'channel_not_found'],
    ] as const) {
      const res = await get(query);
      expect([query, res.statusCode, res.json().error.code]).toEqual([query, status, code]);
    }
  });

  it('is for admin, ops and service; not for store or integration keys', async () => {
    const key = async (role: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: role, role } });
      expect(res.statusCode, res.body).toBe(201);
      return `Bearer ${res.json().secret}`;
    };
    for (const role of ['ops', 'service']) expect((await dashboard('', await key(role))).orders.count).toBe(7);
    for (const auth of [`Bearer ${parisKey}`, await key('integration')]) {
      const res = await t.app.inject({ url: '/v1/reports/dashboard', headers: { authorization: auth } });
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
    }
  });
});
