import { sql, type Insertable, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { OrderSlaTable } from '../../db/schema.js';
import type { FulfillmentRow } from '../fulfillment/fulfillment.repository.js';
import type { OrderRow } from '../orders/order.repository.js';

export type OrderSlaRow = Selectable<OrderSlaTable>;

/** A fulfillment the SLA watch looks at, with the departure date its promise counted on ('YYYY-MM-DD'). */
export type WatchedFulfillment = FulfillmentRow & { departure_date: string | null };

export interface WatchedOrder {
  order: OrderRow;
  fulfillments: WatchedFulfillment[];
  sla: OrderSlaRow | undefined;
}

/** Work still in a location's or a carrier's hands: not left, in transit, or waiting for its customer. */
export const WATCHED_STATUSES = ['pending', 'accepted', 'picked', 'packed', 'shipped', 'ready_for_pickup'] as const;

/** Open orders with a promise and watched work, by id after `after` (keyset pages). */
export async function watchedOrderIds(db: DbOrTx, after: string | null, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('sales_order as o')
    .select('o.id')
    .where('o.status', 'not in', ['completed', 'cancelled'])
    .where('o.promise_latest', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('fulfillment_order as f').select('f.id').whereRef('f.order_id', '=', 'o.id').where('f.status', 'in', [...WATCHED_STATUSES])),
    )
    .orderBy('o.id')
    .limit(limit);
  if (after !== null) q = q.where('o.id', '>', after);
  return (await q.execute()).map((r) => r.id);
}

/** The orders with their watched fulfillments (oldest first) and their last recorded SLA state. */
export async function loadWatched(db: DbOrTx, orderIds: readonly string[]): Promise<WatchedOrder[]> {
  if (orderIds.length === 0) return [];
  const ids = [...orderIds];
  // One after the other: inside a transaction they share its one connection.
  const orders = await db.selectFrom('sales_order').selectAll().where('id', 'in', ids).orderBy('id').execute();
  const fulfillments = await db
    .selectFrom('fulfillment_order as f')
    .selectAll('f')
    .select(sql<string | null>`(SELECT min(a.departure_date)::text FROM order_allocation a WHERE a.fulfillment_id = f.id)`.as('departure_date'))
    .where('f.order_id', 'in', ids)
    .where('f.status', 'in', [...WATCHED_STATUSES])
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute();
  const slas = await db.selectFrom('order_sla').selectAll().where('order_id', 'in', ids).execute();
  const slaByOrder = new Map(slas.map((s) => [s.order_id, s]));
  return orders.map((order) => ({ order, fulfillments: fulfillments.filter((f) => f.order_id === order.id), sla: slaByOrder.get(order.id) }));
}

/**
 * Locks the order as every order command does (order row first), skipping it when another process or a
 * fulfillment step holds it: the next run looks again. False when skipped.
 */
export async function lockOrderSkipLocked(tx: Tx, orderId: string): Promise<boolean> {
  const row = await tx.selectFrom('sales_order').select('id').where('id', '=', orderId).forUpdate().skipLocked().executeTakeFirst();
  return row !== undefined;
}

export async function saveSla(tx: Tx, row: Insertable<OrderSlaTable>): Promise<void> {
  const { order_id: _id, ...changes } = row;
  await tx
    .insertInto('order_sla')
    .values(row)
    .onConflict((oc) => oc.column('order_id').doUpdateSet(changes))
    .execute();
}
