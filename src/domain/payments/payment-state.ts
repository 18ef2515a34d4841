import { fail, ok, type Result } from '../shared/result.js';

/**
 * What a payment holds, in minor units: authorised once, then captured, voided (authorisation given
 * back before capture) and refunded (captured money given back). Invariants, kept by `applyOperation`:
 * captured + voided ≤ authorised, and refunded ≤ captured — a refund never exceeds what was captured.
 */
export interface PaymentAmounts {
  authorisedMinor: number;
  capturedMinor: number;
  voidedMinor: number;
  refundedMinor: number;
}

export type PaymentOperation = 'authorise' | 'capture' | 'void' | 'refund';

export type PaymentStatus = 'authorised' | 'partially_captured' | 'captured' | 'partially_refunded' | 'refunded' | 'voided';

export const NO_PAYMENT: PaymentAmounts = { authorisedMinor: 0, capturedMinor: 0, voidedMinor: 0, refundedMinor: 0 };

/** Authorised and neither captured nor voided yet. */
export const openAuthorisation = (p: PaymentAmounts): number => p.authorisedMinor - p.capturedMinor - p.voidedMinor;
export const refundable = (p: PaymentAmounts): number => p.capturedMinor - p.refundedMinor;

/** The amounts after one operation, or why it is refused (nothing changes then). */
export function applyOperation(p: PaymentAmounts, op: PaymentOperation, amountMinor: number): Result<PaymentAmounts> {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return fail('invalid_payment_amount', `a payment ${op} needs a positive integer amount`, { amountMinor });
  switch (op) {
    case 'authorise':
      if (p.authorisedMinor > 0) return fail('payment_already_authorised', 'this payment is already authorised');
      return ok({ ...p, authorisedMinor: amountMinor });
    case 'capture':
    case 'void': {
      const open = openAuthorisation(p);
      if (amountMinor > open) return fail('payment_exceeds_authorisation', `cannot ${op} ${amountMinor}: ${open} is authorised and open`, { open, amountMinor });
      return ok(op === 'capture' ? { ...p, capturedMinor: p.capturedMinor + amountMinor } : { ...p, voidedMinor: p.voidedMinor + amountMinor });
    }
    case 'refund': {
      const left = refundable(p);
      if (amountMinor > left) return fail('refund_exceeds_captured', `cannot refund ${amountMinor}: ${left} is captured and not refunded`, { refundable: left, amountMinor });
      return ok({ ...p, refundedMinor: p.refundedMinor + amountMinor });
    }
  }
}

/**
 * How to give `amountMinor` back to the customer: first release what is only authorised (a void costs
 * nothing), then refund captured money. `unsettledMinor` is what neither covers (never paid).
 */
export function planGiveBack(p: PaymentAmounts, amountMinor: number): { voidMinor: number; refundMinor: number; unsettledMinor: number } {
  const voidMinor = Math.min(amountMinor, openAuthorisation(p));
  const refundMinor = Math.min(amountMinor - voidMinor, refundable(p));
  return { voidMinor, refundMinor, unsettledMinor: amountMinor - voidMinor - refundMinor };
}

export function paymentStatus(p: PaymentAmounts): PaymentStatus {
  const open = openAuthorisation(p);
  if (p.capturedMinor === 0) return open === 0 && p.voidedMinor > 0 ? 'voided' : 'authorised';
  if (p.refundedMinor > 0) return p.refundedMinor === p.capturedMinor && open === 0 ? 'refunded' : 'partially_refunded';
  return open > 0 ? 'partially_captured' : 'captured';
}
