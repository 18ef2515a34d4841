import type { DbOrTx, Tx } from '../../db/database.js';
import type { AllocationRow } from '../orders/order.repository.js';
import { insertAllocations } from '../orders/order.repository.js';
import { insertFulfillmentLines } from './fulfillment.repository.js';

/** Transfers bringing units to a pickup that have not arrived (nor been called off) yet. */
export async function openTransfersTo(db: DbOrTx, pickupFulfillmentId: string): Promise<Array<{ id: string; number: string; location_id: string; status: string }>> {
  return db
    .selectFrom('fulfillment_order')
    .select(['id', 'number', 'location_id', 'status'])
    .where('pickup_fulfillment_id', '=', pickupFulfillmentId)
    .where('kind', '=', 'transfer')
    .where('status', 'not in', ['received', 'rejected', 'cancelled'])
    .orderBy('id')
    .execute();
}

/**
 * Units a transfer brought, now held at the pickup store for the same order lines: one new 'reserved'
 * allocation per transferred one, served by the pickup, with a fulfillment line already picked (the
 * units arrive prepared). Returns the new allocations in the given order.
 */
export async function holdArrivedUnits(tx: Tx, arrived: readonly AllocationRow[], storeId: string, pickupFulfillmentId: string, at: Date): Promise<AllocationRow[]> {
  if (arrived.length === 0) return [];
  const held = await insertAllocations(
    tx,
    arrived.map((a) => ({
      order_id: a.order_id,
      line_id: a.line_id,
      sku: a.sku,
      location_id: storeId,
      quantity: a.quantity,
      status: 'reserved',
      earliest: a.earliest,
      latest: a.latest,
      confidence: a.confidence,
      created_at: at,
      fulfillment_id: pickupFulfillmentId,
    })),
  );
  await insertFulfillmentLines(
    tx,
    held.map((a) => ({ fulfillment_id: pickupFulfillmentId, order_line_id: a.line_id, allocation_id: a.id, sku: a.sku, quantity: a.quantity, picked_quantity: a.quantity })),
  );
  return held;
}

export interface HeldPickup {
  id: string;
  order_id: string;
  hold_until: Date;
  reminder_sent_at: Date | null;
}

/** Ready pickups whose hold ends before `endsBefore` and that were not reminded yet, soonest first. */
export async function pickupsToRemind(db: DbOrTx, now: Date, endsBefore: Date, limit: number): Promise<HeldPickup[]> {
  return db
    .selectFrom('fulfillment_order')
    .select(['id', 'order_id', 'hold_until', 'reminder_sent_at'])
    .where('status', '=', 'ready_for_pickup')
    .where('reminder_sent_at', 'is', null)
    .where('hold_until', '>', now)
    .where('hold_until', '<=', endsBefore)
    .orderBy('hold_until')
    .orderBy('id')
    .limit(limit)
    .$narrowType<{ hold_until: Date }>()
    .execute();
}

/** Ready pickups whose hold is over at `now`, longest expired first. */
export async function expiredPickups(db: DbOrTx, now: Date, limit: number): Promise<HeldPickup[]> {
  return db
    .selectFrom('fulfillment_order')
    .select(['id', 'order_id', 'hold_until', 'reminder_sent_at'])
    .where('status', '=', 'ready_for_pickup')
    .where('hold_until', '<=', now)
    .orderBy('hold_until')
    .orderBy('id')
    .limit(limit)
    .$narrowType<{ hold_until: Date }>()
    .execute();
}
