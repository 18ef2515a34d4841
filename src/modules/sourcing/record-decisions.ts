import type { Tx } from '../../db/database.js';
import type { DecisionRecord } from '../../domain/sourcing/sourcing-decision.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { ReroutePlan } from '../fulfillment/reroute.js';
import { directDecision, requestDecision, type DecisionContext } from './decision-records.js';
import { exclusionReasons, insertDecision, linkAllocations } from './sourcing-decision.repository.js';

/** A re-routing as it was applied, in the step's transaction. */
export interface AppliedReroute {
  orderId: string;
  orderCurrency: string;
  plan: ReroutePlan;
  /** The allocations it wrote. */
  allocationIds: readonly string[];
  /** The fulfillment that gave the units up, as it is after the step (a time-out is reject reason `timeout`). */
  from: { id: string; location_id: string; reject_reason: string | null };
  cause: string;
}

/**
 * Records a re-routing's decision and links its new allocations to it: every unit asked for, the plan
 * that took them (or none), the units cancelled, and each excluded location with why (rejected, with the
 * reason it gave, or short-picked).
 */
export async function recordRerouteDecision(tx: Tx, actor: Actor, now: Date, r: AppliedReroute): Promise<void> {
  const reasons = await exclusionReasons(tx, r.orderId);
  const cause = r.cause === 'rejected' && r.from.reject_reason === 'timeout' ? 'timeout' : r.cause;
  const ctx: DecisionContext = {
    trigger: 'rerouted',
    cause,
    currency: r.plan.source?.sites.currency ?? r.orderCurrency,
    excluded: r.plan.excluded.map((locationId) => ({ locationId, reason: reasons.get(locationId) ?? cause })),
    unserved: r.plan.cancelled.map((u) => ({ lineId: u.orderLineId, sku: u.sku, quantity: u.quantity })),
  };
  const units = r.plan.units.map((u) => ({ lineId: u.orderLineId, sku: u.sku, quantity: u.quantity }));
  const source = r.plan.source;
  const decision: DecisionRecord = source
    ? { ...requestDecision(source.option, source.units.map((u) => u.orderLineId), source.request.lines, ctx), units }
    : directDecision([], 'none', units, ctx);
  const id = await insertDecision(tx, { orderId: r.orderId, actor: actor.id, decidedAt: now, fulfillmentId: r.from.id }, decision);
  await linkAllocations(tx, id, r.allocationIds);
}

/**
 * Records that backordered units were served where their supply arrived (the receipt's transaction) and
 * links the allocations that became reserved to it.
 */
export async function recordBackorderDecision(
  tx: Tx,
  actor: Actor,
  now: Date,
  order: { id: string; currency: string },
  served: ReadonlyArray<{ id: string; line_id: string; sku: string; location_id: string; quantity: number }>,
): Promise<void> {
  const allocations = served.map((a) => ({ lineId: a.line_id, sku: a.sku, locationId: a.location_id, quantity: a.quantity }));
  const units = allocations.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  const id = await insertDecision(tx, { orderId: order.id, actor: actor.id, decidedAt: now }, directDecision(allocations, 'supply_arrival', units, { trigger: 'backorder_served', currency: order.currency }));
  await linkAllocations(tx, id, served.map((a) => a.id));
}
