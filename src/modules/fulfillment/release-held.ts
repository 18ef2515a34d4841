import type { Tx } from '../../db/database.js';
import { withTransaction } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { dueReleaseGroups, type ReleaseGroup } from '../../domain/fulfillment/release-groups.js';
import { acceptanceDeadline } from '../../domain/fulfillment/fulfillment-deadlines.js';
import { systemActor } from '../../domain/shared/actor.js';
import { appendTimeline, loadOrder, type NewTimelineEntry, type OrderRow } from '../orders/order.repository.js';
import type { PromiseSite } from '../promise/promise-data.js';
import { linesOf, updateFulfillment, type FulfillmentRow } from './fulfillment.repository.js';
import { fulfillmentEvent } from './fulfillment-payloads.js';
import { getFulfillmentSettings } from './fulfillment-settings.js';
import type { FulfillmentSettings } from './fulfillment-settings.schemas.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import { heldWork, lockFulfillments, lockOrdersUnlessBusy, type HeldWork } from './release.repository.js';
import { mergeAtRelease, planMerges, type MergePlan } from './merge-shipments.js';
import { reoptimiseHeldOrders, type ReplanRun } from './apply-batch-replan.js';

export const RELEASE_JOB = 'fulfillment-release';
export const RELEASE_ACTOR = systemActor(RELEASE_JOB);

export interface ReleaseRun {
  /** Fulfillments handed to their locations. */
  released: number;
  /** Fulfillments merged into another one's shipment. */
  merged: number;
  /** Groups left for the next run because another process held one of their orders. */
  busy: number;
  /** The batch re-optimisation run before releasing (absent when nothing was due). */
  replan?: ReplanRun;
}

export interface ReleaseOptions {
  batchSize?: number;
  /** HiGHS time limit for the joint re-plan; past it everything is released as it is. */
  solverTimeLimitMs?: number;
}

export type HeldItemOf = ReturnType<typeof itemOf>;

const itemOf = (w: HeldWork) => ({
  fulfillmentId: w.fulfillment.id,
  orderId: w.fulfillment.order_id,
  locationId: w.fulfillment.location_id,
  releaseAt: w.fulfillment.release_at?.getTime() ?? 0,
  email: w.email,
  address: w.address,
  service: w.service,
  work: w,
});

/**
 * Releases held ship fulfillments whose hold has ended (the 'fulfillment-release' task). When some work
 * is due, every held order is first re-optimised together (apply-batch-replan.ts); then each due one becomes `pending` at its location with an acceptance deadline counted from now
 * (not from the order), a `fulfillment.created` event (connectors, webhooks and store notifications
 * hear of the work only now) and a `fulfillment.released` timeline entry. Work of one customer to one
 * address and service is released together, merged into one shipment per location where that costs
 * less (merge-shipments.ts). One transaction per group; its orders are taken with SKIP LOCKED and its
 * fulfillments must still be held under the lock, so several Ordo processes share the work and each
 * fulfillment is released once.
 */
export async function releaseDueFulfillments(deps: FulfillmentDeps, opts: ReleaseOptions = {}): Promise<ReleaseRun> {
  const batchSize = opts.batchSize ?? 500;
  const run: ReleaseRun = { released: 0, merged: 0, busy: 0 };
  const now = deps.clock.now();
  const held = await heldWork(deps.db, batchSize);
  if (dueReleaseGroups(held.map(itemOf), now.getTime()).length === 0) return run;
  // Before anything leaves the hold, every held order (due or not) is re-planned together.
  run.replan = await reoptimiseHeldOrders(deps, held, opts.solverTimeLimitMs ?? 2_000, RELEASE_ACTOR);
  const groups = dueReleaseGroups((run.replan.replanned > 0 ? await heldWork(deps.db, batchSize) : held).map(itemOf), now.getTime());
  const [snapshot, settings] = await Promise.all([deps.data.current(), getFulfillmentSettings(deps.db)]);
  for (const group of groups) {
    // Costs are read before the transaction (PGlite has one connection); the lock re-checks the work.
    const merges = await planMerges(deps, group.items.map((i) => i.work));
    const done = await withTransaction(deps.db, (tx) => releaseGroup(tx, group, merges, snapshot.sitesById, settings, now));
    if (done === 'busy') run.busy++;
    else {
      run.released += done.released;
      run.merged += done.merged;
    }
  }
  return run;
}

async function releaseGroup(
  tx: Tx,
  group: ReleaseGroup<HeldItemOf>,
  merges: readonly MergePlan[],
  sites: ReadonlyMap<string, PromiseSite>,
  settings: FulfillmentSettings,
  now: Date,
): Promise<{ released: number; merged: number } | 'busy'> {
  if (!(await lockOrdersUnlessBusy(tx, group.orderIds))) return 'busy';
  const still = (await lockFulfillments(tx, group.items.map((i) => i.fulfillmentId))).filter((f) => f.status === 'held');
  if (still.length === 0) return { released: 0, merged: 0 };
  const orders = new Map<string, OrderRow>();
  for (const id of group.orderIds) {
    const loaded = await loadOrder(tx, id);
    if (loaded) orders.set(id, loaded.order);
  }
  const released: FulfillmentRow[] = [];
  for (const f of still) released.push(await release(tx, f, orders.get(f.order_id)!, sites, settings, now));
  const merged = await mergeAtRelease(tx, released, merges, orders, RELEASE_ACTOR, now);
  return { released: released.length, merged };
}

async function release(tx: Tx, f: FulfillmentRow, order: OrderRow, sites: ReadonlyMap<string, PromiseSite>, settings: FulfillmentSettings, now: Date): Promise<FulfillmentRow> {
  const site = sites.get(f.location_id);
  const at = now.getTime();
  const due = f.due_at?.getTime() ?? null;
  // The location's time to accept starts when it receives the work, not when the order was placed.
  const acceptBy = site ? acceptanceDeadline(site.calendar, at, settings.acceptTimeoutMinutes, due) : at + settings.acceptTimeoutMinutes * 60_000;
  const row = await updateFulfillment(tx, f.id, { status: 'pending', released_at: now, accept_by: new Date(acceptBy), updated_at: now });
  const lines = (await linesOf(tx, [f.id])).get(f.id) ?? [];
  const events: NewEvent[] = [fulfillmentEvent('fulfillment.created', row, lines, order)];
  const entry: NewTimelineEntry = {
    order_id: f.order_id,
    occurred_at: now,
    actor: RELEASE_ACTOR.id,
    event: 'fulfillment.released',
    status_from: 'held',
    status_to: 'pending',
    details: { fulfillmentId: f.id, number: f.number, locationId: f.location_id, heldSince: f.created_at.toISOString(), acceptBy: new Date(acceptBy).toISOString() },
  };
  await appendEvents(tx, events);
  await appendTimeline(tx, [entry]);
  return row;
}
