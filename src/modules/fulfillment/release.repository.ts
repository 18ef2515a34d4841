import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { FulfillmentRow } from './fulfillment.repository.js';

/** A held ship fulfillment with what merging and re-planning need from its order. */
export interface HeldWork {
  fulfillment: FulfillmentRow;
  orderNumber: string;
  channelId: string;
  email: string | null;
  address: Record<string, unknown> | null;
  service: string | null;
  promiseLatest: Date | null;
}

/** Every held fulfillment (due or not), oldest release first: the batch re-plans and merges them together. */
export async function heldWork(db: DbOrTx, limit: number): Promise<HeldWork[]> {
  const rows = await db
    .selectFrom('fulfillment_order as f')
    .innerJoin('sales_order as o', 'o.id', 'f.order_id')
    .selectAll('f')
    .select(['o.number as order_number', 'o.channel_id', 'o.contact', 'o.address', 'o.service as order_service', 'o.promise_latest'])
    .where('f.status', '=', 'held')
    .orderBy('f.release_at')
    .orderBy('f.id')
    .limit(limit)
    .execute();
  return rows.map(({ order_number, channel_id, contact, address, order_service, promise_latest, ...f }) => ({
    fulfillment: f,
    orderNumber: order_number,
    channelId: channel_id,
    email: typeof (contact as { email?: unknown } | null)?.email === 'string' ? (contact as { email: string }).email : null,
    address: (address as Record<string, unknown> | null) ?? null,
    service: order_service,
    promiseLatest: promise_latest,
  }));
}

/** Is some held work due (the task's cheap check before it takes its lease)? */
export async function heldWorkDue(db: DbOrTx, now: Date): Promise<boolean> {
  const r = await db.selectFrom('fulfillment_order').select('id').where('status', '=', 'held').where('release_at', '<=', now).limit(1).executeTakeFirst();
  return r !== undefined;
}

/**
 * Locks the orders (id order, so two releases never deadlock) unless another transaction holds one of
 * them (another Ordo process releasing or re-planning them): false then, and nothing is locked for long
 * (the caller's transaction ends).
 */
export async function lockOrdersUnlessBusy(tx: Tx, orderIds: readonly string[]): Promise<boolean> {
  for (const id of [...new Set(orderIds)].sort()) {
    const r = await sql<{ id: string }>`SELECT id FROM sales_order WHERE id = ${id} FOR UPDATE SKIP LOCKED`.execute(tx);
    if (r.rows.length === 0) return false;
  }
  return true;
}

/** The fulfillments, locked (id order), as they are now. */
export async function lockFulfillments(tx: Tx, ids: readonly string[]): Promise<FulfillmentRow[]> {
  if (ids.length === 0) return [];
  return tx.selectFrom('fulfillment_order').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
}

/** The other fulfillments merged into `leadId` (its shipment carries their units too). */
export async function mergedInto(db: DbOrTx, leadId: string, lock = false): Promise<FulfillmentRow[]> {
  let q = db.selectFrom('fulfillment_order').selectAll().where('merged_into_id', '=', leadId).orderBy('id');
  if (lock) q = q.forUpdate();
  return q.execute();
}

/**
 * A lead that ends before its parcels leave (cancelled, re-routed) takes no one with it: the work merged
 * into it ships on its own again, in whatever step it reached (a rejection of the lead rejects that work
 * too, reject-fulfillment.ts; a pick regroups what is left, merged-work.ts).
 */
export async function detachMerged(tx: Tx, leadId: string, now: Date): Promise<void> {
  await tx
    .updateTable('fulfillment_order')
    .set({ merged_into_id: null, updated_at: now })
    .where('merged_into_id', '=', leadId)
    .where('status', 'not in', ['shipped', 'delivered', 'cancelled', 'rejected'])
    .execute();
}

/** The open work merged into these leads (for their views): member id and lead id. */
export async function openMembersOf(db: DbOrTx, leadIds: readonly string[]): Promise<Array<{ id: string; leadId: string }>> {
  if (leadIds.length === 0) return [];
  const rows = await db
    .selectFrom('fulfillment_order')
    .select(['id', 'merged_into_id'])
    .where('merged_into_id', 'in', [...leadIds])
    .where('status', 'not in', ['cancelled', 'rejected'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, leadId: r.merged_into_id! }));
}

/** A fulfillment of a merged shipment, with its order's number and the lead it ships with. */
export interface ParcelShare {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  leadId: string;
}

/** The fulfillments of these leads' shipments (each lead and the work merged into it), not ended, oldest first. */
export async function parcelShares(db: DbOrTx, leadIds: readonly string[]): Promise<ParcelShare[]> {
  if (leadIds.length === 0) return [];
  const rows = await db
    .selectFrom('fulfillment_order as f')
    .innerJoin('sales_order as o', 'o.id', 'f.order_id')
    .select(['f.id', 'f.number', 'f.order_id', 'f.merged_into_id', 'o.number as order_number'])
    .where((eb) => eb.or([eb('f.id', 'in', [...leadIds]), eb('f.merged_into_id', 'in', [...leadIds])]))
    .where('f.status', 'not in', ['cancelled', 'rejected'])
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, orderId: r.order_id, orderNumber: r.order_number, leadId: r.merged_into_id ?? r.id }));
}

/** The timeline entry on an ended lead's order naming the fulfillment that carries its parcel on (regroupMerged). */
export const PARCEL_HANDED_OVER = 'fulfillment.parcel_handed_over';

/** The fulfillment that carries a merged parcel on after its lead ended. */
export interface ParcelCarrier {
  fulfillmentId: string;
  number: string;
  orderId: string;
  orderNumber: string;
}

/** Where the parcels of these ended leads went on, by ended lead id (their orders' PARCEL_HANDED_OVER timeline entries). */
export async function parcelCarriers(db: DbOrTx, ended: ReadonlyArray<Pick<FulfillmentRow, 'id' | 'order_id'>>): Promise<Map<string, ParcelCarrier>> {
  if (ended.length === 0) return new Map();
  const rows = await db
    .selectFrom('order_timeline')
    .select('details')
    .where('order_id', 'in', [...new Set(ended.map((f) => f.order_id))])
    .where('event', '=', PARCEL_HANDED_OVER)
    .execute();
  const byLead = new Map<string, ParcelCarrier>();
  for (const { details } of rows) {
    const d = details as { fulfillmentId: string; carriedBy: ParcelCarrier };
    byLead.set(d.fulfillmentId, d.carriedBy);
  }
  return byLead;
}

/** The catalogue weight of these units, or undefined when a SKU among them has none. */
export async function catalogueWeightGrams(db: DbOrTx, units: ReadonlyArray<{ sku: string; quantity: number }>): Promise<number | undefined> {
  const counted = units.filter((u) => u.quantity > 0);
  if (counted.length === 0) return 0;
  const rows = await db.selectFrom('product').select(['sku', 'weight_grams']).where('sku', 'in', [...new Set(counted.map((u) => u.sku))]).execute();
  const weightOf = new Map(rows.map((r) => [r.sku, r.weight_grams]));
  let total = 0;
  for (const u of counted) {
    const weight = weightOf.get(u.sku);
    if (weight === null || weight === undefined) return undefined;
    total += weight * u.quantity;
  }
  return total;
}

/**
 * Gives back a job's lease taken at `claimedAt` with claimJobRun (inventory/invariant.repository.ts),
 * unless it expired and another process holds it now: the next tick may run at once.
 */
export async function endLease(db: DbOrTx, name: string, claimedAt: Date): Promise<void> {
  await db.updateTable('job_run').set({ next_run_at: claimedAt }).where('name', '=', name).where('last_run_at', '=', claimedAt).execute();
}
