import type { DbOrTx } from '../../db/database.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { findFulfillmentId, loadFulfillment } from './fulfillment.repository.js';
import { latestShippingLabel } from './shipping-label.repository.js';

export interface LabelDocument {
  fileName: string;
  trackingNumber: string;
  pdf: Uint8Array;
}

/**
 * GET /v1/fulfillments/{id}/label: the PDF label of a shipped fulfillment, to print. A store key gets
 * only its locations' labels (another store's fulfillment does not exist for it: 404).
 */
export async function getShippingLabel(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<LabelDocument>> {
  const id = await findFulfillmentId(db, idOrNumber);
  const f = id ? (await loadFulfillment(db, id))?.fulfillment : undefined;
  if (!f || !canAccessLocation(actor, f.location_id)) return fail('fulfillment_not_found', `no fulfillment ${idOrNumber}`);
  // Merged work left in its lead's parcels, under the lead's label.
  const label = await latestShippingLabel(db, f.merged_into_id ?? f.id);
  if (!label) return fail('label_not_found', `${f.number} has no label printed by Ordo`, { status: f.status });
  return ok({ fileName: `${f.number}-${label.trackingNumber}.pdf`, trackingNumber: label.trackingNumber, pdf: label.content });
}
