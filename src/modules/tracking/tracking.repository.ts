import type { DbOrTx } from '../../db/database.js';

/** The order a number names, with the e-mail addresses it may be looked up with. */
export interface OrderContactKeys {
  id: string;
  /** The e-mail given with the order (its contact), as typed. */
  contactEmail: string | null;
  /** The customer's e-mail key (lower-cased), when the order belongs to a known customer. */
  customerEmailKey: string | null;
}

export async function findOrderContact(db: DbOrTx, number: string): Promise<OrderContactKeys | undefined> {
  const r = await db
    .selectFrom('sales_order as o')
    .leftJoin('customer as c', 'c.id', 'o.customer_id')
    .select(['o.id', 'o.contact', 'c.email_key'])
    .where('o.number', '=', number)
    .executeTakeFirst();
  if (!r) return undefined;
  const email = (r.contact as { email?: unknown }).email;
  return { id: r.id, contactEmail: typeof email === 'string' ? email : null, customerEmailKey: r.email_key };
}

export type TrackedOrderRow = Awaited<ReturnType<typeof orderRow>>;
export type TrackedLineRow = Awaited<ReturnType<typeof lineRows>>[number];
export type TrackedFulfillmentRow = Awaited<ReturnType<typeof fulfillmentRows>>[number];
export type TrackedItemRow = Awaited<ReturnType<typeof itemRows>>[number];
export type TrackedSlaRow = Awaited<ReturnType<typeof slaRow>>;
export type TrackedStoreRow = Awaited<ReturnType<typeof storeRow>>;

/** Everything the tracking page is built from; only the columns it shows (no contact, no street of the customer). */
export interface TrackedOrder {
  order: NonNullable<TrackedOrderRow>;
  lines: TrackedLineRow[];
  fulfillments: TrackedFulfillmentRow[];
  items: TrackedItemRow[];
  sla: TrackedSlaRow;
  store: TrackedStoreRow;
}

const orderRow = (db: DbOrTx, id: string) =>
  db
    .selectFrom('sales_order')
    .select(['id', 'number', 'status', 'created_at', 'delivery_method', 'service', 'address', 'pickup_location_id', 'promise_earliest', 'promise_latest', 'cancelled_at'])
    .where('id', '=', id)
    .executeTakeFirst();

const lineRows = (db: DbOrTx, orderId: string) =>
  db.selectFrom('order_line').select(['id', 'name', 'quantity', 'cancelled_quantity', 'status']).where('order_id', '=', orderId).orderBy('position').execute();

const fulfillmentRows = (db: DbOrTx, orderId: string) =>
  db
    .selectFrom('fulfillment_order')
    .select(['id', 'kind', 'status', 'parcels', 'shipment', 'pickup_code', 'hold_until', 'accepted_at', 'shipped_at', 'delivered_at', 'ready_at', 'collected_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Units of each fulfillment, by product name (what is in each parcel). */
const itemRows = (db: DbOrTx, orderId: string) =>
  db
    .selectFrom('fulfillment_line as fl')
    .innerJoin('fulfillment_order as f', 'f.id', 'fl.fulfillment_id')
    .innerJoin('order_line as l', 'l.id', 'fl.order_line_id')
    .select(['fl.fulfillment_id', 'l.name', 'fl.quantity', 'fl.picked_quantity'])
    .where('f.order_id', '=', orderId)
    .orderBy('l.position')
    .execute();

const slaRow = (db: DbOrTx, orderId: string) =>
  db
    .selectFrom('order_sla')
    .select(['promise_latest', 'customer_eta_earliest', 'customer_eta_latest', 'announced_at'])
    .where('order_id', '=', orderId)
    .executeTakeFirst();

const storeRow = (db: DbOrTx, locationId: string | null) =>
  locationId === null
    ? Promise.resolve(undefined)
    : db.selectFrom('location').select(['name', 'address', 'time_zone', 'opening_hours', 'opening_exceptions']).where('id', '=', locationId).executeTakeFirst();

export async function loadTrackedOrder(db: DbOrTx, orderId: string): Promise<TrackedOrder | undefined> {
  // One after the other: PGlite is a single connection.
  const order = await orderRow(db, orderId);
  if (!order) return undefined;
  const lines = await lineRows(db, orderId);
  const fulfillments = await fulfillmentRows(db, orderId);
  const items = await itemRows(db, orderId);
  const sla = await slaRow(db, orderId);
  const store = await storeRow(db, order.pickup_location_id);
  return { order, lines, fulfillments, items, sla, store };
}
