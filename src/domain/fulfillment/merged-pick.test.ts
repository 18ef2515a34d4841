import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byOrderAge, shareMergedPick, type MergedWork } from './merged-pick.js';

const work = (fulfillmentId: string, placedAt: number, lines: Array<[string, number]>): MergedWork => ({
  fulfillmentId,
  placedAt,
  orderNumber: `O-${fulfillmentId}`,
  lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
});

describe('a merged parcel’s pick shared over its fulfillments', () => {
  it('gives the units found to the oldest orders first: the newest order loses a short SKU first', () => {
    const shared = shareMergedPick([work('B', 2, [['SHIRT', 1], ['JEANS', 1]]), work('A', 1, [['SHIRT', 1]])], [{ sku: 'SHIRT', quantity: 1 }, { sku: 'JEANS', quantity: 1 }]);
    expect(shared.ok && Object.fromEntries(shared.value)).toEqual({
      A: [{ sku: 'SHIRT', quantity: 1 }],
      B: [{ sku: 'SHIRT', quantity: 0 }, { sku: 'JEANS', quantity: 1 }],
    });
  });

  it('refuses unknown, unanswered and excess SKUs', () => {
    const works = [work('A', 1, [['SHIRT', 1]]), work('B', 2, [['JEANS', 1]])];
    const refused = shareMergedPick(works, [{ sku: 'SHIRT', quantity: 2 }, { sku: 'BOOTS', quantity: 0 }]);
    expect(refused).toMatchObject({ ok: false, code: 'pick_mismatch', details: { unknown: ['BOOTS'], unanswered: ['JEANS'], over: [{ sku: 'SHIRT', counted: 2, wanted: 1 }] } });
  });

  it('property: every unit found goes to exactly one fulfillment, none gets more than it asks, and a newer order gets a unit of a SKU only once every older one has all of it', () => {
    const skus = ['A', 'B', 'C'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ placedAt: fc.integer({ min: 0, max: 5 }), lines: fc.array(fc.tuple(fc.constantFrom(...skus), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }),
        (raw, fractions) => {
          const works = raw.map((r, i) => work(`F${i}`, r.placedAt, r.lines));
          const wanted = (w: MergedWork, sku: string) => w.lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0);
          const present = skus.filter((sku) => works.some((w) => wanted(w, sku) > 0));
          const scanned = present.map((sku, i) => ({ sku, quantity: Math.floor((works.reduce((s, w) => s + wanted(w, sku), 0) * fractions[i]!) / 100) }));
          const shared = shareMergedPick(works, scanned);
          if (!shared.ok) throw new Error(shared.message);
          const got = (w: MergedWork, sku: string) => shared.value.get(w.fulfillmentId)!.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0);
          const sorted = [...works].sort(byOrderAge);
          for (const { sku, quantity } of scanned) {
            expect(works.reduce((s, w) => s + got(w, sku), 0)).toBe(quantity);
            sorted.forEach((w, i) => {
              expect(got(w, sku)).toBeLessThanOrEqual(wanted(w, sku));
              if (got(w, sku) > 0) for (const older of sorted.slice(0, i)) expect(got(older, sku)).toBe(wanted(older, sku));
            });
          }
        },
      ),
    );
  });
});
