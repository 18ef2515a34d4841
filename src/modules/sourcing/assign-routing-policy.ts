import type { Db } from '../../db/database.js';
import type { PolicyMethod } from '../../domain/sourcing/routing-policy.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { findChannelFacts } from '../orders/order.repository.js';
import { deleteAssignment, findAssignment, lockPolicy, policyVersion, saveAssignment } from './routing-policy.repository.js';
import { toAssignmentView } from './routing-policy-views.js';
import type { AssignmentInput, AssignmentView } from './sourcing.schemas.js';

/**
 * PUT /v1/routing-policy-assignments/{channelId}/{method}: the channel's orders of that delivery method
 * are sourced under this policy from now on, its latest version or the pinned one; audited on the policy.
 * Unknown channel, policy or version: 422, nothing written.
 */
export async function assignRoutingPolicy(db: Db, clock: Clock, actor: Actor, channelId: string, method: PolicyMethod, input: AssignmentInput): Promise<Result<AssignmentView>> {
  if (!(await findChannelFacts(db, channelId))) return fail('unknown_channel', `no channel ${channelId}`, { channelId });
  return db.transaction().execute(async (tx) => {
    const exists = await tx.selectFrom('routing_policy').select('id').where('id', '=', input.policyId).executeTakeFirst();
    if (!exists) return fail('unknown_routing_policy', `no routing policy ${input.policyId}`, { policyId: input.policyId });
    const now = clock.now();
    // Locked like a PUT of the policy: the version read here is the latest until this commits.
    const latest = await lockPolicy(tx, input.policyId, now);
    if (input.version !== undefined && !(await policyVersion(tx, input.policyId, input.version))) {
      return fail('routing_policy_version_not_found', `routing policy ${input.policyId} has no version ${input.version}`, { policyId: input.policyId, version: input.version, latestVersion: latest });
    }
    const before = await findAssignment(tx, channelId, method, true);
    const row = await saveAssignment(tx, { channel_id: channelId, delivery_method: method, policy_id: input.policyId, pinned_version: input.version ?? null, updated_at: now, updated_by: actor.id });
    const view = toAssignmentView(row, new Map([[input.policyId, latest]]));
    await writeAudit(tx, actor, 'routing_policy.assigned', 'routing_policy', input.policyId, before ?? null, view);
    return ok(view);
  });
}

/** DELETE /v1/routing-policy-assignments/{channelId}/{method}: back to the default policy; audited. */
export async function unassignRoutingPolicy(db: Db, actor: Actor, channelId: string, method: PolicyMethod): Promise<Result<{ channelId: string; deliveryMethod: string; removed: true }>> {
  return db.transaction().execute(async (tx) => {
    const before = await findAssignment(tx, channelId, method, true);
    if (!before) return fail('routing_assignment_not_found', `no routing policy is assigned to ${channelId} / ${method}`);
    await deleteAssignment(tx, channelId, method);
    await writeAudit(tx, actor, 'routing_policy.unassigned', 'routing_policy', before.policy_id, before, null);
    return ok({ channelId, deliveryMethod: method, removed: true as const });
  });
}
