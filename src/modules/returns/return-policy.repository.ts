import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { ReturnPolicyTable } from '../../db/schema.js';
import type { ScopedPolicy } from '../../domain/returns/return-policy.js';

export type ReturnPolicyRow = Selectable<ReturnPolicyTable>;

export const toScopedPolicy = (r: ReturnPolicyRow): ScopedPolicy => ({
  channel: r.channel_id,
  country: r.country,
  windowDays: r.window_days,
  arrivalDays: r.arrival_days,
  refundShipping: r.refund_shipping,
  autoRefund: r.auto_refund,
  unreturnedExchange: r.unreturned_exchange as ScopedPolicy['unreturnedExchange'],
});

export async function listReturnPolicies(db: DbOrTx): Promise<ReturnPolicyRow[]> {
  return db
    .selectFrom('return_policy')
    .selectAll()
    .orderBy(sql`channel_id NULLS FIRST`)
    .orderBy(sql`country NULLS FIRST`)
    .execute();
}

/** The policy of one scope, locked (its PUT reads the before state for the audit). */
export async function lockReturnPolicy(tx: Tx, channel: string | null, country: string | null): Promise<ReturnPolicyRow | undefined> {
  return tx
    .selectFrom('return_policy')
    .selectAll()
    .where(sql<boolean>`coalesce(channel_id, '') = ${channel ?? ''} AND coalesce(country, '') = ${country ?? ''}`)
    .forUpdate()
    .executeTakeFirst();
}

export async function upsertReturnPolicy(tx: Tx, p: ScopedPolicy, actor: string, at: Date): Promise<ReturnPolicyRow> {
  const values = {
    channel_id: p.channel,
    country: p.country,
    window_days: p.windowDays,
    arrival_days: p.arrivalDays,
    refund_shipping: p.refundShipping,
    auto_refund: p.autoRefund,
    unreturned_exchange: p.unreturnedExchange,
    updated_at: at,
    updated_by: actor,
  };
  const existing = await lockReturnPolicy(tx, p.channel, p.country);
  if (existing) return tx.updateTable('return_policy').set(values).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  return tx.insertInto('return_policy').values(values).returningAll().executeTakeFirstOrThrow();
}
