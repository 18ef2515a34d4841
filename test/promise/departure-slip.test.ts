import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../support/test-app.js';
import { placeOrder } from '../orders/fixtures.js';
import { bob, buildShipNetwork, fulfillmentsOf, MONDAY_10H, stepAs, toBob } from '../fulfillment/ship-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { option, options } from './fixtures.js';

const toLille = { destination: { postalCode: '59000', country: 'FR' } };

describe('departure slip: work shipped later than planned moves later promises from that location', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildShipNetwork(t);
  });
  afterAll(() => t.close());

  const promised = async (sku: string) => option(await options(t, { ...toLille, lines: [{ sku, quantity: 1 }] }), 'ship:standard')!;

  it('records how many departures late the parcels left, and the next promise dates by slip ⊕ transit', async () => {
    // Monday 10:00: the warehouse (cut-off 16:00, carrier collecting Mon–Fri, 1 day transit) leaves today.
    const before = { jean: await promised('JEAN'), pull: await promised('PULL') };
    expect(before.jean).toMatchObject({ earliest: '2026-11-24', latest: '2026-11-24', confidence: 1 });
    expect(before.jean.shipments[0]).toMatchObject({ locationId: 'wh-lyon', departureDate: '2026-11-23' });

    const placed = await placeOrder(t, { customer: bob, delivery: toBob, payment: { provider: 'manual' }, lines: [{ sku: 'JEAN', quantity: 1 }] });
    expect(placed.statusCode, placed.body).toBe(201);
    const [work] = await fulfillmentsOf(t, placed.json().number);
    expect(work!.locationId).toBe('wh-lyon');

    // It leaves on Thursday: three departures (Tue, Wed, Thu) after the planned Monday.
    t.clock.set('2026-11-26T09:00:00Z');
    await stepAs(t, ADMIN_KEY, work!, 'accept');
    await stepAs(t, ADMIN_KEY, work!, 'pick', { lines: [{ sku: 'JEAN', quantity: 1 }] });
    await stepAs(t, ADMIN_KEY, work!, 'ship', { parcels: [{ weightGrams: 900 }] });
    const rows = await t.ctx.db.selectFrom('departure_slip').select(['location_id', 'slip', sql<string>`planned_on::text`.as('planned_on'), sql<string>`departed_on::text`.as('departed_on')]).execute();
    expect(rows).toEqual([
      { location_id: 'wh-lyon', slip: 3, planned_on: '2026-11-23', departed_on: '2026-11-26' },
    ]);

    // The next Monday: one departure in ~16 late (its type's prior and its own record, each weighing
    // 30 departures) is more than the 5 % the confidence target leaves, so the latest date covers it:
    // Thursday's departure plus a day. The earliest date and a store's promise do not move.
    t.clock.set('2026-11-30T09:00:00Z');
    const after = { jean: await promised('JEAN'), pull: await promised('PULL') };
    expect(after.jean).toMatchObject({ earliest: '2026-12-01', latest: '2026-12-04', confidence: 1 });
    expect(after.jean.shipments[0]).toMatchObject({ locationId: 'wh-lyon', departureDate: '2026-11-30' });
    expect(after.pull).toMatchObject({ earliest: '2026-12-01', latest: '2026-12-01', confidence: 1 });
    expect(before.pull.latest).toBe('2026-11-24');
  });

  it('with the target above what on-time departures cover, the confidence states the slip', async () => {
    const set = await t.app.inject({ method: 'PATCH', url: '/v1/promise/settings', headers: t.admin, payload: { confidenceTarget: 0.9 } });
    expect(set.statusCode, set.body).toBeLessThan(300);
    t.clock.set(MONDAY_10H.replace('11-23', '11-30'));
    const jean = await promised('JEAN');
    // P(on time) = 1 − (30/31 + 1) / 31 ≈ 0.9365 ≥ 0.9: the latest date stays tomorrow, stated below 1.
    expect(jean.latest).toBe('2026-12-01');
    expect(jean.confidence).toBeCloseTo(1 - (30 / 31 + 1) / 31, 3);
  });
});
