import type { Tx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { ENDED_STATUSES } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import { appendTimeline, findOrderId, type NewTimelineEntry, type OrderRow } from '../orders/order.repository.js';
import { linesOf, orderFulfillments, updateFulfillment, type FulfillmentRow } from './fulfillment.repository.js';
import { fulfillmentEvent } from './fulfillment-payloads.js';
import { isOpen, leaveParcel, lockOpenMembers, regroupMerged, type ParcelWork } from './merged-work.js';
import { detachMerged } from './release.repository.js';

/**
 * Ends the order's open fulfillments (not yet shipped, received or collected) as `cancelled`, in the
 * caller's transaction: the order's delivery changed, so the stores' work is void. Their allocations are
 * the caller's to release. Each gets a `fulfillment.cancelled` event and a timeline entry.
 */
export async function cancelOpenFulfillments(tx: Tx, order: OrderRow, actor: Actor, now: Date, reason: string): Promise<FulfillmentRow[]> {
  const open = (await orderFulfillments(tx, order.id, true)).filter(isOpen);
  return cancelEach(tx, order, open, actor, now, reason);
}

/**
 * Ends the open fulfillments left with nothing to do once some of the order's units were released (lines
 * cancelled, units re-routed away): no held unit left and, for a pickup, no transfer still bringing units.
 */
export async function cancelEmptiedFulfillments(tx: Tx, order: OrderRow, actor: Actor, now: Date, reason: string): Promise<FulfillmentRow[]> {
  const all = await orderFulfillments(tx, order.id, true);
  const open = all.filter(isOpen);
  if (open.length === 0) return [];
  const held = await tx
    .selectFrom('order_allocation')
    .select('fulfillment_id')
    .where('order_id', '=', order.id)
    .where('status', '=', 'reserved')
    .where('fulfillment_id', 'is not', null)
    .execute();
  const busy = new Set(held.map((h) => h.fulfillment_id));
  const feeding = new Set(all.filter((f) => f.kind === 'transfer' && (isOpen(f) || f.status === 'shipped')).map((f) => f.pickup_fulfillment_id));
  return cancelEach(tx, order, open.filter((f) => !busy.has(f.id) && !(f.kind === 'pickup' && feeding.has(f.id))), actor, now, reason);
}

/**
 * A merged parcel's lead cancelled with its order (or its delivery changed) takes only its own units
 * away, as an ops re-route does: the work merged into it (locked before the lead ends, orders after this
 * one's) stays at the location in the step it reached, one parcel again under the oldest order left,
 * which takes a packed parcel's parcels (regroupMerged). Cancelled merged work just leaves its parcel.
 */
/**
 * Before the caller locks an order whose work may leave a merged parcel (cancel, new address): locks the
 * orders of the parcels' leads its open merged work ships with, as a step on such a lead locks its own
 * order before the merged work's. Answers them for lockMergedWork.
 */
export async function lockParcelLeadOrders(tx: Tx, idOrNumber: string): Promise<string[]> {
  const orderId = await findOrderId(tx, idOrNumber);
  if (!orderId) return [];
  const leadOrders = await parcelLeadOrders(tx, orderId);
  for (const id of leadOrders) await tx.selectFrom('sales_order').select('id').where('id', '=', id).forUpdate().execute();
  return leadOrders;
}

/**
 * Locks the work merged into the order's open fulfillments (each one's order, then it) right after the
 * caller locked the order and before it touches any stock row: ending a merged parcel's lead (cancelEach)
 * then takes its locks in the order a step on that lead does, and never waits for another order of the
 * parcel while holding stock that order's own cancel needs. Work merged into another order's fulfillment
 * must ship with a lead whose order lockParcelLeadOrders locked (the lead changed meanwhile otherwise:
 * 409 fulfillment_changed, try again).
 */
export async function lockMergedWork(tx: Tx, orderId: string, lockedLeadOrders: readonly string[]): Promise<void> {
  if ((await parcelLeadOrders(tx, orderId)).some((id) => !lockedLeadOrders.includes(id))) {
    throw new BusinessError('fulfillment_changed', 'the parcel this order ships in changed meanwhile; try again');
  }
  for (const f of (await orderFulfillments(tx, orderId)).filter(isOpen)) await lockOpenMembers(tx, f.id);
}

/** The orders of the leads the order's open merged work ships with (other orders' fulfillments), id order. */
async function parcelLeadOrders(tx: Tx, orderId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('fulfillment_order as f')
    .innerJoin('fulfillment_order as l', 'l.id', 'f.merged_into_id')
    .select('l.order_id')
    .distinct()
    .where('f.order_id', '=', orderId)
    .where('f.status', 'not in', ['shipped', ...ENDED_STATUSES])
    .where('l.order_id', '<>', orderId)
    .orderBy('l.order_id')
    .execute();
  return rows.map((r) => r.order_id);
}

async function cancelEach(tx: Tx, order: OrderRow, fulfillments: readonly FulfillmentRow[], actor: Actor, now: Date, reason: string): Promise<FulfillmentRow[]> {
  if (fulfillments.length === 0) return [];
  const lines = await linesOf(tx, fulfillments.map((f) => f.id));
  const members = new Map<string, ParcelWork[]>();
  for (const f of fulfillments) members.set(f.id, await lockOpenMembers(tx, f.id));
  const events: NewEvent[] = [];
  const timeline: NewTimelineEntry[] = [];
  const out: FulfillmentRow[] = [];
  for (const f of fulfillments) {
    const row = await updateFulfillment(tx, f.id, { status: 'cancelled', ended_at: now, updated_at: now, note: reason });
    await detachMerged(tx, f.id, now);
    await leaveParcel(tx, f, lines.get(f.id) ?? [], now);
    out.push(row);
    // Held work was never announced (its fulfillment.created comes at release): nothing to call off.
    if (f.status !== 'held') events.push(fulfillmentEvent('fulfillment.cancelled', row, lines.get(f.id) ?? [], order, reason));
    timeline.push({ order_id: order.id, occurred_at: now, actor: actor.id, event: 'fulfillment.cancelled', status_from: f.status, status_to: 'cancelled', details: { fulfillmentId: f.id, number: f.number, locationId: f.location_id, reason } });
  }
  await appendEvents(tx, events);
  await appendTimeline(tx, timeline);
  for (const row of out) await regroupMerged({ tx, actor, now, current: { fulfillment: row } }, members.get(row.id)!);
  return out;
}
