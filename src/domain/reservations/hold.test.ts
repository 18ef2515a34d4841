import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkChannel, checkHoldRequest, compareByPosition, grantInOrder, grantPerPosition, holdExpiry, positionKey } from './hold.js';

describe('grantInOrder', () => {
  it('gives what one guarded UPDATE per request, in arrival order, would give', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 60 }), (available, quantities) => {
        const { grants, total } = grantInOrder(available, quantities);
        let left = available;
        quantities.forEach((q, i) => {
          const fits = q <= left;
          expect(grants[i]).toEqual(fits ? { granted: true } : { granted: false, available: left });
          if (fits) left -= q;
        });
        expect(total).toBe(available - left);
        expect(total).toBeLessThanOrEqual(available);
      }),
    );
  });

  it('lets a smaller later request through after a larger one did not fit', () => {
    expect(grantInOrder(3, [2, 2, 1]).grants).toEqual([{ granted: true }, { granted: false, available: 1 }, { granted: true }]);
  });
});

describe('grantPerPosition', () => {
  it('grants each position exactly as grantInOrder on that position alone, in arrival order', () => {
    const pos = fc.constantFrom('A|W1', 'A|W2', 'B|W1', 'C|W9');
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('A|W1', 'A|W2', 'B|W1'), fc.integer({ min: 0, max: 20 })),
        fc.array(fc.option(fc.tuple(pos, fc.integer({ min: 1, max: 6 })), { nil: null }), { maxLength: 80 }),
        (stock, raw) => {
          const free = new Map(Object.entries(stock).map(([k, v]) => [positionKey(k.split('|')[0]!, k.split('|')[1]!), v]));
          const requests = raw.map((r) => (r === null ? null : { sku: r[0].split('|')[0]!, locationId: r[0].split('|')[1]!, quantity: r[1] }));
          const { grants, totals } = grantPerPosition(free, requests);
          for (const [key, available] of free) {
            const mine = requests.flatMap((r, i) => (r !== null && positionKey(r.sku, r.locationId) === key ? [i] : []));
            const alone = grantInOrder(available, mine.map((i) => requests[i]!.quantity));
            expect(mine.map((i) => grants[i])).toEqual(alone.grants);
            expect(totals.get(key) ?? 0).toBe(alone.total);
          }
          requests.forEach((r, i) => {
            if (r === null) expect(grants[i]).toBeNull();
            else if (!free.has(positionKey(r.sku, r.locationId))) expect(grants[i]).toBeUndefined();
          });
        },
      ),
    );
  });
});

describe('hold rules', () => {
  const admin = { id: 'key:a', role: 'admin' as const, locationIds: [] };
  const store = { id: 'key:s', role: 'store' as const, locationIds: ['S1'] };

  it('orders positions by sku then location, byte-wise', () => {
    const sorted = [{ sku: 'b', locationId: 'A' }, { sku: 'B', locationId: 'Z' }, { sku: 'B', locationId: 'A' }].sort(compareByPosition);
    expect(sorted).toEqual([{ sku: 'B', locationId: 'A' }, { sku: 'B', locationId: 'Z' }, { sku: 'b', locationId: 'A' }]);
  });

  it('refuses repeated positions and locations outside a store scope', () => {
    const line = { sku: 'X', locationId: 'S1', quantity: 1 };
    expect(checkHoldRequest(admin, [line, { ...line, locationId: 'S2' }])).toBeUndefined();
    expect(checkHoldRequest(admin, [line, line])).toMatchObject({ code: 'validation_failed', details: { duplicates: [{ sku: 'X', locationId: 'S1' }] } });
    expect(checkHoldRequest(store, [line, { ...line, locationId: 'S2' }])).toMatchObject({ code: 'location_out_of_scope', details: { locationIds: ['S2'] } });
  });

  it('checks channel eligibility', () => {
    expect(checkChannel('web', { active: true, eligibleLocationIds: null }, ['A'])).toBeUndefined();
    expect(checkChannel('web', undefined, ['A'])?.code).toBe('unknown_channel');
    expect(checkChannel('web', { active: false, eligibleLocationIds: null }, ['A'])?.code).toBe('unknown_channel');
    expect(checkChannel('m:x', { active: true, eligibleLocationIds: ['A'] }, ['A', 'B', 'B'])).toMatchObject({ code: 'location_not_eligible', details: { locationIds: ['B'] } });
  });

  it('computes the expiry from the TTL', () => {
    expect(holdExpiry(new Date('2026-01-05T09:00:00Z'), 900).toISOString()).toBe('2026-01-05T09:15:00.000Z');
  });
});
