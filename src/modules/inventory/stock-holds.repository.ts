import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { StockHold } from './inventory.schemas.js';

export const MAX_HOLDS = 500;

interface HoldRow {
  kind: StockHold['kind'];
  id: string;
  hold_id: string | null;
  location_id: string;
  quantity: number;
  channel_id: string | null;
  reference: string | null;
  order_id: string | null;
  order_number: string | null;
  created_at: Date | string;
  expires_at: Date | string | null;
}

/**
 * What `reserved` of a SKU's positions is made of, newest first (the first MAX_HOLDS): active cart and
 * promise holds (`reservation`, a promise hold's reference is `promise:<token>`) and units orders hold
 * until they ship (`order_allocation` reserved) — the same two sources the invariant check sums.
 * `locationIds` restricts them (a store key's scope).
 */
export async function listHoldsOfSku(db: DbOrTx, sku: string, filter: { locationId?: string; locationIds?: readonly string[] }): Promise<StockHold[]> {
  const scope = (column: string) => {
    const ids = filter.locationIds ? [...filter.locationIds] : undefined;
    return sql`${filter.locationId ? sql`AND ${sql.ref(column)} = ${filter.locationId}` : sql``} ${ids ? sql`AND ${sql.ref(column)} = ANY(${ids}::text[])` : sql``}`;
  };
  const rows = await sql<HoldRow>`
    SELECT * FROM (
      SELECT CASE WHEN r.reference LIKE 'promise:%' THEN 'promise' ELSE 'cart' END AS kind, r.id::text AS id, r.hold_id::text AS hold_id,
        r.location_id, r.quantity, r.channel_id, r.reference, NULL::text AS order_id, NULL::text AS order_number, r.created_at, r.expires_at
      FROM reservation r
      WHERE r.sku = ${sku} AND r.status = 'active' ${scope('r.location_id')}
      UNION ALL
      SELECT 'order', a.id::text, a.hold_id::text, a.location_id, a.quantity, o.channel_id, NULL, o.id::text, o.number, a.created_at, NULL
      FROM order_allocation a JOIN sales_order o ON o.id = a.order_id
      WHERE a.sku = ${sku} AND a.status = 'reserved' ${scope('a.location_id')}
    ) h
    ORDER BY h.created_at DESC, h.id DESC
    LIMIT ${MAX_HOLDS}`.execute(db);
  return rows.rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    holdId: r.hold_id,
    locationId: r.location_id,
    quantity: r.quantity,
    channelId: r.channel_id,
    reference: r.reference,
    order: r.order_id && r.order_number ? { id: r.order_id, number: r.order_number } : null,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
  }));
}
