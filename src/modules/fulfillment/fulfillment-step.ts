import type { Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { appendTimeline, loadOrder, type LoadedOrder } from '../orders/order.repository.js';
import { syncOrderProgress } from '../orders/order-progress.js';
import type { OrderDeps } from '../orders/place-order.js';
import { findFulfillmentId, linesOf, loadFulfillment, updateFulfillment, type FulfillmentChanges, type LoadedFulfillment } from './fulfillment.repository.js';
import { fulfillmentEvent } from './fulfillment-payloads.js';
import { getFulfillmentSettings } from './fulfillment-settings.js';
import type { FulfillmentSettings } from './fulfillment-settings.schemas.js';
import type { FulfillmentView } from './fulfillment.schemas.js';
import { fulfillmentView } from './get-fulfillment.js';
import { memberSteps, refuseMerged } from './merged-work.js';
import { detachMerged } from './release.repository.js';

export type FulfillmentDeps = OrderDeps;

/** What a step works on: the order and the fulfillment, both locked, in one transaction. */
export interface StepContext {
  tx: Tx;
  deps: FulfillmentDeps;
  actor: Actor;
  now: Date;
  order: LoadedOrder;
  current: LoadedFulfillment;
  settings: FulfillmentSettings;
}

export interface StepOptions {
  /** The step name in the URL (accept, pick, ship...): scopes the Idempotency-Key. */
  step: string;
  /** Who may act: the fulfilling location (default) or, for receiving a transfer, the store it goes to. */
  actingLocation?: 'location' | 'destination';
  /**
   * The step as applied to each fulfillment merged into this one (one shipment, merge-shipments.ts), in
   * the same transaction after the lead's own step. Absent: the step does not carry over.
   */
  members?: (member: StepContext, lead: StepContext) => Promise<void>;
}

/**
 * Runs one step on a fulfillment (POST /v1/fulfillments/{id}/{step}) in ONE transaction, idempotent
 * with an Idempotency-Key: locks the order, then the fulfillment (always in that order, so two steps on
 * one order queue instead of deadlocking), checks that a store key acts only on its own locations (to
 * anyone else another store's fulfillment does not exist: 404), runs the step, and answers the
 * fulfillment as it is afterwards, or the one the step handed the work to when it returns its id (a
 * merged parcel's lead that ended while its parcel goes on). The step throws BusinessError to refuse:
 * nothing is written.
 */
export async function runStep(
  deps: FulfillmentDeps,
  actor: Actor,
  idOrNumber: string,
  body: unknown,
  idempotencyKey: string | undefined,
  options: StepOptions,
  run: (c: StepContext) => Promise<string | void>,
): Promise<Result<FulfillmentView>> {
  return withOptionalIdempotency(deps.db, `POST /v1/fulfillments/${idOrNumber}/${options.step} ${actor.id}`, idempotencyKey, body, async (tx) => {
    const c = await lockForStep(tx, deps, actor, idOrNumber, options.actingLocation ?? 'location');
    refuseHeld(c.current.fulfillment);
    refuseMerged(c.current.fulfillment);
    const handedTo = await run(c);
    if (options.members) for (const member of await memberSteps(c)) await options.members(member, c);
    return fulfillmentView(tx, handedTo ?? c.current.fulfillment.id, c.now.getTime());
  });
}

/** Held work is not the location's yet (release-held.ts): no store step applies until it is released. */
function refuseHeld(f: LoadedFulfillment['fulfillment']): void {
  if (f.status !== 'held') return;
  const at = f.release_at?.toISOString() ?? 'its release';
  throw new BusinessError('fulfillment_held', `fulfillment ${f.number} is held for re-optimisation until ${at}; the location receives it then`, { releaseAt: f.release_at?.toISOString() ?? null });
}

export async function lockForStep(tx: Tx, deps: FulfillmentDeps, actor: Actor, idOrNumber: string, acting: 'location' | 'destination'): Promise<StepContext> {
  const notFound = () => new BusinessError('fulfillment_not_found', `no fulfillment ${idOrNumber}`);
  const id = await findFulfillmentId(tx, idOrNumber);
  if (!id) throw notFound();
  const peek = await tx.selectFrom('fulfillment_order').select(['order_id', 'location_id', 'destination_location_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const actingAt = acting === 'destination' ? peek.destination_location_id : peek.location_id;
  if (!actingAt || !canAccessLocation(actor, actingAt)) throw notFound();
  const order = await loadOrder(tx, peek.order_id, true);
  const current = await loadFulfillment(tx, id, true);
  if (!order || !current) throw notFound();
  return { tx, deps, actor, now: deps.clock.now(), order, current, settings: await getFulfillmentSettings(tx) };
}

/**
 * Moves the fulfillment to `to` (refused with invalid_transition when its lifecycle does not allow it),
 * with the given column changes, a `fulfillment.<event>` outbox event, a timeline entry, and the order's
 * line and order statuses recomputed. Returns nothing: `c.current` is refreshed.
 */
export async function advance(c: StepContext, to: FulfillmentStatus, changes: FulfillmentChanges, details: Record<string, unknown> = {}, event = to): Promise<void> {
  const f = c.current.fulfillment;
  const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, to, f.number);
  if (refused) throw BusinessError.of(refused);
  const row = await updateFulfillment(c.tx, f.id, { ...changes, status: to, updated_at: c.now });
  // A merged shipment's lead that ends before leaving lets its merged work ship on its own.
  if (to === 'cancelled' || to === 'rejected') await detachMerged(c.tx, f.id, c.now);
  const lines = (await linesOf(c.tx, [f.id])).get(f.id) ?? [];
  c.current = { fulfillment: row, lines };
  const reason = typeof details.reason === 'string' ? details.reason : undefined;
  await appendEvents(c.tx, [fulfillmentEvent(`fulfillment.${event}`, row, lines, c.order.order, reason)]);
  await appendTimeline(c.tx, [
    { order_id: f.order_id, occurred_at: c.now, actor: c.actor.id, event: `fulfillment.${event}`, status_from: f.status, status_to: to, details: { fulfillmentId: f.id, number: f.number, locationId: f.location_id, ...details } },
  ]);
  const progress = await syncOrderProgress(c.tx, f.order_id, c.actor, c.now, { event: `fulfillment.${event}`, details: { fulfillmentId: f.id } });
  c.order = progress.loaded;
}
