import type { DbOrTx } from '../../db/database.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { findOrderId } from '../orders/order.repository.js';
import { FULFILLMENT_STATUSES, OPEN_STATUSES } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { findFulfillmentId, linesOf, listFulfillments, loadFulfillment, type FulfillmentRow } from './fulfillment.repository.js';
import { getFulfillmentSettings } from './fulfillment-settings.js';
import type { FulfillmentListQuery, FulfillmentView } from './fulfillment.schemas.js';
import { toFulfillmentView } from './fulfillment-view.js';
import { openMembersOf, parcelCarriers, parcelShares } from './release.repository.js';

/** A fulfillment as the API shows it (inside a step's transaction, or for GET). */
export async function fulfillmentView(db: DbOrTx, id: string, now: number): Promise<FulfillmentView> {
  const loaded = await loadFulfillment(db, id);
  if (!loaded) throw new Error(`fulfillment ${id} vanished`);
  return (await views(db, [loaded.fulfillment], now))[0]!;
}

async function views(db: DbOrTx, rows: readonly FulfillmentRow[], now: number): Promise<FulfillmentView[]> {
  if (rows.length === 0) return [];
  const members = await openMembersOf(db, rows.map((r) => r.id));
  const [lines, settings, orders, zones] = await Promise.all([
    linesOf(db, [...rows.map((r) => r.id), ...members.map((m) => m.id)]),
    getFulfillmentSettings(db),
    db.selectFrom('sales_order').select(['id', 'number', 'address', 'contact', 'delivery_method']).where('id', 'in', [...new Set(rows.map((r) => r.order_id))]).execute(),
    db.selectFrom('location').select(['id', 'time_zone']).where('id', 'in', [...new Set(rows.map((r) => r.location_id))]).execute(),
  ]);
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const zoneById = new Map(zones.map((z) => [z.id, z.time_zone]));
  // Which shipment each row shares (a lead with open merged work, or merged work not ended): who else is in it.
  const leadOf = new Map<string, string>();
  for (const f of rows) {
    const lead = f.merged_into_id ?? (members.some((m) => m.leadId === f.id) ? f.id : undefined);
    if (lead && f.status !== 'cancelled' && f.status !== 'rejected') leadOf.set(f.id, lead);
  }
  const [shares, carriers] = await Promise.all([
    parcelShares(db, [...new Set(leadOf.values())]),
    parcelCarriers(db, rows.filter((f) => f.status === 'cancelled')),
  ]);
  return rows.map((f) => {
    // A merged shipment's lead lists every unit its parcels carry: its own, then its merged work's.
    const merged = members.filter((m) => m.leadId === f.id).map((m) => m.id);
    const all = [...(lines.get(f.id) ?? []), ...merged.flatMap((id) => lines.get(id) ?? [])];
    const lead = leadOf.get(f.id);
    const mergedWith = shares.filter((p) => lead !== undefined && p.leadId === lead && p.id !== f.id).map((p) => ({ fulfillmentId: p.id, number: p.number, orderId: p.orderId, orderNumber: p.orderNumber, lead: p.id === lead }));
    return toFulfillmentView(f, all, { now, timeZone: zoneById.get(f.location_id) ?? 'UTC', urgentMinutes: settings.urgentMinutes, order: orderById.get(f.order_id)!, mergedFulfillmentIds: merged, mergedWith, parcelCarriedBy: carriers.get(f.id) });
  });
}

/** GET /v1/fulfillments/{id}: a store key sees only its locations' fulfillments (and transfers coming to them). */
export async function getFulfillment(db: DbOrTx, actor: Actor, idOrNumber: string, now: number): Promise<Result<FulfillmentView>> {
  const id = await findFulfillmentId(db, idOrNumber);
  const loaded = id ? await loadFulfillment(db, id) : undefined;
  const f = loaded?.fulfillment;
  const visible = f && (actor.role !== 'store' || f.status !== 'held');
  if (!f || !visible || !(canAccessLocation(actor, f.location_id) || (f.destination_location_id !== null && canAccessLocation(actor, f.destination_location_id)))) {
    return fail('fulfillment_not_found', `no fulfillment ${idOrNumber}`);
  }
  return ok((await views(db, [f], now))[0]!);
}

/**
 * GET /v1/fulfillments: a location's queue, most urgent first (deadline, then id), keyset-paginated.
 * `status=open` is everything still to do. A store key sees only its locations; asking for another
 * location gives an empty page.
 */
export async function searchFulfillments(
  db: DbOrTx,
  actor: Actor,
  q: FulfillmentListQuery & { limit?: number; cursor?: string },
  now: number,
): Promise<Result<{ items: FulfillmentView[]; nextCursor: string | null }>> {
  const limit = q.limit ?? 50;
  const incoming = q.destinationLocationId;
  // Transfers coming to a store are its business wherever they leave from; another store's are not.
  if (incoming !== undefined && actor.role === 'store' && !actor.locationIds.includes(incoming)) return ok({ items: [], nextCursor: null });
  const scope =
    actor.role === 'store' && incoming === undefined
      ? actor.locationIds.filter((l) => q.locationId === undefined || l === q.locationId)
      : q.locationId !== undefined
        ? [q.locationId]
        : undefined;
  const statuses = q.status === undefined ? undefined : q.status === 'open' ? [...OPEN_STATUSES] : q.status.split(',').map((s) => s.trim());
  const unknown = (statuses ?? []).filter((s) => !(FULFILLMENT_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) return fail('validation_failed', `unknown fulfillment status ${unknown.join(', ')}`, { unknown, allowed: ['open', ...FULFILLMENT_STATUSES] });
  const after = q.cursor ? decodeCursor<{ due: string; id: string }>(q.cursor) : undefined;
  if (q.cursor && (!after || typeof after.due !== 'string' || typeof after.id !== 'string')) return fail('validation_failed', 'cursor is not a nextCursor of this list');
  let orderId: string | undefined;
  if (q.orderId !== undefined) {
    orderId = await findOrderId(db, q.orderId);
    if (!orderId) return ok({ items: [], nextCursor: null });
  }
  const rows = await listFulfillments(db, {
    ...(scope ? { locationIds: scope } : {}),
    ...(statuses ? { statuses } : {}),
    // Held work is not the store's yet (release-held.ts): it appears in its queue when released.
    ...(actor.role === 'store' ? { hiddenStatuses: ['held'], excludeMerged: true } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(orderId ? { orderId } : {}),
    ...(incoming !== undefined ? { destinationLocationId: incoming } : {}),
    ...(after ? { after } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return ok({
    items: await views(db, page, now),
    nextCursor: rows.length > limit && last ? encodeCursor({ due: last.due_at?.toISOString() ?? 'infinity', id: last.id }) : null,
  });
}
