import type { Tx } from '../../db/database.js';
import { ENDED_STATUSES, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { byOrderAge } from '../../domain/fulfillment/merged-pick.js';
import { lighterParcels } from '../../domain/fulfillment/parcel-weight.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import { appendTimeline, loadOrder, type LoadedOrder, type NewTimelineEntry } from '../orders/order.repository.js';
import { linesOf, loadFulfillment, updateFulfillment, type FulfillmentLineState, type FulfillmentRow, type LoadedFulfillment } from './fulfillment.repository.js';
import type { StepContext } from './fulfillment-step.js';
import type { Parcel } from './fulfillment.schemas.js';
import { catalogueWeightGrams, mergedInto, PARCEL_HANDED_OVER } from './release.repository.js';

/**
 * Work merged into one shipment (merge-shipments.ts): the store works on the lead only; every step on it
 * is applied to the fulfillments merged into it in the same transaction, each with its own order (locked
 * after the lead's), events, timeline and order progress. A merged fulfillment refuses steps of its own.
 */

/** Not ended and not gone yet: still part of its parcel. */
export const isOpen = (f: FulfillmentRow): boolean => !ENDED_STATUSES.has(f.status as FulfillmentStatus) && f.status !== 'shipped';

/** Steps on a merged fulfillment are its lead's (409 fulfillment_merged names it). */
export function refuseMerged(f: FulfillmentRow): void {
  if (f.merged_into_id === null) return;
  throw new BusinessError('fulfillment_merged', `fulfillment ${f.number} ships merged with fulfillment ${f.merged_into_id}: work on that one, its steps apply to both`, { mergedIntoId: f.merged_into_id });
}

/** A fulfillment of a parcel with its order, both locked. */
export interface ParcelWork {
  order: LoadedOrder;
  current: LoadedFulfillment;
}

/** The open fulfillments merged into `leadId`, each with its order (order, then fulfillment locked; the lead's order first, by the caller). */
export async function lockOpenMembers(tx: Tx, leadId: string): Promise<ParcelWork[]> {
  const out: ParcelWork[] = [];
  for (const m of (await mergedInto(tx, leadId)).filter(isOpen)) {
    const order = await loadOrder(tx, m.order_id, true);
    const current = await loadFulfillment(tx, m.id, true);
    if (!order || !current || !isOpen(current.fulfillment) || current.fulfillment.merged_into_id !== leadId) continue;
    out.push({ order, current });
  }
  return out;
}

/** The open fulfillments merged into the step's lead, each as a step context of its own (order, then fulfillment locked). */
export async function memberSteps(c: StepContext): Promise<StepContext[]> {
  return (await lockOpenMembers(c.tx, c.current.fulfillment.id)).map((m) => ({ ...c, ...m }));
}

/** Where a regroup happens: the transaction, who acts and when, and the lead that ended (its row as it is now). */
export interface EndedLead {
  tx: Tx;
  actor: Actor;
  now: Date;
  current: { fulfillment: FulfillmentRow };
}

/**
 * After a step that ended the lead before its parcel left (a pick that found none of its units, an ops
 * re-route of its order's units, its order cancelled or its delivery changed: cancel-fulfillments.ts)
 * while work merged into it goes on: the lead's end detached that work
 * (detachMerged); two or more fulfillments still open share one parcel again, led by the oldest order's,
 * with a `fulfillment.merged` timeline entry (reason lead_ended) on each of their orders; one left alone
 * ships on its own. A packed parcel stays packed: the fulfillment carrying it takes the parcels the
 * store made (the ended lead's units come out of them, their catalogue weight too: lighterParcels), so
 * it ships without packing again; the ended lead's order records where its parcel went. Returns the id
 * of the fulfillment that carries the parcel now (the store goes on with it), if the lead ended and some
 * work is left.
 */
export async function regroupMerged(c: EndedLead, members: readonly ParcelWork[]): Promise<string | undefined> {
  const ended = c.current.fulfillment;
  if (!ENDED_STATUSES.has(ended.status as FulfillmentStatus)) return undefined;
  const left = members.filter((m) => isOpen(m.current.fulfillment)).sort((a, b) => byOrderAge(ageOf(a), ageOf(b)));
  const [lead, ...rest] = left;
  if (!lead) return undefined;
  const parcels = ended.parcels as Parcel[];
  if (lead.current.fulfillment.status === 'packed' && parcels.length > 0 && (lead.current.fulfillment.parcels as unknown[]).length === 0) {
    // The ended lead's units come out of the parcels, and so does their weight (the label declares it).
    const carried = await parcelsWithout(c.tx, parcels, (await linesOf(c.tx, [ended.id])).get(ended.id) ?? []);
    lead.current = { ...lead.current, fulfillment: await updateFulfillment(c.tx, lead.current.fulfillment.id, { parcels: JSON.stringify(carried), updated_at: c.now }) };
  }
  for (const m of rest) m.current = { ...m.current, fulfillment: await updateFulfillment(c.tx, m.current.fulfillment.id, { merged_into_id: lead.current.fulfillment.id, updated_at: c.now }) };
  const to = lead.current.fulfillment;
  // The ended lead's page names the fulfillment its parcel went on with (parcelCarriedBy in its view).
  const handedOver: NewTimelineEntry = {
    order_id: ended.order_id,
    occurred_at: c.now,
    actor: c.actor.id,
    event: PARCEL_HANDED_OVER,
    status_from: null,
    status_to: null,
    details: { fulfillmentId: ended.id, number: ended.number, carriedBy: { fulfillmentId: to.id, number: to.number, orderId: to.order_id, orderNumber: lead.order.order.number } },
  };
  if (rest.length === 0) {
    await appendTimeline(c.tx, [handedOver]);
    return to.id;
  }
  const details = {
    leadFulfillmentId: to.id,
    leadNumber: to.number,
    locationId: to.location_id,
    fulfillments: left.map((m) => ({ fulfillmentId: m.current.fulfillment.id, number: m.current.fulfillment.number, orderNumber: m.order.order.number })),
    reason: 'lead_ended',
    previousLeadNumber: ended.number,
  };
  await appendTimeline(c.tx, [handedOver, ...left.map((m) => ({ order_id: m.order.order.id, occurred_at: c.now, actor: c.actor.id, event: 'fulfillment.merged', status_from: null, status_to: null, details }))]);
  return to.id;
}

/** A fulfillment of a parcel with its order's age, as the merged-pick rule orders them (oldest order first). */
export const ageOf = (w: { order: LoadedOrder; current: LoadedFulfillment }) => ({ fulfillmentId: w.current.fulfillment.id, placedAt: w.order.order.created_at.getTime(), orderNumber: w.order.order.number });

/**
 * Merged work leaving its lead's packed parcel (its order cancelled): its units come out of the parcels,
 * and so does their catalogue weight. The lead's order is the caller's to have locked before the
 * member's (lockParcelLeadOrders), as a step on the lead does.
 */
export async function leaveParcel(tx: Tx, member: FulfillmentRow, lines: readonly FulfillmentLineState[], now: Date): Promise<void> {
  if (member.merged_into_id === null) return;
  const lead = await tx.selectFrom('fulfillment_order').selectAll().where('id', '=', member.merged_into_id).forUpdate().executeTakeFirst();
  const parcels = (lead?.parcels ?? []) as Parcel[];
  if (!lead || lead.status !== 'packed' || parcels.length === 0) return;
  await updateFulfillment(tx, lead.id, { parcels: JSON.stringify(await parcelsWithout(tx, parcels, lines)), updated_at: now });
}

/** The parcels less the catalogue weight of these lines' picked units (as weighed when a SKU has none). */
async function parcelsWithout(tx: Tx, parcels: readonly Parcel[], lines: readonly FulfillmentLineState[]): Promise<Parcel[]> {
  const gone = await catalogueWeightGrams(tx, lines.map((l) => ({ sku: l.sku, quantity: l.picked_quantity ?? 0 })));
  return gone === undefined ? [...parcels] : lighterParcels(parcels, gone);
}
