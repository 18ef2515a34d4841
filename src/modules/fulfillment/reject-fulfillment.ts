import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { releaseAllocations } from '../orders/release-allocations.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { FulfillmentView, RejectInput } from './fulfillment.schemas.js';
import { recordOutcome } from './location-performance.js';
import { lockPlannedMembers, planMergedReroutes, seeMembers, type MergedReroutes } from './merged-reroutes.js';
import { applyReroute, finishReroute, heldUnits, seeFulfillment, verifyPlanned, withRerouteRetries, type PlannedReroute, type Seen } from './reroute.js';
import { transfersFeeding } from './reroute.repository.js';

/**
 * POST /v1/fulfillments/{id}/reject, from pending or accepted: the location gives the whole fulfillment
 * up. Its held units go back to its stock, are re-routed elsewhere (never to a location that rejected or
 * short-picked this order's units), and the rejection lowers the location's data reliability. Rejecting
 * a merged parcel's lead (merge-shipments.ts) refuses the whole parcel: every fulfillment merged into it
 * is rejected with it in the same transaction, each order's units re-sourced on their own (older
 * orders' plans first, see planMergedReroutes).
 */
export async function rejectFulfillment(deps: FulfillmentDeps, actor: Actor, idOrNumber: string, input: RejectInput, key?: string): Promise<Result<FulfillmentView>> {
  return withRerouteRetries(deps, async () => {
    const seen = await seeFulfillment(deps.db, actor, idOrNumber);
    if (!seen.ok) return seen;
    const planned = await planRejection(deps, seen.value);
    return runStep(deps, actor, idOrNumber, input, key, { step: 'reject' }, (c) => rejectInStep(c, input, planned));
  });
}

/** Plans where a rejected fulfillment's units go, and those of the work merged into it (before the transaction). */
export async function planRejection(deps: FulfillmentDeps, seen: Seen): Promise<MergedReroutes> {
  const works = [seen, ...(await seeMembers(deps.db, seen.current))];
  return planMergedReroutes(deps, works.map((w) => ({ seen: w, to: 'rejected' as const, units: heldUnits(w.current) })));
}

/**
 * The rejection inside the step's transaction (the API's and the acceptance time-out's): the merged
 * work is locked first, then each fulfillment (the lead, then its merged work) is rejected.
 */
export async function rejectInStep(c: StepContext, input: { reason: string; note?: string }, planned: MergedReroutes): Promise<void> {
  const members = await lockPlannedMembers(c, planned);
  await rejectOne(c, input, planned.planned.get(c.current.fulfillment.id));
  for (const m of members) await rejectOne(m, { ...input, mergedInto: c.current.fulfillment.number }, planned.planned.get(m.current.fulfillment.id));
}

/** Release, take the re-routed units, move to `rejected`, count the rejection, create the new work. */
async function rejectOne(c: StepContext, input: { reason: string; note?: string; mergedInto?: string }, planned: PlannedReroute | undefined): Promise<void> {
  const f = c.current.fulfillment;
  const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, 'rejected', f.number);
  if (refused) throw BusinessError.of(refused);
  // Units already travelling to this pickup need it as their destination: it cannot go away under them.
  if (f.kind === 'pickup' && (await transfersFeeding(c.tx, f.id)) > 0) {
    throw new BusinessError('pickup_awaiting_transfers', `pickup ${f.number} waits for units transferred to it; it cannot be rejected`);
  }
  const plan = await verifyPlanned(c, planned);
  const held = c.order.allocations.filter((a) => a.fulfillment_id === f.id && a.status === 'reserved');
  await releaseAllocations(c.tx, held, c.actor, c.now, c.order.order.number);
  const rerouted = await applyReroute(c, plan);
  const note = input.note ? { note: input.note } : {};
  const merged = input.mergedInto ? { mergedInto: input.mergedInto } : {};
  await advance(c, 'rejected', { reject_reason: input.reason, ended_at: c.now, ...note }, { reason: input.reason, ...note, ...merged });
  await recordOutcome(c.tx, f.location_id, 'rejection', c.now);
  await finishReroute(c, rerouted, f, 'rejected');
}
