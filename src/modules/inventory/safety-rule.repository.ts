import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { SafetyStockRuleTable } from '../../db/schema.js';
import type { SafetyRule } from './inventory.schemas.js';
import type { SafetyScope } from './safety-stock.repository.js';

const toRule = (r: Selectable<SafetyStockRuleTable>): SafetyRule => ({
  id: Number(r.id),
  sku: r.sku,
  locationId: r.location_id,
  locationType: r.location_type,
  quantity: r.quantity,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Creates or replaces the rule of one scope (the unique index is on the coalesced scope columns). */
export async function upsertSafetyRuleRow(tx: Tx, rule: SafetyScope & { quantity: number }): Promise<SafetyRule> {
  const result = await sql<Selectable<SafetyStockRuleTable>>`
    INSERT INTO safety_stock_rule (sku, location_id, location_type, quantity)
    VALUES (${rule.sku ?? null}, ${rule.locationId ?? null}, ${rule.locationType ?? null}, ${rule.quantity})
    ON CONFLICT ((coalesce(sku, '')), (coalesce(location_id, '')), (coalesce(location_type, '')))
    DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()
    RETURNING *`.execute(tx);
  return toRule(result.rows[0]!);
}

const scopeWhere = (scope: SafetyScope) =>
  sql`coalesce(sku, '') = ${scope.sku ?? ''} AND coalesce(location_id, '') = ${scope.locationId ?? ''} AND coalesce(location_type, '') = ${scope.locationType ?? ''}`;

export async function findSafetyRule(db: DbOrTx, scope: SafetyScope): Promise<SafetyRule | undefined> {
  const result = await sql<Selectable<SafetyStockRuleTable>>`SELECT * FROM safety_stock_rule WHERE ${scopeWhere(scope)}`.execute(db);
  return result.rows[0] ? toRule(result.rows[0]) : undefined;
}

export async function deleteSafetyRuleRow(tx: Tx, scope: SafetyScope): Promise<SafetyRule | undefined> {
  const result = await sql<Selectable<SafetyStockRuleTable>>`DELETE FROM safety_stock_rule WHERE ${scopeWhere(scope)} RETURNING *`.execute(tx);
  return result.rows[0] ? toRule(result.rows[0]) : undefined;
}

export async function listSafetyRules(db: DbOrTx, f: SafetyScope & { afterId?: number; limit: number }): Promise<SafetyRule[]> {
  let q = db.selectFrom('safety_stock_rule').selectAll().orderBy('id').limit(f.limit);
  if (f.sku) q = q.where('sku', '=', f.sku);
  if (f.locationId) q = q.where('location_id', '=', f.locationId);
  if (f.locationType) q = q.where('location_type', '=', f.locationType);
  if (f.afterId !== undefined) q = q.where('id', '>', String(f.afterId));
  return (await q.execute()).map(toRule);
}
