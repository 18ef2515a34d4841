import type { DbOrTx } from '../../db/database.js';
import { summarise, type DecisionRecord, type DecisionTrigger } from '../../domain/sourcing/sourcing-decision.js';
import type { Actor } from '../../domain/shared/actor.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { findVisibleOrder } from '../orders/get-order.js';
import { orderDecisions, type DecisionRow } from './sourcing-decision.repository.js';
import type { DecisionView, OrderSourcingView } from './sourcing.schemas.js';

/**
 * GET /v1/orders/{id}/sourcing: every sourcing decision of the order, oldest first, each with a plain
 * sentence customer service can read out ("why from Lyon?"). Visible to whoever may see the order (a
 * store key: its stores' orders; another store's order is a 404).
 */
export async function getOrderSourcing(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<OrderSourcingView>> {
  const found = await findVisibleOrder(db, actor, idOrNumber);
  if (!found.ok) return found;
  const { order } = found.value;
  const rows = await orderDecisions(db, order.id);
  return ok({ orderId: order.id, number: order.number, items: rows.map((r) => toDecisionView(r, r.allocation_ids)) });
}

function toRecord(r: DecisionRow): DecisionRecord {
  return {
    trigger: r.trigger as DecisionTrigger,
    cause: r.cause,
    optionId: r.option_id,
    units: r.units as DecisionRecord['units'],
    shipments: r.shipments as DecisionRecord['shipments'],
    totalCostMinor: r.total_cost_minor,
    costs: r.costs as DecisionRecord['costs'],
    candidates: r.candidates,
    alternatives: r.alternatives as DecisionRecord['alternatives'],
    excluded: r.excluded as DecisionRecord['excluded'],
    unserved: r.unserved as DecisionRecord['unserved'],
    optimal: r.optimal,
    gap: r.gap,
    method: r.method,
    policy: r.policy_id !== null && r.policy_version !== null ? { id: r.policy_id, version: r.policy_version, name: r.policy_name ?? r.policy_id } : null,
    currency: r.currency,
  };
}

function toDecisionView(r: DecisionRow, allocationIds: string[]): DecisionView {
  const d = toRecord(r);
  return {
    id: r.id,
    decidedAt: new Date(r.decided_at).toISOString(),
    actor: r.actor,
    trigger: d.trigger,
    cause: d.cause,
    fulfillmentId: r.fulfillment_id,
    optionId: d.optionId,
    summary: summarise(d),
    units: d.units,
    chosen: { totalCostMinor: d.totalCostMinor, costs: d.costs, shipments: d.shipments },
    candidates: d.candidates,
    alternatives: d.alternatives,
    excluded: d.excluded,
    unserved: d.unserved,
    optimal: d.optimal,
    gap: d.gap,
    method: d.method,
    policy: d.policy,
    currency: d.currency,
    allocationIds,
  };
}
