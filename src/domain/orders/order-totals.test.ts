import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTotals, shareOut, type PricedLine } from './order-totals.js';

const line = fc
  .record({ quantity: fc.integer({ min: 1, max: 1000 }), unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }), discountShare: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ quantity, unitPriceMinor, discountShare }): PricedLine => ({ quantity, unitPriceMinor, discountMinor: Math.floor(quantity * unitPriceMinor * discountShare) }));

describe('computeTotals', () => {
  it('adds lines, discounts and shipping', () => {
    const r = computeTotals(
      [
        { quantity: 2, unitPriceMinor: 1000 },
        { quantity: 1, unitPriceMinor: 500, discountMinor: 100 },
      ],
      { orderDiscountMinor: 100, shippingMinor: 490 },
    );
    expect(r).toEqual({
      ok: true,
      value: {
        lines: [
          { grossMinor: 2000, lineDiscountMinor: 0, orderDiscountMinor: 83, totalMinor: 1917 },
          { grossMinor: 500, lineDiscountMinor: 100, orderDiscountMinor: 17, totalMinor: 383 },
        ],
        subtotalMinor: 2500,
        discountMinor: 200,
        shippingMinor: 490,
        totalMinor: 2790,
      },
    });
  });

  it('refuses a discount above its line, an order discount above the lines, and non-integers, listing each', () => {
    const r = computeTotals([{ quantity: 1, unitPriceMinor: 100, discountMinor: 101 }, { quantity: 1, unitPriceMinor: 1.5 }], { shippingMinor: -1 });
    expect(r).toMatchObject({ ok: false, code: 'invalid_amount' });
    if (!r.ok) {
      expect((r.details as { problems: { field: string; line?: number }[] }).problems.map((p) => [p.field, p.line])).toEqual([
        ['shippingMinor', undefined],
        ['discountMinor', 0],
        ['unitPriceMinor', 1],
      ]);
    }
    expect(computeTotals([{ quantity: 1, unitPriceMinor: 100 }], { orderDiscountMinor: 101 })).toMatchObject({ ok: false, code: 'invalid_amount' });
    expect(computeTotals([{ quantity: 3, unitPriceMinor: Number.MAX_SAFE_INTEGER }])).toMatchObject({ ok: false, code: 'invalid_amount' });
  });

  it('keeps every invariant on random orders', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100_000 }), (lines, share, shipping) => {
        const net = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor - (l.discountMinor ?? 0), 0);
        const orderDiscount = Math.floor(net * share);
        const r = computeTotals(lines, { orderDiscountMinor: orderDiscount, shippingMinor: shipping });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const t = r.value;
        for (const [i, l] of t.lines.entries()) {
          expect(l.grossMinor).toBe(lines[i]!.quantity * lines[i]!.unitPriceMinor);
          expect(l.totalMinor).toBe(l.grossMinor - l.lineDiscountMinor - l.orderDiscountMinor);
          for (const v of Object.values(l)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
        expect(t.lines.reduce((s, l) => s + l.orderDiscountMinor, 0)).toBe(orderDiscount);
        expect(t.totalMinor).toBe(t.subtotalMinor - t.discountMinor + t.shippingMinor);
        expect(t.totalMinor).toBe(t.lines.reduce((s, l) => s + l.totalMinor, 0) + t.shippingMinor);
      }),
    );
  });
});

describe('shareOut', () => {
  it('splits exactly, in proportion, never above a weight', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, share) => {
        const total = weights.reduce((s, w) => s + w, 0);
        const amount = Math.floor(total * share);
        const shares = shareOut(amount, weights);
        expect(shares.reduce((s, x) => s + x, 0)).toBe(total === 0 ? 0 : amount);
        shares.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(weights[i]!);
          // within one unit of the exact proportion
          if (total > 0) expect(Math.abs(s - (amount * weights[i]!) / total)).toBeLessThan(1.000001);
        });
      }),
    );
  });

  it('is deterministic and gives ties to the earlier line', () => {
    expect(shareOut(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(shareOut(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });
});
