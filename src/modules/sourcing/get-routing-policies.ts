import type { DbOrTx } from '../../db/database.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { listAudit } from '../audit/audit.repository.js';
import { latestVersions, listAssignments, policyVersions } from './routing-policy.repository.js';
import { toAssignmentView, toVersionView } from './routing-policy-views.js';
import type { AssignmentView, PolicyDetailView, PolicyVersionView } from './sourcing.schemas.js';

/** GET /v1/routing-policies: the latest version of every policy and every assignment. */
export async function listRoutingPolicies(db: DbOrTx): Promise<{ items: PolicyVersionView[]; assignments: AssignmentView[] }> {
  const [latest, assignments] = await Promise.all([latestVersions(db), listAssignments(db)]);
  const versions = new Map(latest.map((v) => [v.policy_id, v.version]));
  return { items: latest.map(toVersionView), assignments: assignments.map((a) => toAssignmentView(a, versions)) };
}

/** GET /v1/routing-policies/{id}: every version (newest first), where it is assigned, and its audit trail. */
export async function getRoutingPolicy(db: DbOrTx, id: string): Promise<Result<PolicyDetailView>> {
  const versions = await policyVersions(db, id);
  if (versions.length === 0) return fail('routing_policy_not_found', `no routing policy ${id}`);
  const [assignments, audit] = await Promise.all([listAssignments(db, id), listAudit(db, 'routing_policy', id)]);
  const latest = versions[0]!.version;
  return ok({
    id,
    latestVersion: latest,
    versions: versions.map(toVersionView),
    assignments: assignments.map((a) => toAssignmentView(a, new Map([[id, latest]]))),
    audit: audit.map((e) => ({ occurredAt: e.occurredAt, actor: e.actor, action: e.action })),
  });
}
