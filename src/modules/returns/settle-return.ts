import type { Tx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { settledStatus, type Resolution } from '../../domain/returns/return-lifecycle.js';
import type { ReturnPolicyRules } from '../../domain/returns/return-policy.js';
import { planRefunds, settle, shippingRefund } from '../../domain/returns/return-value.js';
import type { Actor } from '../../domain/shared/actor.js';
import { appendTimeline, type NewTimelineEntry, type OrderRow } from '../orders/order.repository.js';
import { orderEvent, refundedPayload } from '../orders/order-payloads.js';
import type { OrderDeps } from '../orders/place-order.js';
import type { PaymentProviders } from '../payments/payment-provider.js';
import { amountsOf, lockOrderPayments } from '../payments/payment.repository.js';
import { operatePayment } from '../payments/record-payment.js';
import { chargeExchange, type ExchangePayment, type OnAuthorised } from './exchange-order.js';
import { insertStoreCredit, updateReturn } from './return.repository.js';
import type { ReturnCommand } from './return-command.js';
import { loadReturnFacts } from './return-facts.js';
import { returnEntry, returnEvent } from './return-payloads.js';

/**
 * Settles a received return in the command's transaction (domain/returns/return-value.ts decides the
 * amounts): the value of the units accepted back, plus the delivery fee when the policy refunds it and
 * this return brings the whole order back, is refunded through the order's payments (captured money
 * only, never more than was captured; a shortfall is recorded as unsettled), credited to the customer,
 * or set against the exchange's credit (the rest refunded, a shortfall charged on the replacement
 * order). The return ends refunded (money went back) or closed; the timeline, `return.refunded` /
 * `return.closed` and one `order.refunded` per refund record it.
 */
export async function settleReturn(c: ReturnCommand, deps: OrderDeps, onAuthorised: OnAuthorised): Promise<void> {
  const r = c.current.ret;
  const { order } = c.order;
  const facts = await loadReturnFacts(c.tx, c.order);
  const value = c.current.lines.reduce((s, l) => s + Number(l.value_minor), 0);
  const accepted = facts.returnLines.filter((l) => l.status !== 'requested' && l.status !== 'cancelled').reduce((s, l) => s + (l.resellable_quantity ?? 0) + (l.damaged_quantity ?? 0), 0);
  const delivered = facts.lines.reduce((s, l) => s + l.delivered.reduce((d, u) => d + u.quantity, 0), 0);
  const shippingBefore = [...new Map(facts.returnLines.filter((l) => l.return_id !== r.id).map((l) => [l.return_id, Number(l.shipping_refund_minor)])).values()].reduce((s, v) => s + v, 0);
  const policy = r.policy as unknown as ReturnPolicyRules;
  const shipping = shippingRefund({ refundShipping: policy.refundShipping, shippingMinor: order.shipping_minor, wholeOrderReturned: order.status === 'completed' && accepted === delivered, shippingRefundedBefore: shippingBefore });
  // A replacement order cancelled meanwhile (through the orders API) used none of its credit.
  const exchangeOrder = r.exchange_order_id ? await c.tx.selectFrom('sales_order').selectAll().where('id', '=', r.exchange_order_id).forUpdate().executeTakeFirstOrThrow() : undefined;
  const credit = exchangeOrder && exchangeOrder.status !== 'cancelled' ? Number(r.exchange_credit_minor) : 0;
  const owed = settle(r.resolution as Resolution, value + shipping, credit);

  const timeline: NewTimelineEntry[] = [];
  const events: NewEvent[] = [];
  const refund = await refundThroughPayments(c.tx, deps.payments, c.actor, c.now, order, owed.refundMinor, `return ${r.number}`, timeline, events);
  if (owed.creditMinor > 0) {
    await insertStoreCredit(c.tx, { customerId: order.customer_id!, currency: r.currency, amountMinor: owed.creditMinor, returnId: r.id, reason: 'return', actor: c.actor.id, at: c.now });
  }
  let charged = 0;
  if (owed.chargeMinor > 0 && exchangeOrder) {
    charged = await chargeExchange(c.tx, deps.payments, c.actor, c.now, exchangeOrder, r.exchange_payment as ExchangePayment | null, owed.chargeMinor, `return ${r.number}: units worth less than the exchange credit`, timeline, onAuthorised);
  }
  const status = settledStatus(refund.refunded);
  const ret = await updateReturn(c.tx, r.id, {
    status,
    refund_minor: refund.refunded,
    shipping_refund_minor: shipping,
    credit_minor: owed.creditMinor,
    charged_minor: charged,
    unsettled_minor: refund.unsettled + (owed.chargeMinor - charged),
    ...(r.exchange_order_id ? { exchange_outcome: 'returned' } : {}),
    settled_at: c.now,
    updated_at: c.now,
  });
  c.current = { ret, lines: c.current.lines };
  timeline.push(
    returnEntry(order.id, c.now, c.actor.id, `return.${status}`, ret, {
      refundMinor: refund.refunded,
      shippingRefundMinor: shipping,
      creditMinor: owed.creditMinor,
      chargedMinor: charged,
      ...(ret.unsettled_minor > 0 ? { unsettledMinor: Number(ret.unsettled_minor) } : {}),
    }, { from: r.status, to: status }),
  );
  await appendTimeline(c.tx, timeline);
  await appendEvents(c.tx, [...events, returnEvent(status === 'refunded' ? 'return.refunded' : 'return.closed', c.current, order.number)]);
}

/**
 * Refunds `amountMinor` from the order's captured payments, oldest first (planRefunds): a payment.refunded
 * timeline entry and an order.refunded event (the customer's notification) per payment touched.
 */
async function refundThroughPayments(
  tx: Tx,
  payments: PaymentProviders,
  actor: Actor,
  now: Date,
  order: OrderRow,
  amountMinor: number,
  reason: string,
  timeline: NewTimelineEntry[],
  events: NewEvent[],
): Promise<{ refunded: number; unsettled: number }> {
  if (amountMinor <= 0) return { refunded: 0, unsettled: 0 };
  const rows = await lockOrderPayments(tx, order.id);
  const plan = planRefunds(rows.map(amountsOf), amountMinor);
  let refunded = 0;
  for (const [i, row] of rows.entries()) {
    const take = plan.refunds[i]!;
    if (take === 0) continue;
    const done = await operatePayment(tx, payments, row, 'refund', take, actor, now, reason);
    timeline.push({
      order_id: order.id,
      occurred_at: now,
      actor: actor.id,
      event: 'payment.refunded',
      status_from: null,
      status_to: null,
      details: { provider: done.payment.provider, reference: done.payment.reference, amountMinor: take, paymentStatus: done.payment.status, reason },
    });
    events.push(orderEvent('order.refunded', refundedPayload(order, done.providerReference, take, 'return')));
    refunded += take;
  }
  return { refunded, unsettled: plan.unsettledMinor };
}
