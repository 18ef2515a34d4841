import type { DbOrTx } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';

/** Records who changed which master data; written in the same transaction as the change. */
export async function writeAudit(
  db: DbOrTx,
  actor: Actor,
  action: string,
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: actor.id,
      action,
      entity_type: entityType,
      entity_id: entityId,
      before: before === null || before === undefined ? null : JSON.stringify(before),
      after: after === null || after === undefined ? null : JSON.stringify(after),
    })
    .execute();
}

export async function listAudit(db: DbOrTx, entityType: string, entityId: string, limit = 100) {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    occurredAt: new Date(r.occurred_at).toISOString(),
    actor: r.actor,
    action: r.action,
    before: r.before,
    after: r.after,
  }));
}
