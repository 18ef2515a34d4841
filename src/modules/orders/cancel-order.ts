import type { Tx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { assertTransition, deriveOrderStatus, type LineStatus } from '../../domain/orders/order-lifecycle.js';
import { planGiveBack } from '../../domain/payments/payment-state.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { amountsOf, lockOrderPayments } from '../payments/payment.repository.js';
import { operatePayment } from '../payments/record-payment.js';
import { findVisibleOrder } from './get-order.js';
import { withOptionalIdempotency } from './idempotent-command.js';
import { appendTimeline, setLineStatus, updateOrder, type LineRow, type NewTimelineEntry, type OrderRow } from './order.repository.js';
import { cancelledPayload, orderEvent, refundedPayload } from './order-payloads.js';
import { orderView, type OrderDeps } from './place-order.js';
import { releaseAllocations } from './release-allocations.js';
import type { CancelOrderInput, OrderView } from './order.schemas.js';

/**
 * POST /v1/orders/{id}/cancel: the whole order, or the given lines, in one transaction. Lines must be
 * cancellable (not yet being fulfilled, or an uncollected pickup), otherwise 409 listing each refused
 * line and nothing changes. Held units go back to stock, the money for the cancelled lines (plus the
 * delivery fee once nothing is left) is voided where only authorised and refunded where captured, and
 * the timeline and outbox (order.cancelled, order.refunded) record it.
 */
export async function cancelOrder(deps: OrderDeps, actor: Actor, idOrNumber: string, input: CancelOrderInput, idempotencyKey?: string): Promise<Result<OrderView>> {
  return withOptionalIdempotency(deps.db, `POST /v1/orders/${idOrNumber}/cancel ${actor.id}`, idempotencyKey, input, async (tx) => {
    const found = await findVisibleOrder(tx, actor, idOrNumber, true);
    if (!found.ok) throw new BusinessError(found.code, found.message, found.details);
    const { order, lines, allocations } = found.value;
    const now = deps.clock.now();
    const reason = input.reason ?? 'customer_request';
    const targets = chooseLines(order, lines, input.lineIds);

    await releaseAllocations(tx, allocations.filter((a) => targets.some((l) => l.id === a.line_id)), actor, now, order.number);
    await setLineStatus(tx, targets.map((l) => l.id), 'cancelled', now);
    const after = lines.map((l) => (targets.includes(l) ? 'cancelled' : (l.status as LineStatus)));
    const status = deriveOrderStatus(after);
    if (status !== order.status) {
      const refused = assertTransition('order', order.status, status);
      if (refused) throw new BusinessError(refused.code, refused.message, refused.details);
    }
    const whole = status === 'cancelled';
    await updateOrder(tx, order.id, { status, updated_at: now, ...(whole ? { cancelled_at: now, cancel_reason: reason } : {}) });

    const timeline: NewTimelineEntry[] = targets.map((l) => ({
      order_id: order.id,
      occurred_at: now,
      actor: actor.id,
      event: 'line.cancelled',
      status_from: l.status,
      status_to: 'cancelled',
      line_id: l.id,
      details: { sku: l.sku, quantity: l.quantity, reason, ...(input.note ? { note: input.note } : {}) },
    }));
    if (status !== order.status) {
      timeline.push({ order_id: order.id, occurred_at: now, actor: actor.id, event: whole ? 'order.cancelled' : 'order.status_changed', status_from: order.status, status_to: status, details: { reason } });
    }
    const events: NewEvent[] = [orderEvent('order.cancelled', cancelledPayload(order, targets, reason, !whole))];
    const amount = targets.reduce((s, l) => s + l.total_minor, 0) + (whole ? order.shipping_minor : 0);
    await giveMoneyBack(tx, deps, actor, now, order, amount, reason, timeline, events);
    await appendTimeline(tx, timeline);
    await appendEvents(tx, events);
    return orderView(tx, order.id);
  });
}

/** The lines to cancel: the given ones (every one must exist and be cancellable) or all live lines. */
function chooseLines(order: OrderRow, lines: readonly LineRow[], lineIds: readonly string[] | undefined): LineRow[] {
  if (lineIds) {
    const unknown = lineIds.filter((id) => !lines.some((l) => l.id === id));
    if (unknown.length > 0) throw new BusinessError('line_not_found', `order ${order.number} has no line ${unknown.join(', ')}`, { lineIds: unknown });
  }
  const targets = lineIds ? lines.filter((l) => lineIds.includes(l.id)) : lines.filter((l) => l.status !== 'cancelled');
  if (targets.length === 0) {
    const refused = assertTransition('order', order.status, 'cancelled');
    throw new BusinessError('invalid_transition', refused?.message ?? `order ${order.number} has nothing left to cancel`, { level: 'order', from: order.status, to: 'cancelled' });
  }
  const refusals = targets.flatMap((l) => assertTransition('line', l.status, 'cancelled', l.id) ?? []);
  if (refusals.length > 0) {
    throw new BusinessError('invalid_transition', `${refusals.length} line(s) can no longer be cancelled`, { lines: refusals.map((r) => r.details) });
  }
  return targets;
}

async function giveMoneyBack(
  tx: Tx,
  deps: OrderDeps,
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
      row = (await operatePayment(tx, deps.payments, row, 'void', plan.voidMinor, actor, now, reason)).payment;
      timeline.push(paymentEntry(order.id, now, actor, 'payment.voided', row, plan.voidMinor));
    }
    if (plan.refundMinor > 0) {
      const refund = await operatePayment(tx, deps.payments, row, 'refund', plan.refundMinor, actor, now, reason);
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
