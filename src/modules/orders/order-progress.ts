import type { Tx } from '../../db/database.js';
import { assertTransition, deriveOrderStatus, type LineStatus, type OrderStatus } from '../../domain/orders/order-lifecycle.js';
import { lineProgress, type AllocationProgress } from '../../domain/orders/order-progress.js';
import type { FulfillmentKind, FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import { appendTimeline, loadOrder, setLineStatus, updateOrder, type LoadedOrder } from './order.repository.js';

export interface ProgressChange {
  /** The order as it is after the change (lines and status rewritten). */
  loaded: LoadedOrder;
  from: OrderStatus;
  to: OrderStatus;
  lines: Array<{ lineId: string; from: LineStatus; to: LineStatus }>;
}

/**
 * Recomputes an order's line and order statuses from its allocations and the fulfillments serving them
 * (domain/orders/order-progress.ts), after a fulfillment step, in the caller's transaction (which has
 * locked the order row). Every change is checked against the lifecycle tables (a refused one is a bug
 * in a step: it throws invalid_transition and rolls the step back) and lands in the timeline with the
 * cause. Lines cancelled as a whole stay cancelled.
 */
export async function syncOrderProgress(tx: Tx, orderId: string, actor: Actor, now: Date, cause: { event: string; details?: Record<string, unknown> }): Promise<ProgressChange> {
  const loaded = await loadOrder(tx, orderId);
  if (!loaded) throw new Error(`order ${orderId} vanished inside its transaction`);
  const fulfillments = await tx.selectFrom('fulfillment_order').select(['id', 'kind', 'status']).where('order_id', '=', orderId).execute();
  const byId = new Map(fulfillments.map((f) => [f.id, { kind: f.kind as FulfillmentKind, status: f.status as FulfillmentStatus }]));
  const changes: ProgressChange['lines'] = [];
  for (const line of loaded.lines) {
    if (line.status === 'cancelled') continue;
    const progress: AllocationProgress[] = loaded.allocations
      .filter((a) => a.line_id === line.id)
      .map((a) => ({ status: a.status as AllocationProgress['status'], fulfillment: a.fulfillment_id ? (byId.get(a.fulfillment_id) ?? null) : null }));
    const to = lineProgress(progress, line.cancelled_quantity >= line.quantity);
    if (to === line.status) continue;
    const refused = assertTransition('line', line.status, to, line.id);
    if (refused) throw BusinessError.of(refused);
    changes.push({ lineId: line.id, from: line.status as LineStatus, to });
  }
  const from = loaded.order.status as OrderStatus;
  const after = loaded.lines.map((l) => changes.find((c) => c.lineId === l.id)?.to ?? (l.status as LineStatus));
  const to = deriveOrderStatus(after);
  if (to !== from) {
    const refused = assertTransition('order', from, to);
    if (refused) throw BusinessError.of(refused);
  }
  for (const status of new Set(changes.map((c) => c.to))) {
    await setLineStatus(tx, changes.filter((c) => c.to === status).map((c) => c.lineId), status, now);
  }
  if (to !== from || changes.length > 0) {
    await updateOrder(tx, orderId, { status: to, updated_at: now, ...(to === 'cancelled' ? { cancelled_at: now, cancel_reason: String(cause.details?.reason ?? cause.event) } : {}) });
    await appendTimeline(tx, [
      { order_id: orderId, occurred_at: now, actor: actor.id, event: 'order.progressed', status_from: from, status_to: to, details: { cause: cause.event, ...cause.details, lines: changes } },
    ]);
  }
  for (const l of loaded.lines) {
    const c = changes.find((x) => x.lineId === l.id);
    if (c) l.status = c.to;
  }
  loaded.order.status = to;
  return { loaded, from, to, lines: changes };
}
