import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { ReturnLineTable, SalesReturnTable } from '../../db/schema.js';
import { isUuid } from '../../domain/shared/ids.js';

export type ReturnRow = Selectable<SalesReturnTable>;
export type ReturnLineRow = Selectable<ReturnLineTable>;
export type ReturnChanges = Updateable<SalesReturnTable>;

export interface LoadedReturn {
  ret: ReturnRow;
  lines: ReturnLineRow[];
}


export async function nextReturnNumber(db: DbOrTx, year: number): Promise<string> {
  const r = await sql<{ n: number }>`SELECT nextval('sales_return_number_seq')::int AS n`.execute(db);
  return `RET-${year}-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

export async function insertReturn(tx: Tx, row: Insertable<SalesReturnTable>, lines: Array<Omit<Insertable<ReturnLineTable>, 'return_id'>>): Promise<LoadedReturn> {
  const ret = await tx.insertInto('sales_return').values(row).returningAll().executeTakeFirstOrThrow();
  const inserted = await tx.insertInto('return_line').values(lines.map((l) => ({ ...l, return_id: ret.id }))).returningAll().execute();
  return { ret, lines: inserted };
}

export async function findReturnId(db: DbOrTx, idOrNumber: string): Promise<string | undefined> {
  const r = await db.selectFrom('sales_return').select('id').where(isUuid(idOrNumber) ? 'id' : 'number', '=', idOrNumber).executeTakeFirst();
  return r?.id;
}

/** A return with its lines (in the order they were asked for); `lock` takes the return row FOR UPDATE. */
export async function loadReturn(db: DbOrTx, id: string, lock = false): Promise<LoadedReturn | undefined> {
  let q = db.selectFrom('sales_return').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const ret = await q.executeTakeFirst();
  if (!ret) return undefined;
  return { ret, lines: await linesOfReturns(db, [id]) };
}

export async function linesOfReturns(db: DbOrTx, returnIds: readonly string[]): Promise<ReturnLineRow[]> {
  if (returnIds.length === 0) return [];
  return db
    .selectFrom('return_line as rl')
    .innerJoin('order_line as ol', 'ol.id', 'rl.order_line_id')
    .selectAll('rl')
    .where('rl.return_id', 'in', [...returnIds])
    .orderBy('rl.return_id')
    .orderBy('ol.position')
    .execute();
}

export async function updateReturn(tx: Tx, id: string, changes: ReturnChanges): Promise<ReturnRow> {
  return tx.updateTable('sales_return').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function updateReturnLine(tx: Tx, id: string, changes: Updateable<ReturnLineTable>): Promise<void> {
  await tx.updateTable('return_line').set(changes).where('id', '=', id).execute();
}

/** Every line of every return of an order, with its return's status (what each order line has given back). */
export async function orderReturnLines(db: DbOrTx, orderId: string): Promise<Array<ReturnLineRow & { status: string; shipping_refund_minor: number }>> {
  return db
    .selectFrom('return_line as rl')
    .innerJoin('sales_return as r', 'r.id', 'rl.return_id')
    .selectAll('rl')
    .select(['r.status', 'r.shipping_refund_minor'])
    .where('r.order_id', '=', orderId)
    .orderBy('r.created_at')
    .orderBy('rl.id')
    .execute();
}

/**
 * Units of each order line that reached the customer, and when: fulfilled allocations whose fulfillment
 * was delivered or collected, or that left at the counter (no fulfillment).
 */
export async function deliveredUnits(db: DbOrTx, orderId: string): Promise<Array<{ lineId: string; quantity: number; at: Date }>> {
  const rows = await db
    .selectFrom('order_allocation as a')
    .leftJoin('fulfillment_order as f', 'f.id', 'a.fulfillment_id')
    .select(['a.line_id', 'a.quantity', 'a.ended_at', 'a.fulfillment_id', 'f.status', 'f.delivered_at', 'f.collected_at'])
    .where('a.order_id', '=', orderId)
    .where('a.status', '=', 'fulfilled')
    .execute();
  const out: Array<{ lineId: string; quantity: number; at: Date }> = [];
  for (const r of rows) {
    const at = r.fulfillment_id === null ? r.ended_at : r.status === 'delivered' ? r.delivered_at : r.status === 'collected' ? r.collected_at : null;
    if (at) out.push({ lineId: r.line_id, quantity: r.quantity, at: new Date(at) });
  }
  return out;
}

/** The carrier and service the order's parcels left with (its first shipment), if any. */
export async function firstShipment(db: DbOrTx, orderId: string): Promise<{ carrierId: string; service: string } | undefined> {
  const r = await db
    .selectFrom('fulfillment_order')
    .select('shipment')
    .where('order_id', '=', orderId)
    .where('kind', '=', 'ship')
    .where('shipment', 'is not', null)
    .orderBy('shipped_at')
    .executeTakeFirst();
  const s = r?.shipment as { carrierId?: string; service?: string } | null | undefined;
  return s?.carrierId && s.service ? { carrierId: s.carrierId, service: s.service } : undefined;
}

export interface ReturnFilter {
  orderId?: string;
  status?: string;
  locationIds?: readonly string[];
  customerId?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listReturns(db: DbOrTx, f: ReturnFilter): Promise<ReturnRow[]> {
  let q = db.selectFrom('sales_return as r').selectAll('r').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(f.limit);
  if (f.orderId) q = q.where('r.order_id', '=', f.orderId);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.locationIds) q = q.where('r.location_id', 'in', f.locationIds.length > 0 ? [...f.locationIds] : ['']);
  if (f.customerId) q = q.where('r.order_id', 'in', (eb) => eb.selectFrom('sales_order').select('id').where('customer_id', '=', f.customerId!));
  if (f.after) {
    const at = new Date(f.after.createdAt);
    const id = f.after.id;
    q = q.where((eb) => eb.or([eb('r.created_at', '<', at), eb.and([eb('r.created_at', '=', at), eb('r.id', '<', id)])]));
  }
  return q.execute();
}

export async function orderNumbers(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('sales_order').select(['id', 'number']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}

export interface StoredReturnLabel {
  carrierId: string;
  service: string;
  trackingNumber: string;
  trackingUrl: string | null;
  content: Uint8Array;
}

export async function insertReturnLabel(tx: Tx, returnId: string, l: Omit<StoredReturnLabel, 'content'> & { pdf: Uint8Array }, at: Date): Promise<void> {
  await tx
    .insertInto('return_label')
    .values({ return_id: returnId, carrier_id: l.carrierId, service: l.service, tracking_number: l.trackingNumber, tracking_url: l.trackingUrl, content: Buffer.from(l.pdf), created_at: at })
    .execute();
}

/** Labels of these returns without their PDF, the latest per return. */
export async function returnLabels(db: DbOrTx, returnIds: readonly string[]): Promise<Map<string, Omit<StoredReturnLabel, 'content'>>> {
  if (returnIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('return_label')
    .select(['return_id', 'carrier_id', 'service', 'tracking_number', 'tracking_url'])
    .where('return_id', 'in', [...returnIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.return_id, { carrierId: r.carrier_id, service: r.service, trackingNumber: r.tracking_number, trackingUrl: r.tracking_url }]));
}

export async function latestReturnLabel(db: DbOrTx, returnId: string): Promise<StoredReturnLabel | undefined> {
  const r = await db
    .selectFrom('return_label')
    .select(['carrier_id', 'service', 'tracking_number', 'tracking_url', 'content'])
    .where('return_id', '=', returnId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r && { carrierId: r.carrier_id, service: r.service, trackingNumber: r.tracking_number, trackingUrl: r.tracking_url, content: r.content };
}

/** Whether a shipping or return label already carries this tracking number. */
export async function trackingNumberInUse(db: DbOrTx, trackingNumber: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    db.selectFrom('return_label').select('id').where('tracking_number', '=', trackingNumber).executeTakeFirst(),
    db.selectFrom('shipping_label').select('id').where('tracking_number', '=', trackingNumber).executeTakeFirst(),
  ]);
  return a !== undefined || b !== undefined;
}

/** Adds units to the damaged bucket of positions, in (sku, location) order like every stock writer. */
export async function addDamaged(tx: Tx, units: ReadonlyArray<{ sku: string; locationId: string; quantity: number }>, at: Date): Promise<void> {
  const sorted = [...units].sort((a, b) => (a.sku === b.sku ? (a.locationId < b.locationId ? -1 : 1) : a.sku < b.sku ? -1 : 1));
  for (const u of sorted) {
    await tx
      .insertInto('damaged_stock')
      .values({ sku: u.sku, location_id: u.locationId, quantity: u.quantity, updated_at: at })
      .onConflict((oc) => oc.columns(['sku', 'location_id']).doUpdateSet((eb) => ({ quantity: eb('damaged_stock.quantity', '+', u.quantity), updated_at: at })))
      .execute();
  }
}

export async function insertStoreCredit(tx: Tx, e: { customerId: string; currency: string; amountMinor: number; returnId: string; reason: string; actor: string; at: Date }): Promise<void> {
  await tx
    .insertInto('store_credit_entry')
    .values({ customer_id: e.customerId, currency: e.currency, amount_minor: e.amountMinor, return_id: e.returnId, reason: e.reason, actor: e.actor, occurred_at: e.at })
    .execute();
}

export async function storeCreditBalances(db: DbOrTx, customerId: string): Promise<Array<{ currency: string; balanceMinor: number }>> {
  const rows = await db
    .selectFrom('store_credit_entry')
    .select(['currency', sql<string>`sum(amount_minor)`.as('balance')])
    .where('customer_id', '=', customerId)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({ currency: r.currency, balanceMinor: Number(r.balance) }));
}

/** Active locations that take returns. */
export async function returnLocations(db: DbOrTx): Promise<Array<{ id: string; type: string }>> {
  return db
    .selectFrom('location')
    .select(['id', 'type'])
    .where('active', '=', true)
    .where(sql<boolean>`'returns' = ANY(capabilities)`)
    .orderBy('id')
    .execute();
}

/**
 * Per (sku, location): ATP now, and demand = units held for orders there now plus units orders took
 * from it since `since` (allocations fulfilled: shipped, collected or sold at the counter).
 */
export async function stockAndDemand(db: DbOrTx, skus: readonly string[], locationIds: readonly string[], since: Date): Promise<Array<{ sku: string; locationId: string; atp: number; demand: number }>> {
  if (skus.length === 0 || locationIds.length === 0) return [];
  const r = await sql<{ sku: string; location_id: string; atp: number; demand: number }>`
    SELECT s.sku, l.location_id,
      coalesce((SELECT greatest(sp.on_hand - sp.reserved - sp.safety_stock, 0) FROM stock_position sp WHERE sp.sku = s.sku AND sp.location_id = l.location_id), 0)::int AS atp,
      (SELECT coalesce(sum(a.quantity), 0) FROM order_allocation a
        WHERE a.sku = s.sku AND a.location_id = l.location_id
          AND (a.status = 'reserved' OR (a.status = 'fulfilled' AND a.created_at >= ${since})))::int AS demand
    FROM unnest(${[...skus]}::text[]) AS s(sku) CROSS JOIN unnest(${[...locationIds]}::text[]) AS l(location_id)`.execute(db);
  return r.rows.map((x) => ({ sku: x.sku, locationId: x.location_id, atp: x.atp, demand: x.demand }));
}

/** Returns to settle by the overdue task: requested past their `return_by`, or an exchange left pending. */
export async function dueReturns(db: DbOrTx, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('sales_return')
    .select('id')
    .where((eb) => eb.or([eb.and([eb('status', '=', 'requested'), eb('return_by', '<=', now)]), eb('exchange_outcome', '=', 'pending')]))
    .orderBy('return_by')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Locks an order row for a return command (order first, then the return, like fulfillment steps). */
export async function lockOrderRow(tx: Tx, orderId: string): Promise<void> {
  await tx.selectFrom('sales_order').select('id').where('id', '=', orderId).forUpdate().execute();
}

export async function productWeights(db: DbOrTx, skus: readonly string[]): Promise<Map<string, number | null>> {
  if (skus.length === 0) return new Map();
  const rows = await db.selectFrom('product').select(['sku', 'weight_grams']).where('sku', 'in', [...skus]).execute();
  return new Map(rows.map((r) => [r.sku, r.weight_grams]));
}
