import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { checkScope, scopeOf } from './inventory-checks.js';
import type { SafetyRule, SafetyScopeInput } from './inventory.schemas.js';
import { deleteSafetyRuleRow } from './safety-rule.repository.js';
import { refreshSafetyStock } from './safety-stock.repository.js';

/** Removes the rule of a scope: the positions fall back to the next most specific rule. */
export async function deleteSafetyStockRule(db: Db, actor: Actor, input: SafetyScopeInput): Promise<Result<{ rule: SafetyRule; positionsChanged: number }>> {
  const bad = checkScope(input);
  if (bad) return bad;
  const scope = scopeOf(input);
  return db.transaction().execute(async (tx) => {
    const rule = await deleteSafetyRuleRow(tx, scope);
    if (!rule) return fail('safety_stock_rule_not_found', 'no safety stock rule for this scope', { scope });
    const positionsChanged = await refreshSafetyStock(tx, actor, scope);
    await writeAudit(tx, actor, 'safety_stock_rule.deleted', 'safety_stock_rule', String(rule.id), rule, null);
    return ok({ rule, positionsChanged });
  });
}
