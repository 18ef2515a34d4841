import type { RoutingRules } from '../../domain/sourcing/routing-policy.js';
import type { AssignmentRow, PolicyVersionRow } from './routing-policy.repository.js';
import type { AssignmentView, PolicyVersionView } from './sourcing.schemas.js';

export function toVersionView(r: PolicyVersionRow): PolicyVersionView {
  return {
    id: r.policy_id,
    version: r.version,
    name: r.name,
    description: r.description,
    rules: r.rules as RoutingRules,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  };
}

/** `latest`: the latest version of each policy, for what an unpinned assignment applies now. */
export function toAssignmentView(a: AssignmentRow, latest: ReadonlyMap<string, number>): AssignmentView {
  return {
    channelId: a.channel_id,
    deliveryMethod: a.delivery_method,
    policyId: a.policy_id,
    pinnedVersion: a.pinned_version,
    effectiveVersion: a.pinned_version ?? latest.get(a.policy_id) ?? 0,
    updatedAt: new Date(a.updated_at).toISOString(),
    updatedBy: a.updated_by,
  };
}

/** JSON with keys sorted at every level: two rule sets are the same policy when these are equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
