import type { Tx } from '../../db/database.js';
import { openAuthorisation } from '../../domain/payments/payment-state.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { NewTimelineEntry, OrderRow } from '../orders/order.repository.js';
import type { PaymentProviders } from '../payments/payment-provider.js';
import { amountsOf, lockOrderPayments } from '../payments/payment.repository.js';
import { operatePayment } from '../payments/record-payment.js';

/**
 * Captures money as goods leave (a shipment) or are handed over (a collection), in the caller's
 * transaction: `amountMinor` (the value of the units that left, see unitsValue; plus the delivery fee on
 * the first shipment) from the order's open authorisations, oldest first, never more than is open.
 * With `rest`, everything still authorised is captured instead (the order's last units left). Returns
 * what was captured; the timeline gets one `payment.captured` entry per payment touched.
 */
export async function captureForOrder(
  tx: Tx,
  payments: PaymentProviders,
  order: Pick<OrderRow, 'id'>,
  amountMinor: number | 'rest',
  actor: Actor,
  now: Date,
  reason: string,
  timeline: NewTimelineEntry[],
): Promise<number> {
  let left = amountMinor === 'rest' ? Number.POSITIVE_INFINITY : amountMinor;
  let captured = 0;
  for (const payment of await lockOrderPayments(tx, order.id)) {
    if (left <= 0) break;
    const take = Math.min(left, openAuthorisation(amountsOf(payment)));
    if (take <= 0) continue;
    const row = (await operatePayment(tx, payments, payment, 'capture', take, actor, now, reason)).payment;
    timeline.push({ order_id: order.id, occurred_at: now, actor: actor.id, event: 'payment.captured', status_from: null, status_to: null, details: { provider: row.provider, reference: row.reference, amountMinor: take, paymentStatus: row.status, reason } });
    captured += take;
    left -= take;
  }
  return captured;
}
