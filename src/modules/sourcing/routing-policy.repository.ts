import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { RoutingPolicyAssignmentTable, RoutingPolicyVersionTable } from '../../db/schema.js';
import type { RoutingRules, RoutingTable, StoredPolicyVersion } from '../../domain/sourcing/routing-policy.js';

export type PolicyVersionRow = Selectable<RoutingPolicyVersionTable>;
export type AssignmentRow = Selectable<RoutingPolicyAssignmentTable>;

/** Every policy version and assignment, for the promise's cached master data (policies are few). */
export async function loadRoutingTable(db: DbOrTx): Promise<RoutingTable> {
  const [versions, assignments] = await Promise.all([
    db.selectFrom('routing_policy_version').select(['policy_id', 'version', 'name', 'rules']).execute(),
    db.selectFrom('routing_policy_assignment').select(['channel_id', 'delivery_method', 'policy_id', 'pinned_version']).execute(),
  ]);
  const byKey = new Map<string, StoredPolicyVersion>();
  const latest = new Map<string, number>();
  for (const v of versions) {
    byKey.set(`${v.policy_id}@${v.version}`, { id: v.policy_id, version: v.version, name: v.name, rules: v.rules as RoutingRules });
    latest.set(v.policy_id, Math.max(latest.get(v.policy_id) ?? 0, v.version));
  }
  return {
    versions: byKey,
    latest,
    assignments: new Map(assignments.map((a) => [`${a.channel_id}/${a.delivery_method}`, { policyId: a.policy_id, version: a.pinned_version }])),
  };
}

/**
 * Creates the policy row when it is new, then locks it: versions of one policy are numbered in turn, and
 * two first PUTs of one id at once make versions 1 and 2 (the second waits for the first to commit).
 */
export async function lockPolicy(tx: Tx, id: string, at: Date): Promise<number> {
  await tx.insertInto('routing_policy').values({ id, latest_version: 0, created_at: at, updated_at: at }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const r = await tx.selectFrom('routing_policy').select('latest_version').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  return r.latest_version;
}

export async function policyVersions(db: DbOrTx, id: string): Promise<PolicyVersionRow[]> {
  return db.selectFrom('routing_policy_version').selectAll().where('policy_id', '=', id).orderBy('version', 'desc').execute();
}

export async function policyVersion(db: DbOrTx, id: string, version: number): Promise<PolicyVersionRow | undefined> {
  return db.selectFrom('routing_policy_version').selectAll().where('policy_id', '=', id).where('version', '=', version).executeTakeFirst();
}

/** The latest version of every policy, by id. */
export async function latestVersions(db: DbOrTx): Promise<PolicyVersionRow[]> {
  return db
    .selectFrom('routing_policy_version as v')
    .innerJoin('routing_policy as p', (j) => j.onRef('p.id', '=', 'v.policy_id').onRef('p.latest_version', '=', 'v.version'))
    .selectAll('v')
    .orderBy('v.policy_id')
    .execute();
}

export async function insertPolicyVersion(
  tx: Tx,
  row: { id: string; version: number; name: string; description: string; rules: RoutingRules; at: Date; by: string },
): Promise<PolicyVersionRow> {
  await tx.updateTable('routing_policy').set({ latest_version: row.version, updated_at: row.at }).where('id', '=', row.id).execute();
  return tx
    .insertInto('routing_policy_version')
    .values({ policy_id: row.id, version: row.version, name: row.name, description: row.description, rules: JSON.stringify(row.rules), created_at: row.at, created_by: row.by })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listAssignments(db: DbOrTx, policyId?: string): Promise<AssignmentRow[]> {
  let q = db.selectFrom('routing_policy_assignment').selectAll().orderBy('channel_id').orderBy('delivery_method');
  if (policyId) q = q.where('policy_id', '=', policyId);
  return q.execute();
}

export async function findAssignment(db: DbOrTx, channelId: string, method: string, lock = false): Promise<AssignmentRow | undefined> {
  let q = db.selectFrom('routing_policy_assignment').selectAll().where('channel_id', '=', channelId).where('delivery_method', '=', method);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function saveAssignment(tx: Tx, row: AssignmentRow): Promise<AssignmentRow> {
  return tx
    .insertInto('routing_policy_assignment')
    .values(row)
    .onConflict((oc) => oc.columns(['channel_id', 'delivery_method']).doUpdateSet({ policy_id: row.policy_id, pinned_version: row.pinned_version, updated_at: row.updated_at, updated_by: row.updated_by }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteAssignment(tx: Tx, channelId: string, method: string): Promise<void> {
  await tx.deleteFrom('routing_policy_assignment').where('channel_id', '=', channelId).where('delivery_method', '=', method).execute();
}
