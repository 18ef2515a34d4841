import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { assertTransition, deriveOrderStatus, type LineStatus } from '../../domain/orders/order-lifecycle.js';
import { unitsValue } from '../../domain/orders/unit-value.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { cancelEmptiedFulfillments, lockMergedWork, lockParcelLeadOrders } from '../fulfillment/cancel-fulfillments.js';
import { findVisibleOrder } from './get-order.js';
import { giveMoneyBack } from './give-money-back.js';
import { withOptionalIdempotency } from './idempotent-command.js';
import { appendTimeline, setLineStatus, updateOrder, type LineRow, type NewTimelineEntry, type OrderRow } from './order.repository.js';
import { cancelledPayload, orderEvent } from './order-payloads.js';
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
    const leadOrders = await lockParcelLeadOrders(tx, idOrNumber);
    const found = await findVisibleOrder(tx, actor, idOrNumber, true);
    if (!found.ok) throw BusinessError.of(found);
    const { order, lines, allocations } = found.value;
    const now = deps.clock.now();
    const reason = input.reason ?? 'customer_request';
    const targets = chooseLines(order, lines, input.lineIds);
    await lockMergedWork(tx, order.id, leadOrders);

    await releaseAllocations(tx, allocations.filter((a) => targets.some((l) => l.id === a.line_id)), actor, now, order.number);
    await setLineStatus(tx, targets.map((l) => l.id), 'cancelled', now);
    await cancelEmptiedFulfillments(tx, order, actor, now, reason);
    const after = lines.map((l) => (targets.includes(l) ? 'cancelled' : (l.status as LineStatus)));
    const status = deriveOrderStatus(after);
    if (status !== order.status) {
      const refused = assertTransition('order', order.status, status);
      if (refused) throw BusinessError.of(refused);
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
    // Units a re-routing already cancelled (and refunded) are the last ones of their line: only the rest is owed.
    const amount = targets.reduce((s, l) => s + unitsValue({ quantity: l.quantity, totalMinor: l.total_minor }, 0, l.quantity - l.cancelled_quantity), 0) + (whole ? order.shipping_minor : 0);
    await giveMoneyBack(tx, deps.payments, actor, now, order, amount, reason, timeline, events);
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
