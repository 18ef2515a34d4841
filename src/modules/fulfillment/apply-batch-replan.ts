import type { Tx } from '../../db/database.js';
import { withTransaction } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import type { ReplanChoice } from '../../domain/sourcing/batch-plan-choice.js';
import { releaseAllocations } from '../orders/release-allocations.js';
import { appendTimeline, insertAllocations, loadOrder, type LoadedOrder } from '../orders/order.repository.js';
import { syncOrderProgress } from '../orders/order-progress.js';
import { allocationRows } from '../orders/order-records.js';
import { holdAndConsume, holdSites, type HoldSites } from '../orders/order-sourcing.js';
import { requestDecision } from '../sourcing/decision-records.js';
import { insertDecision, linkAllocations } from '../sourcing/sourcing-decision.repository.js';
import { allocationFingerprint, planBatchReplan, type OrderReplan } from './batch-replan.js';
import { cancelEmptiedFulfillments } from './cancel-fulfillments.js';
import { createFulfillments } from './create-fulfillments.js';
import { getFulfillmentSettings } from './fulfillment-settings.js';
import type { FulfillmentSettings } from './fulfillment-settings.schemas.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import { lockOrdersUnlessBusy, type HeldWork } from './release.repository.js';

/** The sourcing decision's cause, the cancelled held work's note and the timeline's word for a kept re-plan. */
export const BATCH_REOPTIMISE = 'batch_reoptimise';

export type ApplyOutcome = 'applied' | 'busy' | 'changed' | 'stock_moved';

/**
 * Applies one kept group of a batch re-plan in ONE transaction (its orders exchange units, so no order
 * of it can move alone): the orders are locked (SKIP LOCKED: busy with another process, left alone) and
 * must hold exactly the units they were planned from; every old unit goes back to stock first, then each
 * order's new option is held like checkout (guarded stock and pick capacity: a position that moved
 * meanwhile throws, the transaction rolls back and the old plans stay), its allocations written, a
 * sourcing decision recorded (trigger rerouted, cause batch_reoptimise), new held work created with the
 * same release time, the emptied held work cancelled, an `order.replanned` event and timeline entry
 * with the cost and shipments before and after.
 */
export async function applyReplanGroup(
  db: Parameters<typeof withTransaction>[0],
  group: { choice: ReplanChoice; orders: OrderReplan[] },
  ctx: { sites: HoldSites; settings: FulfillmentSettings; actor: Actor; now: Date },
): Promise<ApplyOutcome> {
  try {
    return await withTransaction(db, async (tx) => {
      if (!(await lockOrdersUnlessBusy(tx, group.orders.map((o) => o.orderId)))) return 'busy';
      const loaded = new Map<string, LoadedOrder>();
      for (const o of group.orders) {
        const fresh = await loadOrder(tx, o.orderId);
        if (!fresh || allocationFingerprint(fresh) !== o.fingerprint || !(await stillHeld(tx, fresh))) return 'changed';
        loaded.set(o.orderId, fresh);
      }
      for (const o of group.orders) {
        const l = loaded.get(o.orderId)!;
        await releaseAllocations(tx, l.allocations.filter((a) => a.status === 'reserved'), ctx.actor, ctx.now, l.order.number);
      }
      for (const o of group.orders) await replanOrder(tx, o, loaded.get(o.orderId)!, group.choice, ctx);
      return 'applied';
    });
  } catch (err) {
    if (err instanceof BusinessError && (err.code === 'insufficient_stock' || err.code === 'capacity_exhausted')) return 'stock_moved';
    throw err;
  }
}

async function stillHeld(tx: Tx, l: LoadedOrder): Promise<boolean> {
  const ids = [...new Set(l.allocations.filter((a) => a.status === 'reserved').map((a) => a.fulfillment_id))];
  if (ids.some((id) => id === null)) return false;
  const rows = await tx.selectFrom('fulfillment_order').select('status').where('id', 'in', ids as string[]).execute();
  return rows.length === ids.length && rows.every((r) => r.status === 'held');
}

async function replanOrder(tx: Tx, o: OrderReplan, l: LoadedOrder, choice: ReplanChoice, ctx: { sites: HoldSites; settings: FulfillmentSettings; actor: Actor; now: Date }): Promise<void> {
  const order = l.order;
  const before = l.allocations.filter((a) => a.status === 'reserved');
  const cart = { channel: order.channel_id, lines: o.request.lines, delivery: { method: 'ship' as const, service: o.request.services![0]!, address: order.address as never } };
  const taken = await holdAndConsume(tx, ctx.sites, o.request, o.option, cart, ctx.actor, ctx.now, order.id);
  const allocations = await insertAllocations(tx, allocationRows(taken, order.id, o.lineIds, ctx.now));
  const decision = requestDecision(o.option, o.lineIds, o.request.lines, { trigger: 'rerouted', cause: BATCH_REOPTIMISE, currency: ctx.sites.currency });
  const decisionId = await insertDecision(tx, { orderId: order.id, actor: ctx.actor.id, decidedAt: ctx.now }, decision);
  await linkAllocations(tx, decisionId, allocations.map((a) => a.id));
  const created = await createFulfillments(tx, { order, lines: l.lines, allocations, sites: ctx.sites.sitesById, settings: ctx.settings, actor: ctx.actor, now: ctx.now, releaseAt: o.releaseAt });
  await cancelEmptiedFulfillments(tx, order, ctx.actor, ctx.now, BATCH_REOPTIMISE);
  const where = (rows: ReadonlyArray<{ sku: string; location_id: string; quantity: number }>) => rows.map((a) => ({ sku: a.sku, locationId: a.location_id, quantity: a.quantity }));
  const details = {
    cause: BATCH_REOPTIMISE,
    // The group's orders exchanged units: its cost and shipments are judged together.
    group: { orders: choice.unitIds.length, costBeforeMinor: choice.before.costMinor, costAfterMinor: choice.after.costMinor, shipmentsBefore: choice.before.shipments, shipmentsAfter: choice.after.shipments },
    before: where(before),
    after: where(allocations),
    fulfillments: created.map((f) => ({ fulfillmentId: f.id, number: f.number, locationId: f.location_id })),
  };
  await appendTimeline(tx, [{ order_id: order.id, occurred_at: ctx.now, actor: ctx.actor.id, event: 'order.replanned', status_from: null, status_to: null, details }]);
  await appendEvents(tx, [{ type: 'order.replanned', aggregateType: 'order', aggregateId: order.id, payload: { orderId: order.id, orderNumber: order.number, ...details } }]);
  await syncOrderProgress(tx, order.id, ctx.actor, ctx.now, { event: 'order.replanned' });
}

/** What one batch re-optimisation did (logged and counted by the release task). */
export interface ReplanRun {
  solution: string;
  solveMillis: number;
  /** Orders (or merged groups of one customer's orders) the solver planned. */
  units: number;
  /** Orders whose new plan was applied. */
  replanned: number;
  costSavedMinor: number;
  shipmentsSaved: number;
  /** Kept groups not applied: busy elsewhere, changed meanwhile, or their stock moved. */
  skipped: number;
}

/** Plans the held orders together and applies every kept group, each in its own transaction. */
export async function reoptimiseHeldOrders(deps: FulfillmentDeps, held: readonly HeldWork[], timeLimitMs: number, actor: Actor): Promise<ReplanRun> {
  const plan = await planBatchReplan(deps, held, timeLimitMs);
  const run: ReplanRun = { solution: plan.solution, solveMillis: plan.millis, units: plan.units, replanned: 0, costSavedMinor: 0, shipmentsSaved: 0, skipped: 0 };
  if (plan.groups.length === 0) return run;
  const [sites, settings] = await Promise.all([holdSites(deps), getFulfillmentSettings(deps.db)]);
  for (const group of plan.groups) {
    const outcome = await applyReplanGroup(deps.db, group, { sites, settings, actor, now: deps.clock.now() });
    if (outcome !== 'applied') {
      run.skipped++;
      continue;
    }
    run.replanned += group.orders.length;
    run.costSavedMinor += group.choice.before.costMinor - group.choice.after.costMinor;
    run.shipmentsSaved += group.choice.before.shipments - group.choice.after.shipments;
  }
  return run;
}
