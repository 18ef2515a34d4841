import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { insertNowOrLater, storedJson, writeNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { FulfillmentLineTable, FulfillmentOrderTable } from '../../db/schema.js';
import { isUuid } from '../../domain/shared/ids.js';
import { newRowId } from '../../db/row-id.js';

export type FulfillmentRow = Selectable<FulfillmentOrderTable>;
export type FulfillmentLineRow = Selectable<FulfillmentLineTable>;
export type NewFulfillment = Insertable<FulfillmentOrderTable>;
export type FulfillmentChanges = Updateable<FulfillmentOrderTable>;

/** A fulfillment line with the state of the allocation it serves and the order line's name. */
export interface FulfillmentLineState extends FulfillmentLineRow {
  allocation_status: string;
  allocation_quantity: number;
  name: string;
  position: number;
}

export interface LoadedFulfillment {
  fulfillment: FulfillmentRow;
  lines: FulfillmentLineState[];
}

/**
 * Inserts new work. With a `batch` (a new order's first write: nothing reads the row back before the
 * batch runs), the id is made here, the insert waits for the batch and the row is answered as stored.
 */
export async function insertFulfillment(tx: Tx, row: NewFulfillment, batch?: StatementBatch): Promise<FulfillmentRow> {
  if (!batch) return tx.insertInto('fulfillment_order').values(row).returningAll().executeTakeFirstOrThrow();
  const stored = { ...row, id: newRowId() };
  batch.insert('fulfillment_order', [stored]);
  return {
    id: stored.id,
    number: row.number,
    order_id: row.order_id,
    location_id: row.location_id,
    kind: row.kind,
    status: row.status,
    drop_ship: row.drop_ship ?? false,
    destination_location_id: row.destination_location_id ?? null,
    pickup_fulfillment_id: row.pickup_fulfillment_id ?? null,
    service: row.service ?? null,
    planned_carrier: storedJson<Record<string, unknown>>(row.planned_carrier),
    promised_earliest: row.promised_earliest ?? null,
    promised_latest: row.promised_latest ?? null,
    confidence: row.confidence ?? null,
    due_at: row.due_at ?? null,
    accept_by: row.accept_by ?? null,
    parcels: storedJson<unknown[]>(row.parcels) ?? [],
    shipment: storedJson<Record<string, unknown>>(row.shipment),
    pickup_code: row.pickup_code ?? null,
    pickup_attempts: row.pickup_attempts ?? 0,
    pickup_locked_until: row.pickup_locked_until ?? null,
    hold_until: row.hold_until ?? null,
    reminder_sent_at: row.reminder_sent_at ?? null,
    reject_reason: row.reject_reason ?? null,
    note: row.note ?? null,
    created_at: row.created_at as Date,
    updated_at: row.updated_at as Date,
    accepted_at: row.accepted_at ?? null,
    picked_at: row.picked_at ?? null,
    packed_at: row.packed_at ?? null,
    shipped_at: row.shipped_at ?? null,
    delivered_at: row.delivered_at ?? null,
    ready_at: row.ready_at ?? null,
    collected_at: row.collected_at ?? null,
    ended_at: row.ended_at ?? null,
    release_at: row.release_at ?? null,
    released_at: row.released_at ?? null,
    merged_into_id: row.merged_into_id ?? null,
  };
}

export async function insertFulfillmentLines(tx: Tx, rows: Insertable<FulfillmentLineTable>[], batch?: StatementBatch): Promise<void> {
  await insertNowOrLater(tx, 'fulfillment_line', rows, batch);
}

export async function linkAllocations(tx: Tx, allocationIds: readonly string[], fulfillmentId: string, batch?: StatementBatch): Promise<void> {
  if (allocationIds.length === 0) return;
  await writeNowOrLater(tx.updateTable('order_allocation').set({ fulfillment_id: fulfillmentId }).where('id', 'in', [...allocationIds]), batch);
}

/** How many fulfillments the order has had (numbers are <order number>-F<n>). */
export async function countOrderFulfillments(tx: Tx, orderId: string): Promise<number> {
  const r = await tx.selectFrom('fulfillment_order').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', orderId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findFulfillmentId(db: DbOrTx, idOrNumber: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('fulfillment_order')
    .select('id')
    .where(isUuid(idOrNumber) ? 'id' : 'number', '=', idOrNumber)
    .executeTakeFirst();
  return r?.id;
}

/** A fulfillment with its lines (by order line position); `lock` takes the fulfillment row FOR UPDATE. */
export async function loadFulfillment(db: DbOrTx, id: string, lock = false): Promise<LoadedFulfillment | undefined> {
  let q = db.selectFrom('fulfillment_order').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const fulfillment = await q.executeTakeFirst();
  if (!fulfillment) return undefined;
  return { fulfillment, lines: (await linesOf(db, [id])).get(id) ?? [] };
}

export async function linesOf(db: DbOrTx, ids: readonly string[]): Promise<Map<string, FulfillmentLineState[]>> {
  const out = new Map<string, FulfillmentLineState[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('fulfillment_line as fl')
    .innerJoin('order_allocation as a', 'a.id', 'fl.allocation_id')
    .innerJoin('order_line as l', 'l.id', 'fl.order_line_id')
    .selectAll('fl')
    .select(['a.status as allocation_status', 'a.quantity as allocation_quantity', 'l.name', 'l.position'])
    .where('fl.fulfillment_id', 'in', [...ids])
    .orderBy('l.position')
    .orderBy('fl.id')
    .execute();
  for (const r of rows) out.set(r.fulfillment_id, [...(out.get(r.fulfillment_id) ?? []), r]);
  return out;
}

export async function updateFulfillment(tx: Tx, id: string, changes: FulfillmentChanges): Promise<FulfillmentRow> {
  return tx.updateTable('fulfillment_order').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The order's fulfillments, oldest first (lock: FOR UPDATE, in id order). */
export async function orderFulfillments(db: DbOrTx, orderId: string, lock = false): Promise<FulfillmentRow[]> {
  let q = db.selectFrom('fulfillment_order').selectAll().where('order_id', '=', orderId).orderBy('created_at').orderBy('id');
  if (lock) q = q.forUpdate();
  return q.execute();
}

export interface FulfillmentFilter {
  /** Only these locations (a store key's scope, or the locationId asked for). */
  locationIds?: readonly string[];
  statuses?: readonly string[];
  /** Never these statuses (held work for a store). */
  hiddenStatuses?: readonly string[];
  /** Leave out work merged into another fulfillment (the store works on the lead). */
  excludeMerged?: boolean;
  kind?: string;
  orderId?: string;
  /** Transfers bound for this location. */
  destinationLocationId?: string;
  after?: { due: string; id: string };
  limit: number;
}

/** Most urgent first: by deadline (none last), then id; keyset-paginated on that pair. */
export async function listFulfillments(db: DbOrTx, f: FulfillmentFilter): Promise<FulfillmentRow[]> {
  const due = sql<Date>`coalesce(due_at, 'infinity'::timestamptz)`;
  let q = db.selectFrom('fulfillment_order').selectAll().orderBy(due).orderBy('id').limit(f.limit);
  if (f.locationIds) q = f.locationIds.length > 0 ? q.where('location_id', 'in', [...f.locationIds]) : q.where(sql<boolean>`false`);
  if (f.statuses && f.statuses.length > 0) q = q.where('status', 'in', [...f.statuses]);
  if (f.hiddenStatuses && f.hiddenStatuses.length > 0) q = q.where('status', 'not in', [...f.hiddenStatuses]);
  if (f.excludeMerged) q = q.where('merged_into_id', 'is', null);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.orderId) q = q.where('order_id', '=', f.orderId);
  if (f.destinationLocationId) q = q.where('destination_location_id', '=', f.destinationLocationId);
  if (f.after) {
    const { due: d, id } = f.after;
    q = q.where(sql<boolean>`(coalesce(due_at, 'infinity'::timestamptz), id) > (${d}::timestamptz, ${id}::uuid)`);
  }
  return q.execute();
}
