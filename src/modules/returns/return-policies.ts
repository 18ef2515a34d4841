import type { Db, DbOrTx } from '../../db/database.js';
import { DEFAULT_RETURN_POLICY, resolvePolicy, type ReturnPolicyRules, type ScopedPolicy } from '../../domain/returns/return-policy.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { findChannelFacts } from '../orders/order.repository.js';
import { listReturnPolicies, lockReturnPolicy, toScopedPolicy, upsertReturnPolicy, type ReturnPolicyRow } from './return-policy.repository.js';
import type { PutReturnPolicyInput, ReturnPoliciesView, ReturnPolicyView } from './returns.schemas.js';

const toView = (r: ReturnPolicyRow): ReturnPolicyView => {
  const { channel, country, ...rules } = toScopedPolicy(r);
  return { channel, country, ...rules, updatedAt: new Date(r.updated_at).toISOString(), updatedBy: r.updated_by };
};

/** GET /v1/return-policies: the built-in defaults and every policy set, least specific first. */
export async function getReturnPolicies(db: DbOrTx): Promise<ReturnPoliciesView> {
  return { defaults: { ...DEFAULT_RETURN_POLICY }, policies: (await listReturnPolicies(db)).map(toView) };
}

/** The policy a return of an order sold on `channel` to `country` follows, with the scope it came from. */
export async function policyFor(db: DbOrTx, channel: string, country: string | null): Promise<{ rules: ReturnPolicyRules; scope: { channel: string | null; country: string | null } }> {
  return resolvePolicy((await listReturnPolicies(db)).map(toScopedPolicy), channel, country);
}

/**
 * PUT /v1/return-policies: sets the policy of one scope (a channel, a country, both, or neither: the
 * retailer's default), replacing what that scope had; audited with the state before and after.
 */
export async function putReturnPolicy(db: Db, actor: Actor, input: PutReturnPolicyInput, now: Date): Promise<Result<ReturnPolicyView>> {
  const channel = input.channel ?? null;
  const country = input.country ?? null;
  if (channel !== null && !(await findChannelFacts(db, channel))) return fail('unknown_channel', `no channel ${channel}`, { channel });
  const policy: ScopedPolicy = {
    channel,
    country,
    windowDays: input.windowDays,
    arrivalDays: input.arrivalDays,
    refundShipping: input.refundShipping,
    autoRefund: input.autoRefund,
    unreturnedExchange: input.unreturnedExchange,
  };
  return db.transaction().execute(async (tx) => {
    const before = await lockReturnPolicy(tx, channel, country);
    const row = await upsertReturnPolicy(tx, policy, actor.id, now);
    const view = toView(row);
    await writeAudit(tx, actor, 'return_policy.updated', 'return_policy', `${channel ?? '*'}/${country ?? '*'}`, before ? toView(before) : null, view);
    return ok(view);
  });
}
