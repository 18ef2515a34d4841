import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { OrderClaim } from '../../domain/inventory/stock-shortfall.js';
import type { PositionKey } from '../inventory/stock.repository.js';
import { splitMissingUnits } from './reroute.repository.js';

/**
 * Statuses in which a fulfillment's units may still be taken when stock is lost under them: nothing is
 * picked yet ('held' is work not yet released to the location).
 */
export const UNPICKED_STATUSES = ['held', 'pending', 'accepted'] as const;

interface OrderClaimRow {
  fulfillment_id: string;
  order_id: string;
  number: string;
  created_at: Date | string;
  units: number;
}

/**
 * Orders holding units of the position that are not picked: reserved allocations served by a fulfillment
 * of the position that has not reached `picked`, on fulfillment lines without a picked quantity (a
 * reopened pickup keeps its picked lines). Per fulfillment, with its order's creation time.
 */
export async function listOrderClaims(db: DbOrTx, key: PositionKey): Promise<OrderClaim[]> {
  const r = await sql<OrderClaimRow>`
    SELECT f.id::text AS fulfillment_id, o.id::text AS order_id, o.number, o.created_at, sum(fl.quantity)::int AS units
    FROM order_allocation a
    JOIN fulfillment_line fl ON fl.allocation_id = a.id
    JOIN fulfillment_order f ON f.id = fl.fulfillment_id
    JOIN sales_order o ON o.id = a.order_id
    WHERE a.sku = ${key.sku} AND a.location_id = ${key.locationId} AND a.status = 'reserved'
      AND fl.picked_quantity IS NULL AND f.location_id = ${key.locationId}
      AND f.status IN (${sql.join(UNPICKED_STATUSES.map((s) => sql.lit(s)))})
    GROUP BY f.id, o.id, o.number, o.created_at`.execute(db);
  return r.rows.map((row) => ({ fulfillmentId: row.fulfillment_id, orderId: row.order_id, orderNumber: row.number, orderCreatedAt: new Date(row.created_at), quantity: row.units }));
}

/**
 * `lost` units of a fulfillment line (not picked) that the location turned out not to have: the
 * allocation and the line keep the rest, and the lost units become an allocation row of their own with
 * status 'missing', as a short pick records them (so re-routing this order avoids the location). All
 * lost: the allocation itself ends 'missing' and the line stays as the history of what was asked.
 */
export async function recordLostUnits(tx: Tx, line: { fulfillmentLineId: string; allocationId: string; quantity: number; allocationQuantity: number }, lost: number, at: Date): Promise<void> {
  const { fulfillmentLineId, allocationId, quantity, allocationQuantity } = line;
  if (lost >= allocationQuantity) {
    await tx.updateTable('order_allocation').set({ status: 'missing', ended_at: at }).where('id', '=', allocationId).execute();
    return;
  }
  await splitMissingUnits(tx, allocationId, lost, at);
  await tx.updateTable('order_allocation').set({ quantity: allocationQuantity - lost }).where('id', '=', allocationId).execute();
  await tx.updateTable('fulfillment_line').set({ quantity: quantity - lost }).where('id', '=', fulfillmentLineId).execute();
}
