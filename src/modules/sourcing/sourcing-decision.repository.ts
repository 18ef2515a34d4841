import { sql, type Selectable } from 'kysely';
import { insertNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { SourcingDecisionTable } from '../../db/schema.js';
import type { DecisionRecord } from '../../domain/sourcing/sourcing-decision.js';
import { newRowId } from '../../db/row-id.js';

export type DecisionRow = Selectable<SourcingDecisionTable>;

/** Writes a decision in the caller's transaction (the one writing its allocations; with `batch`, at its flush) and answers its id. */
export async function insertDecision(tx: Tx, at: { orderId: string; actor: string; decidedAt: Date; fulfillmentId?: string }, d: DecisionRecord, batch?: StatementBatch): Promise<string> {
  const id = newRowId();
  const row = {
    id,
    order_id: at.orderId,
    decided_at: at.decidedAt,
    actor: at.actor,
    trigger: d.trigger,
    cause: d.cause,
    fulfillment_id: at.fulfillmentId ?? null,
    option_id: d.optionId,
    units: JSON.stringify(d.units),
    shipments: JSON.stringify(d.shipments),
    total_cost_minor: d.totalCostMinor,
    costs: d.costs ? JSON.stringify(d.costs) : null,
    candidates: d.candidates,
    alternatives: JSON.stringify(d.alternatives),
    excluded: JSON.stringify(d.excluded),
    unserved: JSON.stringify(d.unserved),
    optimal: d.optimal,
    gap: d.gap,
    method: d.method,
    policy_id: d.policy?.id ?? null,
    policy_version: d.policy?.version ?? null,
    policy_name: d.policy?.name ?? null,
    currency: d.currency,
  };
  await insertNowOrLater(tx, 'sourcing_decision', [row], batch);
  return id;
}

/** Allocation rows to insert, made by `decisionId`. */
export function withDecision<T extends object>(rows: T[], decisionId: string): Array<T & { decision_id: string }> {
  return rows.map((r) => ({ ...r, decision_id: decisionId }));
}

/** Allocations written before their decision (re-routes, served backorders) are linked to it afterwards. */
export async function linkAllocations(tx: Tx, decisionId: string, allocationIds: readonly string[]): Promise<void> {
  if (allocationIds.length === 0) return;
  await tx.updateTable('order_allocation').set({ decision_id: decisionId }).where('id', 'in', [...allocationIds]).execute();
}

/** Of these decisions, the ones that kept some location out (a re-route avoiding where units were refused or moved from). */
export async function decisionsExcludingLocations(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sourcing_decision').select('id').where('id', 'in', [...ids]).where(sql<boolean>`jsonb_array_length(excluded) > 0`).execute();
  return new Set(rows.map((r) => r.id));
}

/** An order's decisions in the order they were taken, with the allocations each one made. */
export async function orderDecisions(db: DbOrTx, orderId: string): Promise<Array<DecisionRow & { allocation_ids: string[] }>> {
  const [rows, links] = await Promise.all([
    db.selectFrom('sourcing_decision').selectAll().where('order_id', '=', orderId).orderBy('seq').execute(),
    db.selectFrom('order_allocation').select(['id', 'decision_id']).where('order_id', '=', orderId).where('decision_id', 'is not', null).orderBy('created_at').orderBy('id').execute(),
  ]);
  return rows.map((r) => ({ ...r, allocation_ids: links.filter((l) => l.decision_id === r.id).map((l) => l.id) }));
}

/**
 * Why each location never sources the order's re-routed units: it rejected a fulfillment (with the reason
 * it gave: a time-out is `timeout`) or short-picked units.
 */
export async function exclusionReasons(db: DbOrTx, orderId: string): Promise<Map<string, string>> {
  const r = await sql<{ location_id: string; why: string }>`
    SELECT location_id, 'rejected' || coalesce(' (' || reject_reason || ')', '') AS why FROM fulfillment_order WHERE order_id = ${orderId} AND status = 'rejected'
    UNION
    SELECT location_id, 'short-picked' AS why FROM order_allocation WHERE order_id = ${orderId} AND status = 'missing'
    ORDER BY 1, 2`.execute(db);
  const reasons = new Map<string, string>();
  for (const row of r.rows) reasons.set(row.location_id, reasons.has(row.location_id) ? `${reasons.get(row.location_id)}, ${row.why}` : row.why);
  return reasons;
}
