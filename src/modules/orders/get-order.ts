import type { DbOrTx } from '../../db/database.js';
import { emailKey, phoneKey } from '../../domain/customers/contact-keys.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { paymentViews } from '../payments/payment.repository.js';
import { findOrderId, listOrders, loadOrder, orderTouchesLocations, readTimeline, type LoadedOrder } from './order.repository.js';
import { toOrderSummary, toOrderView, toTimelineEntry } from './order-view.js';
import type { OrderListQuery, OrderSummary, OrderView, TimelineEntry } from './order.schemas.js';
import { isUuid } from '../../domain/shared/ids.js';


/**
 * An order by id or by its number (ORD-2026-000123), as the caller may see it: a store key sees the
 * orders taken in, collected at or served from its stores; to anyone else another store's order does
 * not exist (404, not 403: its existence is not disclosed).
 */
export async function findVisibleOrder(db: DbOrTx, actor: Actor, idOrNumber: string, lock = false): Promise<Result<LoadedOrder>> {
  const id = await findOrderId(db, idOrNumber);
  const loaded = id ? await loadOrder(db, id, lock) : undefined;
  if (!loaded || (actor.role === 'store' && !(await orderTouchesLocations(db, loaded.order, actor.locationIds)))) {
    return fail('order_not_found', `no order ${idOrNumber}`);
  }
  return ok(loaded);
}

export async function getOrder(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<OrderView>> {
  const found = await findVisibleOrder(db, actor, idOrNumber);
  if (!found.ok) return found;
  const payments = await paymentViews(db, [found.value.order.id]);
  return ok(toOrderView(found.value, payments.get(found.value.order.id) ?? []));
}

export async function getTimeline(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<{ orderId: string; number: string; items: TimelineEntry[] }>> {
  const found = await findVisibleOrder(db, actor, idOrNumber);
  if (!found.ok) return found;
  const { order } = found.value;
  return ok({ orderId: order.id, number: order.number, items: (await readTimeline(db, order.id)).map(toTimelineEntry) });
}

/** Customer service search, newest first, keyset-paginated; a store key sees its stores' orders. */
export async function searchOrders(db: DbOrTx, actor: Actor, query: OrderListQuery & { limit?: number; cursor?: string }): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const after = decodeCursor<{ createdAt: string; id: string }>(query.cursor);
  const scope = actor.role === 'store' ? (query.locationId ? actor.locationIds.filter((l) => l === query.locationId) : actor.locationIds) : query.locationId ? [query.locationId] : undefined;
  const email = emailKey(query.customerEmail);
  const phone = phoneKey(query.phone);
  const rows = await listOrders(db, {
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.deliveryMethod ? { deliveryMethod: query.deliveryMethod } : {}),
    ...(query.q ? { q: query.q } : {}),
    ...(query.createdFrom ? { createdFrom: query.createdFrom } : {}),
    ...(query.createdTo ? { createdTo: query.createdTo } : {}),
    ...(scope ? { locationIds: scope } : {}),
    ...(isCursor(after) ? { after } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toOrderSummary),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: new Date(last.created_at).toISOString(), id: last.id }) : null,
  };
}

/** A cursor this API wrote (anything else reads as "from the start", never as a database error). */
function isCursor(c: { createdAt: string; id: string } | undefined): c is { createdAt: string; id: string } {
  return c !== undefined && typeof c.createdAt === 'string' && !Number.isNaN(Date.parse(c.createdAt)) && typeof c.id === 'string' && isUuid(c.id);
}
