import type { Tx } from '../../db/database.js';
import type { NewEvent } from '../../db/outbox.js';
import { planGiveBack } from '../../domain/payments/payment-state.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { PaymentProviders } from '../payments/payment-provider.js';
import { amountsOf, lockOrderPayments } from '../payments/payment.repository.js';
import { operatePayment } from '../payments/record-payment.js';
import type { NewTimelineEntry, OrderRow } from './order.repository.js';
import { orderEvent, refundedPayload } from './order-payloads.js';

/**
 * Gives `amountMinor` back to the customer for cancelled units, in the caller's transaction: from the
 * order's payments, oldest first, what is only authorised is voided (costs nothing), then captured money
 * is refunded. Adds a `payment.voided` / `payment.refunded` timeline entry per payment touched and an
 * `order.refunded` event per refund to the caller's lists. What no payment covers (never paid) is left.
 */
export async function giveMoneyBack(
  tx: Tx,
  payments: PaymentProviders,
  actor: Actor,
  now: Date,
  order: OrderRow,
  amountMinor: number,
  reason: string,
  timeline: NewTimelineEntry[],
  events: NewEvent[],
): Promise<void> {
  let left = amountMinor;
  for (const payment of await lockOrderPayments(tx, order.id)) {
    if (left === 0) break;
    const plan = planGiveBack(amountsOf(payment), left);
    let row = payment;
    if (plan.voidMinor > 0) {
      row = (await operatePayment(tx, payments, row, 'void', plan.voidMinor, actor, now, reason)).payment;
      timeline.push(paymentEntry(order.id, now, actor, 'payment.voided', row, plan.voidMinor));
    }
    if (plan.refundMinor > 0) {
      const refund = await operatePayment(tx, payments, row, 'refund', plan.refundMinor, actor, now, reason);
      row = refund.payment;
      timeline.push(paymentEntry(order.id, now, actor, 'payment.refunded', row, plan.refundMinor));
      events.push(orderEvent('order.refunded', refundedPayload(order, refund.providerReference, plan.refundMinor, reason)));
    }
    left = plan.unsettledMinor;
  }
}

function paymentEntry(orderId: string, at: Date, actor: Actor, event: string, row: { provider: string; reference: string; status: string }, amountMinor: number): NewTimelineEntry {
  return { order_id: orderId, occurred_at: at, actor: actor.id, event, status_from: null, status_to: null, details: { provider: row.provider, reference: row.reference, amountMinor, paymentStatus: row.status } };
}
