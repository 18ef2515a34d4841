import type { DbOrTx, Tx } from '../../db/database.js';

export interface NewShippingLabel {
  fulfillmentId: string;
  carrierId: string;
  trackingNumber: string;
  pdf: Uint8Array;
  createdAt: Date;
}

export interface StoredLabel {
  id: string;
  fulfillmentId: string;
  carrierId: string;
  trackingNumber: string;
  content: Uint8Array;
  createdAt: Date;
}

export async function insertShippingLabel(tx: Tx, l: NewShippingLabel): Promise<string> {
  const r = await tx
    .insertInto('shipping_label')
    .values({ fulfillment_id: l.fulfillmentId, carrier_id: l.carrierId, tracking_number: l.trackingNumber, format: 'pdf', content: Buffer.from(l.pdf), created_at: l.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Whether a label already carries this tracking number (tracking numbers must identify one shipment). */
export async function trackingNumberTaken(db: DbOrTx, trackingNumber: string): Promise<boolean> {
  const r = await db.selectFrom('shipping_label').select('id').where('tracking_number', '=', trackingNumber).executeTakeFirst();
  return r !== undefined;
}

/** The fulfillment's label as last printed. */
export async function latestShippingLabel(db: DbOrTx, fulfillmentId: string): Promise<StoredLabel | undefined> {
  const r = await db
    .selectFrom('shipping_label')
    .select(['id', 'fulfillment_id', 'carrier_id', 'tracking_number', 'content', 'created_at'])
    .where('fulfillment_id', '=', fulfillmentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r && { id: r.id, fulfillmentId: r.fulfillment_id, carrierId: r.carrier_id, trackingNumber: r.tracking_number, content: r.content, createdAt: new Date(r.created_at) };
}
