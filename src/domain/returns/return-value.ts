import { unitsValue } from '../orders/unit-value.js';
import { refundable, type PaymentAmounts } from '../payments/payment-state.js';
import type { Resolution } from './return-lifecycle.js';

/**
 * The money of a return, in minor units of the order currency.
 *
 * Units are valued like the payments captured them (unit-value.ts): the k-th unit of a line accepted back
 * over all its returns is worth the k-th slice of the line total, so the returns of a line add up to at
 * most its total and never count a unit twice. Units a re-routing cancelled were valued from the top of
 * the line, returned ones from the bottom: the two never overlap (returned ≤ delivered ≤ quantity − cancelled).
 */
export function returnedUnitsValue(line: { quantity: number; totalMinor: number }, acceptedBefore: number, accepted: number): number {
  return unitsValue(line, acceptedBefore, accepted);
}

/**
 * The delivery fee goes back with the return that brings the last delivered unit of the order back,
 * once, and only when the policy refunds shipping.
 */
export function shippingRefund(p: { refundShipping: boolean; shippingMinor: number; wholeOrderReturned: boolean; shippingRefundedBefore: number }): number {
  return p.refundShipping && p.wholeOrderReturned && p.shippingRefundedBefore === 0 ? p.shippingMinor : 0;
}

export interface Settlement {
  /** Back to the customer through the order's payments. */
  refundMinor: number;
  /** To the customer's store credit. */
  creditMinor: number;
  /** Charged to the customer (an exchange whose replacement was worth more than what came back). */
  chargeMinor: number;
}

/**
 * What a received return owes, by resolution. `owed` is the value of the units accepted plus the
 * delivery fee refunded with it. A refund pays it back, store credit credits it; an exchange already
 * gave `exchangeCreditMinor` off the replacement order, so only the difference moves: the rest is
 * refunded, a shortfall (units missing or worth less than the credit) is charged.
 * Example: exchange credit 4990, units back worth 4990 → nothing moves (an even exchange costs nothing).
 */
export function settle(resolution: Resolution, owedMinor: number, exchangeCreditMinor: number): Settlement {
  if (resolution === 'refund') return { refundMinor: owedMinor, creditMinor: 0, chargeMinor: 0 };
  if (resolution === 'store_credit') return { refundMinor: 0, creditMinor: owedMinor, chargeMinor: 0 };
  const rest = owedMinor - exchangeCreditMinor;
  return { refundMinor: Math.max(0, rest), creditMinor: 0, chargeMinor: Math.max(0, -rest) };
}

/**
 * How a refund is taken from an order's payments: captured and not yet refunded money, oldest payment
 * first, never more than each one holds (a refund never exceeds what was captured). What no payment
 * covers is `unsettledMinor` (reported, never forced through). Only authorised money is not touched: it
 * belongs to units not delivered yet.
 */
export function planRefunds(payments: readonly PaymentAmounts[], amountMinor: number): { refunds: number[]; unsettledMinor: number } {
  let left = Math.max(0, amountMinor);
  const refunds = payments.map((p) => {
    const take = Math.min(left, refundable(p));
    left -= take;
    return take;
  });
  return { refunds, unsettledMinor: left };
}
