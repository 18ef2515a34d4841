import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { LineRow } from '../orders/order.repository.js';

/** Locations that rejected (or timed out on) or short-picked units of the order: re-routing never goes back to them. */
export async function rerouteExclusions(db: DbOrTx, orderId: string): Promise<string[]> {
  const r = await sql<{ location_id: string }>`
    SELECT location_id FROM fulfillment_order WHERE order_id = ${orderId} AND status = 'rejected'
    UNION
    SELECT location_id FROM order_allocation WHERE order_id = ${orderId} AND status = 'missing'`.execute(db);
  return r.rows.map((x) => x.location_id);
}

/** Cancels `count` more units of an order line (never more than it has: the CHECK refuses). */
export async function addCancelledUnits(tx: Tx, lineId: string, count: number, at: Date): Promise<LineRow> {
  return tx
    .updateTable('order_line')
    .set((eb) => ({ cancelled_quantity: eb('cancelled_quantity', '+', count), updated_at: at }))
    .where('id', '=', lineId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What a pick found on one fulfillment line. All found: only picked_quantity is written. Some missing:
 * the allocation and the line keep the picked units, and the missing ones become an allocation row of
 * their own with status 'missing' (the order's history shows them). None found: the allocation itself
 * ends 'missing' and the line keeps its quantity with 0 picked.
 */
export async function recordPickedLine(tx: Tx, line: { fulfillmentLineId: string; allocationId: string; picked: number; missing: number }, at: Date): Promise<void> {
  const { fulfillmentLineId, allocationId, picked, missing } = line;
  if (missing > 0 && picked === 0) {
    await tx.updateTable('order_allocation').set({ status: 'missing', ended_at: at }).where('id', '=', allocationId).execute();
  } else if (missing > 0) {
    await splitMissingUnits(tx, allocationId, missing, at);
    await tx.updateTable('order_allocation').set({ quantity: picked }).where('id', '=', allocationId).execute();
  }
  await tx
    .updateTable('fulfillment_line')
    .set(missing > 0 && picked > 0 ? { quantity: picked, picked_quantity: picked } : { picked_quantity: picked })
    .where('id', '=', fulfillmentLineId)
    .execute();
}

/**
 * A copy of the allocation for `missing` of its units, status 'missing' and ended at `at` (the order's
 * history shows them; re-routes of the order avoid the location). The caller lowers the original.
 */
export async function splitMissingUnits(tx: Tx, allocationId: string, missing: number, at: Date): Promise<void> {
  await sql`
    INSERT INTO order_allocation (order_id, line_id, sku, location_id, quantity, status, hold_id, reservation_id, transfer, carrier,
                                  departure_date, available_from, earliest, latest, confidence, created_at, ended_at, fulfillment_id, decision_id)
    SELECT order_id, line_id, sku, location_id, ${missing}, 'missing', hold_id, reservation_id, transfer, carrier,
           departure_date, available_from, earliest, latest, confidence, ${at}, ${at}, fulfillment_id, decision_id
    FROM order_allocation WHERE id = ${allocationId}`.execute(tx);
}

/** Open transfers (not received, rejected or cancelled) still bringing units to a pickup fulfillment. */
export async function transfersFeeding(db: DbOrTx, pickupFulfillmentId: string): Promise<number> {
  const r = await db
    .selectFrom('fulfillment_order')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pickup_fulfillment_id', '=', pickupFulfillmentId)
    .where('status', 'not in', ['received', 'rejected', 'cancelled'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Pending fulfillments whose acceptance deadline has passed and that hold units of their own (a pickup
 * still waiting for transfers is left alone), oldest deadline first. Work merged into another one's
 * parcel goes with its lead: the parcel is accepted, or rejected on time-out, as one.
 */
export async function dueAcceptances(db: DbOrTx, now: Date, limit: number): Promise<Array<{ id: string; orderId: string }>> {
  const rows = await db
    .selectFrom('fulfillment_order as f')
    .select(['f.id', 'f.order_id'])
    .where('f.status', '=', 'pending')
    .where('f.accept_by', '<=', now)
    .where('f.merged_into_id', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('order_allocation as a').select('a.id').whereRef('a.fulfillment_id', '=', 'f.id').where('a.status', '=', 'reserved')))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('fulfillment_order as t').select('t.id').whereRef('t.pickup_fulfillment_id', '=', 'f.id').where('t.status', 'not in', ['received', 'rejected', 'cancelled']),
        ),
      ),
    )
    .orderBy('f.accept_by')
    .orderBy('f.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, orderId: r.order_id }));
}

/** Locks the order row unless another transaction holds it (another Ordo process is working on it): false then. */
export async function lockOrderUnlessBusy(tx: Tx, orderId: string): Promise<boolean> {
  const r = await sql<{ id: string }>`SELECT id FROM sales_order WHERE id = ${orderId} FOR UPDATE SKIP LOCKED`.execute(tx);
  return r.rows.length > 0;
}
