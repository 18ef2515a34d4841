import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { checkScope, scopeOf, unknownMasterData } from './inventory-checks.js';
import type { SafetyRule, SafetyRuleInput } from './inventory.schemas.js';
import { findSafetyRule, upsertSafetyRuleRow } from './safety-rule.repository.js';
import { refreshSafetyStock } from './safety-stock.repository.js';

/** Sets the safety stock of a scope; every position it covers is re-resolved in the same transaction. */
export async function putSafetyStockRule(db: Db, actor: Actor, input: SafetyRuleInput): Promise<Result<{ rule: SafetyRule; positionsChanged: number }>> {
  const bad = checkScope(input) ?? (await unknownMasterData(db, input.sku ? [input.sku] : [], input.locationId ? [input.locationId] : []));
  if (bad) return bad;
  const scope = scopeOf(input);
  return db.transaction().execute(async (tx) => {
    const before = await findSafetyRule(tx, scope);
    const rule = await upsertSafetyRuleRow(tx, { ...scope, quantity: input.quantity });
    const positionsChanged = await refreshSafetyStock(tx, actor, scope);
    await writeAudit(tx, actor, before ? 'safety_stock_rule.updated' : 'safety_stock_rule.created', 'safety_stock_rule', String(rule.id), before ?? null, rule);
    return ok({ rule, positionsChanged });
  });
}
