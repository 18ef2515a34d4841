import type { Db } from '../../db/database.js';
import { rulesProblem, type RoutingRules } from '../../domain/sourcing/routing-policy.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { insertPolicyVersion, lockPolicy, policyVersion } from './routing-policy.repository.js';
import { canonical, toVersionView } from './routing-policy-views.js';
import type { PolicyVersionView, PutRoutingPolicyInput } from './sourcing.schemas.js';

/**
 * PUT /v1/routing-policies/{id}: a new immutable version of the policy (version 1 when it is new), audited.
 * The same name, description and rules as the latest version create nothing (a retried PUT stays one
 * version). Orders placed from now on are sourced under it where it is assigned unpinned; decisions
 * already taken keep the version they name. Contradictory rules: 422 routing_policy_invalid.
 */
export async function putRoutingPolicy(db: Db, clock: Clock, actor: Actor, id: string, input: PutRoutingPolicyInput): Promise<Result<{ created: boolean; policy: PolicyVersionView }>> {
  const rules = normalised(input.rules as RoutingRules);
  const problem = rulesProblem(rules);
  if (problem) return fail('routing_policy_invalid', problem, { rules: input.rules });
  const description = input.description ?? '';
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const latest = await lockPolicy(tx, id, now);
    const current = latest > 0 ? await policyVersion(tx, id, latest) : undefined;
    if (current && current.name === input.name && current.description === description && canonical(current.rules) === canonical(rules)) {
      return ok({ created: false, policy: toVersionView(current) });
    }
    const row = await insertPolicyVersion(tx, { id, version: latest + 1, name: input.name, description, rules, at: now, by: actor.id });
    const policy = toVersionView(row);
    await writeAudit(tx, actor, 'routing_policy.version_created', 'routing_policy', id, current ? toVersionView(current) : null, policy);
    return ok({ created: true, policy });
  });
}

/** Excluded types in a stable order, so the same policy written twice compares equal. */
function normalised(rules: RoutingRules): RoutingRules {
  return rules.excludedLocationTypes ? { ...rules, excludedLocationTypes: [...new Set(rules.excludedLocationTypes)].sort() } : rules;
}
