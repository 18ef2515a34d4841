import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperation, NO_PAYMENT, type PaymentAmounts } from '../payments/payment-state.js';
import { planRefunds, returnedUnitsValue, settle, shippingRefund } from './return-value.js';

describe('return value and settlement', () => {
  it('values returned units like the payments captured them, so a line never gives back more than its total', () => {
    const line = { quantity: 3, totalMinor: 1000 };
    expect([returnedUnitsValue(line, 0, 1), returnedUnitsValue(line, 1, 1), returnedUnitsValue(line, 2, 1)]).toEqual([333, 333, 334]);
    expect(returnedUnitsValue(line, 0, 3)).toBe(1000);
    expect(() => returnedUnitsValue(line, 2, 2)).toThrow(RangeError);
  });

  it('refunds the delivery fee once, with the return that brings the whole order back, when the policy says so', () => {
    const base = { refundShipping: true, shippingMinor: 590, wholeOrderReturned: true, shippingRefundedBefore: 0 };
    expect(shippingRefund(base)).toBe(590);
    expect(shippingRefund({ ...base, refundShipping: false })).toBe(0);
    expect(shippingRefund({ ...base, wholeOrderReturned: false })).toBe(0);
    expect(shippingRefund({ ...base, shippingRefundedBefore: 590 })).toBe(0);
  });

  it('settles by resolution: refund, credit, or only the exchange difference', () => {
    expect(settle('refund', 4990, 0)).toEqual({ refundMinor: 4990, creditMinor: 0, chargeMinor: 0 });
    expect(settle('store_credit', 4990, 0)).toEqual({ refundMinor: 0, creditMinor: 4990, chargeMinor: 0 });
    expect(settle('exchange', 4990, 4990)).toEqual({ refundMinor: 0, creditMinor: 0, chargeMinor: 0 });
    expect(settle('exchange', 7990, 2500)).toEqual({ refundMinor: 5490, creditMinor: 0, chargeMinor: 0 });
    expect(settle('exchange', 0, 4990)).toEqual({ refundMinor: 0, creditMinor: 0, chargeMinor: 4990 });
  });

  it('takes a refund from captured money only, oldest payment first, and reports what no payment covers', () => {
    const p = (captured: number, refunded = 0, authorised = captured): PaymentAmounts => ({ authorisedMinor: authorised, capturedMinor: captured, voidedMinor: 0, refundedMinor: refunded });
    expect(planRefunds([p(1000, 200), p(500)], 1000)).toEqual({ refunds: [800, 200], unsettledMinor: 0 });
    expect(planRefunds([p(300, 0, 900)], 1000)).toEqual({ refunds: [300], unsettledMinor: 700 });
    expect(planRefunds([], 50)).toEqual({ refunds: [], unsettledMinor: 50 });
  });

  it('property: whatever the returns, refunds never exceed what was captured, and a line never refunds more than its total', () => {
    const order = fc.record({
      lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 5 }), totalMinor: fc.integer({ min: 0, max: 100_000 }) }), { minLength: 1, maxLength: 4 }),
      capturedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    const returns = fc.array(fc.record({ line: fc.nat(), units: fc.integer({ min: 1, max: 5 }), resolution: fc.constantFrom('refund' as const, 'exchange' as const), credit: fc.nat(200_000) }), { maxLength: 10 });
    fc.assert(
      fc.property(order, returns, ({ lines, capturedShare }, asked) => {
        const total = lines.reduce((s, l) => s + l.totalMinor, 0);
        // Some of the order was captured (units shipped), the rest only authorised.
        let payment: PaymentAmounts = { ...NO_PAYMENT, authorisedMinor: Math.max(1, total), capturedMinor: Math.floor(total * capturedShare) };
        const accepted = lines.map(() => 0);
        const refundedPerLine = lines.map(() => 0);
        let refunded = 0;
        for (const r of asked) {
          const i = r.line % lines.length;
          const line = lines[i]!;
          const units = Math.min(r.units, line.quantity - accepted[i]!);
          if (units === 0) continue;
          const value = returnedUnitsValue(line, accepted[i]!, units);
          accepted[i]! += units;
          refundedPerLine[i]! += value;
          const owed = settle(r.resolution, value, Math.min(r.credit, value));
          const plan = planRefunds([payment], owed.refundMinor);
          const take = plan.refunds[0]!;
          if (take > 0) {
            const next = applyOperation(payment, 'refund', take);
            expect(next.ok).toBe(true);
            if (next.ok) payment = next.value;
          }
          refunded += take;
          expect(take + plan.unsettledMinor).toBe(owed.refundMinor);
        }
        expect(refunded).toBeLessThanOrEqual(payment.capturedMinor);
        expect(payment.refundedMinor).toBe(refunded);
        lines.forEach((l, i) => expect(refundedPerLine[i]).toBeLessThanOrEqual(l.totalMinor));
      }),
    );
  });
});
