import { sql, type Insertable, type Selectable } from 'kysely';
import { insertNowOrLater, storedJson, type StatementBatch } from '../../db/statement-batch.js';
import type { DbOrTx, Tx } from '../../db/database.js';
import { chunks, rowsPerInsert } from '../../db/chunks.js';
import type { OrderAllocationTable, OrderLineTable, OrderTimelineTable, SalesOrderTable } from '../../db/schema.js';
import { isUuid } from '../../domain/shared/ids.js';
import { customerFromJson, customersByKeysJson, type CustomerRow } from '../customers/customer.repository.js';
import { storedAnswersJson, type StoredAnswer } from '../reservations/idempotency.repository.js';
import { newRowId } from '../../db/row-id.js';

export type OrderRow = Selectable<SalesOrderTable>;
export type LineRow = Selectable<OrderLineTable>;
/** Dates come back as 'YYYY-MM-DD' text (a DATE column would be parsed into a local-time Date). */
export type AllocationRow = Omit<Selectable<OrderAllocationTable>, 'departure_date' | 'pick_day'> & { departure_date: string | null; pick_day: string | null };
export type NewAllocation = Insertable<OrderAllocationTable>;
/** A new order as written: its id and dates made by the caller. */
export type NewOrderRow = Insertable<SalesOrderTable> & { id: string; created_at: Date; updated_at: Date };
export type NewTimelineEntry = Omit<Insertable<OrderTimelineTable>, 'details'> & { details?: Record<string, unknown> };

export interface LoadedOrder {
  order: OrderRow;
  lines: LineRow[];
  allocations: AllocationRow[];
}

export async function findChannelFacts(db: DbOrTx, id: string): Promise<{ id: string; type: string; active: boolean } | undefined> {
  return db.selectFrom('channel').select(['id', 'type', 'active']).where('id', '=', id).executeTakeFirst();
}

export interface ProductFacts {
  name: string;
  prices: Record<string, number>;
  active: boolean;
}

export async function findProducts(db: DbOrTx, skus: readonly string[]): Promise<Map<string, ProductFacts>> {
  const rows = await db.selectFrom('product').select(['sku', 'name', 'prices', 'active']).where('sku', 'in', [...skus]).execute();
  return new Map(rows.map((r) => [r.sku, { name: r.name, prices: r.prices, active: r.active }]));
}

export interface LocationFacts {
  id: string;
  name: string;
  type: string;
  address: Record<string, unknown>;
  timeZone: string;
  capabilities: string[];
  active: boolean;
}

type LocationFactsRow = Omit<LocationFacts, 'timeZone'> & { time_zone: string };
const locationFacts = (r: LocationFactsRow): LocationFacts => ({ id: r.id, name: r.name, type: r.type, address: r.address, timeZone: r.time_zone, capabilities: r.capabilities, active: r.active });

export async function findLocationFacts(db: DbOrTx, id: string): Promise<LocationFacts | undefined> {
  const r = await db.selectFrom('location').select(['id', 'name', 'type', 'address', 'time_zone', 'capabilities', 'active']).where('id', '=', id).executeTakeFirst();
  return r && locationFacts(r);
}

/**
 * What order requests are checked against: channels, products and named locations (pickup store, origin),
 * with new order numbers (from the sequence; a number not used leaves a gap, as a rollback does) and the
 * stored fulfillment settings their work is created with.
 */
export interface OrderFacts {
  channels: Map<string, { id: string; type: string; active: boolean }>;
  products: Map<string, ProductFacts>;
  locations: Map<string, LocationFacts>;
  orderNumbers: number[];
  storedFulfillmentSettings: unknown;
  /** The customers with the contacts' e-mail or phone keys (see matchCustomer). */
  customers: CustomerRow[];
  /** The committed answers of the requests' Idempotency-Keys, for those that have one. */
  storedAnswers: StoredAnswer[];
}

/** What the order requests of one read name. */
export interface OrderFactsAsked {
  channelIds: readonly string[];
  skus: readonly string[];
  locationIds: readonly string[];
  /** Normalised contact keys (contactKeys). */
  emails: readonly string[];
  phones: readonly string[];
  idempotencyKeys: ReadonlyArray<{ scope: string; key: string }>;
  /** How many new order numbers. */
  numbers: number;
}

/**
 * The channels, products and locations order requests name, the customers their contacts' keys match,
 * their keys' committed answers, new order numbers and the fulfillment settings, in one statement (every
 * order reads them before its transaction; the sequence is not transactional, so taking the numbers here
 * changes nothing). Ids travel as JSON: PGlite does not bind a JS array as a PostgreSQL array. Each table is
 * read by index (`= ANY (ARRAY(...))`): as `IN (SELECT json_array_elements_text(...))` PostgreSQL planned
 * for 100 ids and scanned the whole catalogue on every order (255 pages for 10,000 products, growing with it).
 */
export async function findOrderFacts(db: DbOrTx, asked: OrderFactsAsked): Promise<OrderFacts> {
  const { channelIds, skus, locationIds, numbers } = asked;
  type Row = {
    numbers: number[];
    settings: unknown;
    channels: Array<{ id: string; type: string; active: boolean }>;
    products: Array<{ sku: string; name: string; prices: Record<string, number>; active: boolean }>;
    locations: LocationFactsRow[];
    customers: Array<Parameters<typeof customerFromJson>[0]>;
    answers: StoredAnswer[];
  };
  const r = await sql<Row>`
    SELECT
      (SELECT coalesce(json_agg(nextval('sales_order_number_seq')), '[]'::json) FROM generate_series(1, ${numbers}::int)) AS numbers,
      (SELECT settings FROM fulfillment_settings) AS settings,
      (SELECT coalesce(json_agg(json_build_object('id', c.id, 'type', c.type, 'active', c.active)), '[]'::json)
         FROM channel c WHERE c.id = ANY (ARRAY(SELECT json_array_elements_text(${JSON.stringify(channelIds)}::json)))) AS channels,
      (SELECT coalesce(json_agg(json_build_object('sku', p.sku, 'name', p.name, 'prices', p.prices, 'active', p.active)), '[]'::json)
         FROM product p WHERE p.sku = ANY (ARRAY(SELECT json_array_elements_text(${JSON.stringify(skus)}::json)))) AS products,
      (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'type', l.type, 'address', l.address, 'time_zone', l.time_zone,
                                                  'capabilities', l.capabilities, 'active', l.active)), '[]'::json)
         FROM location l WHERE l.id = ANY (ARRAY(SELECT json_array_elements_text(${JSON.stringify(locationIds)}::json)))) AS locations,
      ${customersByKeysJson(asked.emails, asked.phones)} AS customers,
      ${storedAnswersJson(asked.idempotencyKeys)} AS answers`.execute(db);
  const row = r.rows[0]!;
  return {
    channels: new Map(row.channels.map((c) => [c.id, c])),
    products: new Map(row.products.map((p) => [p.sku, { name: p.name, prices: p.prices, active: p.active }])),
    locations: new Map(row.locations.map((l) => [l.id, locationFacts(l)])),
    orderNumbers: row.numbers.map(Number),
    storedFulfillmentSettings: row.settings ?? undefined,
    customers: row.customers.map(customerFromJson),
    storedAnswers: row.answers,
  };
}

/** The customer-facing number of an order: ORD-<year>-<sequence, 6 digits or more>. */
export const orderNumber = (year: number, n: number): string => `ORD-${year}-${String(n).padStart(6, '0')}`;

export async function findOrderIdByExternalId(db: DbOrTx, channelId: string, externalId: string): Promise<string | undefined> {
  const r = await db.selectFrom('sales_order').select('id').where('channel_id', '=', channelId).where('external_id', '=', externalId).executeTakeFirst();
  return r?.id;
}

/** The order id a path or query value names: the id itself, or the id of the order with that number. */
export async function findOrderId(db: DbOrTx, idOrNumber: string): Promise<string | undefined> {
  return isUuid(idOrNumber) ? idOrNumber : findOrderIdByNumber(db, idOrNumber);
}

export async function findOrderIdByNumber(db: DbOrTx, number: string): Promise<string | undefined> {
  const r = await db.selectFrom('sales_order').select('id').where('number', '=', number).executeTakeFirst();
  return r?.id;
}

/**
 * A new order left to `batch`, answered as stored (its id, number and dates are given): the statements
 * that reference it (lines, allocations, payment, fulfillments) must go to the batch after it.
 */
export function batchOrder(row: NewOrderRow, batch: StatementBatch): OrderRow {
  batch.insert('sales_order', [row]);
  return {
    id: row.id,
    number: row.number,
    channel_id: row.channel_id,
    channel_type: row.channel_type,
    external_id: row.external_id ?? null,
    customer_id: row.customer_id ?? null,
    contact: storedJson<Record<string, unknown>>(row.contact as string | undefined) ?? {},
    currency: row.currency,
    delivery_method: row.delivery_method,
    service: row.service ?? null,
    address: storedJson<Record<string, unknown>>(row.address),
    pickup_location_id: row.pickup_location_id ?? null,
    origin_store_id: row.origin_store_id ?? null,
    associate: row.associate ?? null,
    status: row.status,
    subtotal_minor: row.subtotal_minor,
    discount_minor: row.discount_minor,
    shipping_minor: row.shipping_minor,
    total_minor: row.total_minor,
    promise_earliest: row.promise_earliest ?? null,
    promise_latest: row.promise_latest ?? null,
    promise_confidence: row.promise_confidence ?? null,
    promise_option: storedJson<Record<string, unknown>>(row.promise_option),
    promise_token: row.promise_token ?? null,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    cancelled_at: row.cancelled_at ?? null,
    cancel_reason: row.cancel_reason ?? null,
  };
}

const ALLOCATIONS_PER_INSERT = rowsPerInsert(20);

/** Inserts allocations and returns them as stored (ids included), in the given order. */
export async function insertAllocations(tx: Tx, rows: NewAllocation[]): Promise<AllocationRow[]> {
  const out: AllocationRow[] = [];
  for (const part of chunks(rows, ALLOCATIONS_PER_INSERT)) out.push(...(await tx.insertInto('order_allocation').values(part).returning(allocationColumns).execute()));
  return out;
}

/** Lines left to `batch` (ids made here), answered as stored; see batchAllocations. */
export function batchLines(rows: Insertable<OrderLineTable>[], batch: StatementBatch): LineRow[] {
  const stored = rows.map((r) => ({ ...r, id: newRowId(), cancelled_quantity: r.cancelled_quantity ?? 0 }));
  batch.insert('order_line', stored);
  return stored.map((r) => ({ ...r, updated_at: r.updated_at as Date }));
}

/** A new order's allocations, not written yet (see batchAllocations). */
export interface UnwrittenAllocations {
  /** As stored, as insertAllocations would answer them (without the fulfillment set meanwhile). */
  rows: AllocationRow[];
  /** The rows the insert will write, by id: a fulfillment set here is written with them. */
  byId: Map<string, { fulfillment_id?: string | null }>;
  /** Leaves their insert to the batch: after the fulfillments they point to, before any row pointing to them. */
  write(): void;
}

/**
 * Allocations for `batch` (ids made here), for an order's first write, where nothing reads them back
 * before the batch runs. They are written when the caller says, so that their fulfillment goes in the
 * insert: updating rows inserted by the same transaction makes PostgreSQL check every foreign key of
 * the row again (5 per allocation) and rewrite it with all its index entries.
 */
export function batchAllocations(rows: NewAllocation[], batch: StatementBatch): UnwrittenAllocations {
  const stored = rows.map((r) => ({ ...r, id: newRowId() }));
  return {
    rows: stored.map(answeredAllocation),
    byId: new Map(stored.map((r) => [r.id, r])),
    write: () => {
      batch.insert('order_allocation', stored);
    },
  };
}

function answeredAllocation(r: NewAllocation & { id: string }): AllocationRow {
  return {
    id: r.id,
    order_id: r.order_id,
    line_id: r.line_id,
    sku: r.sku,
    location_id: r.location_id,
    quantity: r.quantity,
    status: r.status,
    hold_id: r.hold_id ?? null,
    reservation_id: r.reservation_id ?? null,
    transfer: r.transfer ?? false,
    carrier: storedJson<Record<string, unknown>>(r.carrier),
    departure_date: r.departure_date ?? null,
    pick_day: r.pick_day ?? null,
    available_from: r.available_from ?? null,
    earliest: r.earliest ?? null,
    latest: r.latest ?? null,
    confidence: r.confidence ?? null,
    created_at: r.created_at as Date,
    ended_at: r.ended_at ?? null,
    fulfillment_id: r.fulfillment_id ?? null,
    decision_id: r.decision_id ?? null,
  };
}

export async function appendTimeline(tx: Tx, entries: NewTimelineEntry[], batch?: StatementBatch): Promise<void> {
  if (entries.length === 0) return;
  await insertNowOrLater(tx, 'order_timeline', entries.map((e) => ({ ...e, details: JSON.stringify(e.details ?? {}) })), batch);
}

const allocationColumns = [
  'id',
  'order_id',
  'line_id',
  'sku',
  'location_id',
  'quantity',
  'status',
  'hold_id',
  'reservation_id',
  'transfer',
  'carrier',
  sql<string | null>`departure_date::text`.as('departure_date'),
  sql<string | null>`pick_day::text`.as('pick_day'),
  'available_from',
  'earliest',
  'latest',
  'confidence',
  'created_at',
  'ended_at',
  'fulfillment_id',
  'decision_id',
] as const;

/** An order with its lines (by position) and allocations; `lock` takes the order row first (FOR UPDATE). */
export async function loadOrder(db: DbOrTx, id: string, lock = false): Promise<LoadedOrder | undefined> {
  let q = db.selectFrom('sales_order').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const order = await q.executeTakeFirst();
  if (!order) return undefined;
  const [lines, allocations] = await Promise.all([
    db.selectFrom('order_line').selectAll().where('order_id', '=', id).orderBy('position').execute(),
    db.selectFrom('order_allocation').select(allocationColumns).where('order_id', '=', id).orderBy('created_at').orderBy('id').execute(),
  ]);
  return { order, lines, allocations };
}

export async function setLineStatus(tx: Tx, ids: readonly string[], status: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('order_line').set({ status, updated_at: at }).where('id', 'in', [...ids]).execute();
}

export async function updateOrder(tx: Tx, id: string, changes: Partial<Omit<Insertable<SalesOrderTable>, 'id'>>): Promise<void> {
  await tx.updateTable('sales_order').set(changes).where('id', '=', id).execute();
}

export async function endAllocations(tx: Tx, ids: readonly string[], status: 'released' | 'fulfilled', at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('order_allocation').set({ status, ended_at: at }).where('id', 'in', [...ids]).execute();
}

export async function readTimeline(db: DbOrTx, orderId: string): Promise<Selectable<OrderTimelineTable>[]> {
  return db.selectFrom('order_timeline').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

export interface OrderFilter {
  customerId?: string;
  customerIds?: readonly string[];
  email?: string;
  phone?: string;
  status?: string;
  channel?: string;
  deliveryMethod?: string;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
  /** Orders taken in, collected at or served from one of these locations. */
  locationIds?: readonly string[];
  after?: { createdAt: string; id: string };
  limit: number;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listOrders(db: DbOrTx, f: OrderFilter): Promise<OrderRow[]> {
  let q = db.selectFrom('sales_order as o').selectAll('o').orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(f.limit);
  if (f.customerId) q = q.where('o.customer_id', '=', f.customerId);
  if (f.customerIds) q = f.customerIds.length > 0 ? q.where('o.customer_id', 'in', [...f.customerIds]) : q.where(sql<boolean>`false`);
  if (f.email) q = q.where('o.customer_id', 'in', (eb) => eb.selectFrom('customer').select('id').where('email_key', '=', f.email!));
  if (f.phone) q = q.where('o.customer_id', 'in', (eb) => eb.selectFrom('customer').select('id').where('phone_key', '=', f.phone!));
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.channel) q = q.where('o.channel_id', '=', f.channel);
  if (f.deliveryMethod) q = q.where('o.delivery_method', '=', f.deliveryMethod);
  if (f.q) q = q.where((eb) => eb.or([eb('o.number', '=', f.q!), eb('o.external_id', '=', f.q!)]));
  if (f.createdFrom) q = q.where('o.created_at', '>=', new Date(f.createdFrom));
  if (f.createdTo) q = q.where('o.created_at', '<', new Date(f.createdTo));
  if (f.locationIds) {
    const ids = [...f.locationIds];
    q = q.where((eb) =>
      eb.or([
        eb('o.origin_store_id', 'in', ids),
        eb('o.pickup_location_id', 'in', ids),
        eb.exists(eb.selectFrom('order_allocation as a').select('a.id').whereRef('a.order_id', '=', 'o.id').where('a.location_id', 'in', ids)),
      ]),
    );
  }
  if (f.after) {
    const at = new Date(f.after.createdAt);
    const id = f.after.id;
    q = q.where((eb) => eb.or([eb('o.created_at', '<', at), eb.and([eb('o.created_at', '=', at), eb('o.id', '<', id)])]));
  }
  return q.execute();
}

/** Whether any of the locations took, serves or hands over the order (store keys see those). */
export async function orderTouchesLocations(db: DbOrTx, order: OrderRow, locationIds: readonly string[]): Promise<boolean> {
  if (locationIds.includes(order.origin_store_id ?? '') || locationIds.includes(order.pickup_location_id ?? '')) return true;
  if (locationIds.length === 0) return false;
  const r = await db.selectFrom('order_allocation').select('id').where('order_id', '=', order.id).where('location_id', 'in', [...locationIds]).limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function countCustomerOrders(db: DbOrTx, customerId: string): Promise<number> {
  const r = await db.selectFrom('sales_order').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Lifetime value per currency: what the customer keeps, i.e. lines not cancelled plus the delivery fee
 * of orders not cancelled.
 */
export async function lifetimeValue(db: DbOrTx, customerId: string): Promise<Array<{ currency: string; orders: number; totalMinor: number }>> {
  const r = await sql<{ currency: string; orders: number; total: number }>`
    SELECT o.currency, count(*)::int AS orders,
      sum(o.shipping_minor + (SELECT coalesce(sum(l.total_minor), 0) FROM order_line l WHERE l.order_id = o.id AND l.status <> 'cancelled'))::bigint AS total
    FROM sales_order o
    WHERE o.customer_id = ${customerId} AND o.status <> 'cancelled'
    GROUP BY o.currency ORDER BY o.currency`.execute(db);
  return r.rows.map((x) => ({ currency: x.currency, orders: x.orders, totalMinor: Number(x.total) }));
}
