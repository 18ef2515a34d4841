import type { DbOrTx } from '../../db/database.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { findOrderId } from '../orders/order.repository.js';
import { findReturnId, latestReturnLabel, listReturns, loadReturn, type LoadedReturn } from './return.repository.js';
import { returnView, returnViews } from './return-view.js';
import type { ReturnListQuery, ReturnView } from './returns.schemas.js';
import { isUuid } from '../../domain/shared/ids.js';


/** A return by id or number as the caller may see it: a store key sees returns coming back to its locations only (404 otherwise). */
async function findVisibleReturn(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<LoadedReturn>> {
  const id = await findReturnId(db, idOrNumber);
  const loaded = id ? await loadReturn(db, id) : undefined;
  if (!loaded || !canAccessLocation(actor, loaded.ret.location_id)) return fail('return_not_found', `no return ${idOrNumber}`);
  return ok(loaded);
}

export async function getReturn(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<ReturnView>> {
  const found = await findVisibleReturn(db, actor, idOrNumber);
  return found.ok ? ok(await returnView(db, found.value)) : found;
}

/** GET /v1/returns: newest first, keyset-paginated; a store key sees its locations' returns. */
export async function searchReturns(db: DbOrTx, actor: Actor, query: ReturnListQuery & { limit?: number; cursor?: string }): Promise<{ items: ReturnView[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const after = decodeCursor<{ createdAt: string; id: string }>(query.cursor);
  const scope = actor.role === 'store' ? actor.locationIds.filter((l) => !query.locationId || l === query.locationId) : query.locationId ? [query.locationId] : undefined;
  const orderId = query.orderId ? await findOrderId(db, query.orderId) : undefined;
  if (query.orderId && !orderId) return { items: [], nextCursor: null };
  const rows = await listReturns(db, {
    ...(orderId ? { orderId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(scope ? { locationIds: scope } : {}),
    ...(isCursor(after) ? { after } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await returnViews(db, page),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: new Date(last.created_at).toISOString(), id: last.id }) : null,
  };
}

function isCursor(c: { createdAt: string; id: string } | undefined): c is { createdAt: string; id: string } {
  return c !== undefined && typeof c.createdAt === 'string' && !Number.isNaN(Date.parse(c.createdAt)) && typeof c.id === 'string' && isUuid(c.id);
}

/** GET /v1/returns/{id}/label: the return label PDF of a return by mail. */
export async function getReturnLabel(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<{ fileName: string; pdf: Uint8Array }>> {
  const found = await findVisibleReturn(db, actor, idOrNumber);
  if (!found.ok) return found;
  const label = await latestReturnLabel(db, found.value.ret.id);
  if (!label) return fail('return_label_not_found', `return ${found.value.ret.number} has no label (it is not a return by mail)`, { destinationKind: found.value.ret.destination_kind });
  return ok({ fileName: `${found.value.ret.number}-${label.trackingNumber}.pdf`, pdf: label.content });
}
