import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lighterParcels } from './parcel-weight.js';

describe('lighterParcels', () => {
  it('takes the units out of one parcel, keeping its size', () => {
    expect(lighterParcels([{ weightGrams: 900, lengthCm: 30 }], 300)).toEqual([{ weightGrams: 600, lengthCm: 30 }]);
  });

  it('shares the weight over several parcels in proportion to theirs', () => {
    expect(lighterParcels([{ weightGrams: 600 }, { weightGrams: 300 }], 300)).toEqual([{ weightGrams: 400 }, { weightGrams: 200 }]);
    expect(lighterParcels([{ weightGrams: 100 }, { weightGrams: 100 }, { weightGrams: 100 }], 100).map((p) => p.weightGrams)).toEqual([66, 67, 67]);
  });

  it('leaves every parcel at least 1 g when the catalogue says more left than was weighed', () => {
    expect(lighterParcels([{ weightGrams: 500 }, { weightGrams: 200 }], 5_000)).toEqual([{ weightGrams: 1 }, { weightGrams: 1 }]);
  });

  it('invariants: nothing heavier, exactly the weight removed while no parcel hits 1 g, at least 1 g each, same count', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 100_000 }), (weights, removed) => {
        const before = weights.map((weightGrams) => ({ weightGrams }));
        const after = lighterParcels(before, removed);
        expect(after).toHaveLength(before.length);
        after.forEach((p, i) => {
          expect(p.weightGrams).toBeGreaterThanOrEqual(1);
          expect(p.weightGrams).toBeLessThanOrEqual(before[i]!.weightGrams);
        });
        const total = (ps: ReadonlyArray<{ weightGrams: number }>) => ps.reduce((s, p) => s + p.weightGrams, 0);
        if (after.every((p) => p.weightGrams > 1)) expect(total(before) - total(after)).toBe(Math.min(removed, total(before)));
      }),
    );
  });
});
