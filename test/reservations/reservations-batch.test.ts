import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantPerPosition, positionKey } from '../../src/domain/reservations/hold.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { checkConservation, position, seedStock } from './fixtures.js';

describe('reservation batches mixing many positions', () => {
  let t: TestApp;
  const stock = [
    { sku: 'MIX-A', locationId: 'WH-1', onHand: 3 },
    { sku: 'MIX-A', locationId: 'WH-2', onHand: 5, safetyStock: 1 },
    { sku: 'MIX-B', locationId: 'WH-1', onHand: 0 },
    { sku: 'mix-c', locationId: 'WH-1', onHand: 40 },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    await seedStock(t.ctx.db, stock, [{ id: 'only-wh2', eligibleLocationIds: ['WH-2'] }]);
  });
  afterAll(async () => t?.close());

  it('grants first come, first served per row, refuses per request, and conserves every row', async () => {
    const actor = systemActor('test');
    const rows = ['MIX-A/WH-1', 'MIX-A/WH-2', 'MIX-B/WH-1', 'mix-c/WH-1', 'NOPE/WH-1'];
    // Arrival order is the order of the calls: all queue behind the first batch, then go together.
    const requests = Array.from({ length: 60 }, (_, i) => {
      const [sku, locationId] = rows[i % rows.length]!.split('/') as [string, string];
      return { sku, locationId, quantity: (i % 3) + 1, channel: i === 1 || i === 6 ? 'only-wh2' : undefined, reference: `cart "${i}" \\ {x}` };
    });
    requests[3]!.channel = 'only-wh2'; // mix-c at WH-1: refused by the channel, stock untouched by it
    const results = await Promise.all(
      requests.map((r) => t.ctx.reservations.create(actor, { lines: [{ sku: r.sku, locationId: r.locationId, quantity: r.quantity }], reference: r.reference, ...(r.channel ? { channel: r.channel } : {}) })),
    );

    // Expected outcome: the domain rule the SQL function implements, fed the same arrival order.
    const free = new Map(stock.map((s) => [positionKey(s.sku, s.locationId), s.onHand - (s.safetyStock ?? 0)]));
    const { grants, totals } = grantPerPosition(free, requests.map((r, i) => (i === 3 ? null : r)));
    expect(results[3]).toMatchObject({ ok: false, code: 'location_not_eligible' });
    requests.forEach((r, i) => {
      const grant = grants[i];
      const result = results[i]!;
      if (grant === null) return;
      if (grant === undefined) return expect(result).toMatchObject({ ok: false, code: 'unknown_position', details: { missing: [{ sku: r.sku, locationId: r.locationId }] } });
      if (!grant.granted) {
        return expect(result).toMatchObject({ ok: false, code: 'insufficient_stock', details: { shortfalls: [{ requested: r.quantity, available: grant.available }] } });
      }
      expect(result).toMatchObject({ ok: true, value: { statusCode: 201, hold: { status: 'active', lines: [{ sku: r.sku, locationId: r.locationId, quantity: r.quantity }] } } });
    });
    const left = new Map([...free].map(([k, f]) => [k.replace('\u0000', '/'), f - (totals.get(k) ?? 0)]));

    for (const s of stock) {
      const granted = s.onHand - (s.safetyStock ?? 0) - left.get(`${s.sku}/${s.locationId}`)!;
      expect(await position(t.ctx.db, s.sku, s.locationId)).toEqual({ onHand: s.onHand, reserved: granted, safetyStock: s.safetyStock ?? 0 });
      expect(await checkConservation(t.ctx.db, s.sku, s.locationId)).toEqual({ reserved: granted, active: granted });
    }
    // The rows that ran out did run out, and the plentiful one did not.
    expect(left.get('MIX-A/WH-1')).toBeLessThan(1);
    expect(left.get('mix-c/WH-1')).toBeGreaterThan(0);
    // One stock.changed per changed row per batch, each carrying the state after that batch.
    const last = await t.ctx.db.selectFrom('outbox_event').select('payload').where('aggregate_id', '=', 'WH-1/mix-c').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last.payload).toMatchObject({ sku: 'mix-c', onHand: 40, reserved: 40 - left.get('mix-c/WH-1')!, safetyStock: 0, atp: left.get('mix-c/WH-1'), cause: 'reservation' });
    // Each granted hold's event carries exactly the hold the caller got back (quotes and all survive the trip).
    const granted = results.flatMap((r) => (r.ok ? [r.value.hold] : []));
    const created = await t.ctx.db.selectFrom('outbox_event').select(['aggregate_id', 'payload']).where('type', '=', 'reservation.created').orderBy('id').execute();
    expect(created.map((e) => e.payload)).toEqual(granted);
    expect(created.map((e) => e.aggregate_id)).toEqual(granted.map((h) => h.id));
  });
});
