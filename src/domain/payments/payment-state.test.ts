import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperation, NO_PAYMENT, paymentStatus, planGiveBack, type PaymentAmounts, type PaymentOperation } from './payment-state.js';

const authorised = (amount: number): PaymentAmounts => {
  const r = applyOperation(NO_PAYMENT, 'authorise', amount);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('payment amounts', () => {
  it('captures, voids and refunds within what is authorised and captured', () => {
    let p = authorised(1000);
    expect(paymentStatus(p)).toBe('authorised');
    p = (applyOperation(p, 'capture', 600) as { value: PaymentAmounts }).value;
    expect(paymentStatus(p)).toBe('partially_captured');
    expect(applyOperation(p, 'capture', 401)).toMatchObject({ ok: false, code: 'payment_exceeds_authorisation', details: { open: 400 } });
    p = (applyOperation(p, 'void', 400) as { value: PaymentAmounts }).value;
    expect(paymentStatus(p)).toBe('captured');
    expect(applyOperation(p, 'refund', 601)).toMatchObject({ ok: false, code: 'refund_exceeds_captured', details: { refundable: 600 } });
    p = (applyOperation(p, 'refund', 100) as { value: PaymentAmounts }).value;
    expect(paymentStatus(p)).toBe('partially_refunded');
    p = (applyOperation(p, 'refund', 500) as { value: PaymentAmounts }).value;
    expect(paymentStatus(p)).toBe('refunded');
    expect(applyOperation(p, 'refund', 1)).toMatchObject({ ok: false, code: 'refund_exceeds_captured' });
    expect(paymentStatus((applyOperation(authorised(50), 'void', 50) as { value: PaymentAmounts }).value)).toBe('voided');
  });

  it('refuses zero, negative and fractional amounts, and a second authorisation', () => {
    for (const bad of [0, -5, 1.5]) expect(applyOperation(authorised(10), 'capture', bad)).toMatchObject({ ok: false, code: 'invalid_payment_amount' });
    expect(applyOperation(authorised(10), 'authorise', 10)).toMatchObject({ ok: false, code: 'payment_already_authorised' });
  });

  it('voids before refunding when giving money back', () => {
    const p = { authorisedMinor: 1000, capturedMinor: 300, voidedMinor: 0, refundedMinor: 100 };
    expect(planGiveBack(p, 500)).toEqual({ voidMinor: 500, refundMinor: 0, unsettledMinor: 0 });
    expect(planGiveBack(p, 900)).toEqual({ voidMinor: 700, refundMinor: 200, unsettledMinor: 0 });
    expect(planGiveBack(p, 1000)).toEqual({ voidMinor: 700, refundMinor: 200, unsettledMinor: 100 });
  });

  it('never breaks its invariants, whatever operations are attempted', () => {
    const op = fc.record({ op: fc.constantFrom<PaymentOperation>('capture', 'void', 'refund'), amount: fc.integer({ min: -10, max: 2000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1500 }), fc.array(op, { maxLength: 30 }), fc.integer({ min: 0, max: 3000 }), (amount, ops, giveBack) => {
        let p = authorised(amount);
        for (const { op: o, amount: a } of ops) {
          const r = applyOperation(p, o, a);
          if (r.ok) p = r.value;
          expect(p.capturedMinor + p.voidedMinor).toBeLessThanOrEqual(p.authorisedMinor);
          expect(p.refundedMinor).toBeLessThanOrEqual(p.capturedMinor);
          expect(Math.min(p.capturedMinor, p.voidedMinor, p.refundedMinor)).toBeGreaterThanOrEqual(0);
        }
        const plan = planGiveBack(p, giveBack);
        expect(plan.voidMinor + plan.refundMinor + plan.unsettledMinor).toBe(giveBack);
        if (plan.voidMinor > 0) expect(applyOperation(p, 'void', plan.voidMinor).ok).toBe(true);
        if (plan.refundMinor > 0) expect(applyOperation(p, 'refund', plan.refundMinor).ok).toBe(true);
      }),
    );
  });
});
