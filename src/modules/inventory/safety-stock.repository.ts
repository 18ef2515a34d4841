import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { RELIABILITY_BUFFER_UNITS } from '../../domain/inventory/safety-stock.js';

/**
 * SQL form of `resolveSafetyStock` (domain/inventory/safety-stock.ts) for one position, usable in
 * INSERT/UPDATE statements: `sp` must be the alias of the position's (sku, location_id).
 */
export const resolvedSafetyStockSql = (skuRef: string, locationRef: string) =>
  sql<number>`(SELECT coalesce(
      (SELECT quantity FROM safety_stock_rule WHERE sku = ${sql.ref(skuRef)} AND location_id = ${sql.ref(locationRef)}),
      (SELECT quantity FROM safety_stock_rule WHERE sku IS NULL AND location_id = ${sql.ref(locationRef)}),
      (SELECT r.quantity FROM safety_stock_rule r JOIN location l ON l.type = r.location_type
        WHERE l.id = ${sql.ref(locationRef)} AND r.sku IS NULL AND r.location_id IS NULL),
      (SELECT ceil((1 - l.data_reliability) * ${RELIABILITY_BUFFER_UNITS} - 1e-9)::int FROM location l WHERE l.id = ${sql.ref(locationRef)}),
      0))`;

export interface SafetyScope {
  sku?: string;
  locationId?: string;
  locationType?: string;
}

/** Re-resolves the safety stock of every position in scope after a rule or a location changed. */
export async function refreshSafetyStock(tx: Tx, actor: Actor, scope: SafetyScope): Promise<number> {
  let q = tx
    .updateTable('stock_position as sp')
    .set({ safety_stock: resolvedSafetyStockSql('sp.sku', 'sp.location_id') })
    .where(sql<boolean>`${resolvedSafetyStockSql('sp.sku', 'sp.location_id')} <> sp.safety_stock`);
  if (scope.sku) q = q.where('sp.sku', '=', scope.sku);
  if (scope.locationId) q = q.where('sp.location_id', '=', scope.locationId);
  if (scope.locationType) {
    q = q.where('sp.location_id', 'in', tx.selectFrom('location').select('id').where('type', '=', scope.locationType));
  }
  const result = await q.executeTakeFirst();
  const changed = Number(result.numUpdatedRows);
  if (changed > 0) {
    await appendEvents(tx, [
      { type: 'inventory.safety_stock_changed', aggregateType: 'inventory', aggregateId: scope.sku ?? scope.locationId ?? scope.locationType ?? '*', payload: { scope, positions: changed, actor: actor.id } },
    ]);
  }
  return changed;
}
