import type { Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { appendLedger, stockChanged } from '../inventory/ledger.repository.js';
import type { SupplyWaiters } from '../inventory/receive-supply.js';
import { loadOrder, type AllocationRow } from '../orders/order.repository.js';
import { syncOrderProgress } from '../orders/order-progress.js';
import type { PromiseSite } from '../promise/promise-data.js';
import { addReservedGuarded } from '../reservations/reservation.repository.js';
import { recordBackorderDecision } from '../sourcing/record-decisions.js';
import { createFulfillments } from './create-fulfillments.js';
import { getFulfillmentSettings } from './fulfillment-settings.js';

async function waitingOrderIds(tx: Tx, key: { sku: string; locationId: string }): Promise<string[]> {
  const rows = await tx
    .selectFrom('order_allocation')
    .select(['order_id', 'created_at', 'id'])
    .where('status', '=', 'backordered')
    .where('sku', '=', key.sku)
    .where('location_id', '=', key.locationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return [...new Set(rows.map((r) => r.order_id))];
}

/**
 * Backorders and pre-orders served when their supply arrives, in the receipt's transaction: the units
 * the orders wait for at that location are reserved for them in the order they were placed (a guarded
 * update: never more than the ATP; the first order that cannot be served stops the queue so no later
 * order jumps it), their allocations become 'reserved', fulfillments are created and the orders' status
 * follows (backordered → allocated). The arrived units are never free for a new order in between: the
 * receipt locks the waiting orders before the stock moves (orders before positions, like every step).
 */
export function waitingOrders(sites: ReadonlyMap<string, PromiseSite>): SupplyWaiters {
  return {
    async lock(tx, key) {
      const ids = [...(await waitingOrderIds(tx, key))].sort();
      if (ids.length > 0) await tx.selectFrom('sales_order').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
    },
    async serve(tx, key, actor, now) {
      const settings = await getFulfillmentSettings(tx);
      for (const orderId of await waitingOrderIds(tx, key)) {
        const loaded = (await loadOrder(tx, orderId))!;
        const waiting = loaded.allocations.filter((x) => x.status === 'backordered' && x.sku === key.sku && x.location_id === key.locationId);
        const served: AllocationRow[] = [];
        for (const a of waiting) {
          const after = await addReservedGuarded(tx, a.sku, a.location_id, a.quantity);
          if (!after) break;
          await tx.updateTable('order_allocation').set({ status: 'reserved' }).where('id', '=', a.id).execute();
          await appendLedger(tx, [
            { sku: a.sku, locationId: a.location_id, cause: 'reservation', onHandBefore: after.onHand, onHandAfter: after.onHand, reservedBefore: after.reserved - a.quantity, reservedAfter: after.reserved, source: a.id, reference: loaded.order.number, actor: actor.id },
          ]);
          await appendEvents(tx, [stockChanged(after, 'reservation')]);
          served.push({ ...a, status: 'reserved' });
        }
        if (served.length === 0) return;
        await recordBackorderDecision(tx, actor, now, loaded.order, served);
        await createFulfillments(tx, { order: loaded.order, lines: loaded.lines, allocations: served, sites, settings, actor, now });
        await syncOrderProgress(tx, orderId, actor, now, { event: 'backorder.allocated', details: { sku: key.sku, locationId: key.locationId, units: served.reduce((s, a) => s + a.quantity, 0) } });
        // First come first served: an order not fully served stops the queue.
        if (served.length < waiting.length) return;
      }
    },
  };
}
