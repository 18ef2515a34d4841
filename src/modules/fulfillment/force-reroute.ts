import { canTransitionFulfillment, ENDED_STATUSES, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { releaseAllocations } from '../orders/release-allocations.js';
import { advance, lockForStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { FulfillmentRow } from './fulfillment.repository.js';
import type { ForceRerouteInput, ForceRerouteView } from './fulfillment.schemas.js';
import { releaseHoldEnd } from './fulfillment-settings.js';
import { fulfillmentView } from './get-fulfillment.js';
import { applyReroute, finishReroute, heldUnits, planStep, seeFulfillment, verifyPlanned, withRerouteRetries, type PlannedReroute } from './reroute.js';
import { transfersFeeding } from './reroute.repository.js';
import { lockPlannedMembers, seeMembers } from './merged-reroutes.js';
import { regroupMerged } from './merged-work.js';

/** The re-routing cause recorded in the timeline, the sourcing decision and the fulfillment.cancelled event. */
export const OPS_REROUTE = 'ops_reroute';

/**
 * POST /v1/fulfillments/{id}/reroute (admin, ops): ops take a fulfillment's units away from where they
 * are being prepared, e.g. a store that is flooded or far behind. Until the units leave (pending to
 * packed, or a pickup not yet collected) the units it holds go back to the location's stock and are
 * sourced again through the same path as a rejection, avoiding that location unless `excludeLocation`
 * is false (then sourcing may land on it again: a plain re-optimisation). The fulfillment ends
 * `cancelled` with the reason as its note, the location's reliability is untouched (it did nothing
 * wrong), and the timeline records who and why. Unlike a rejection, a forced re-route never cancels a
 * customer's units: when some could not be served elsewhere it is refused (409 reroute_unavailable) and
 * nothing changes. The avoided location is avoided for this re-route only (later rejections of the
 * order may go back to it). While the release hold is on, the new ship work is held like new work
 * (re-planned and merged before release; the batch leaves units sourced around an avoided location where
 * they are). A merged parcel's lead (merge-shipments.ts) takes only its own order's units away: the other
 * orders' work stays at the location in the step it reached, one parcel again under the oldest order's
 * fulfillment (regroupMerged), which the answer names (`parcelCarriedBy`) and the store's queue lists with
 * every unit left. Idempotent with an Idempotency-Key.
 */
export async function forceReroute(deps: FulfillmentDeps, actor: Actor, idOrNumber: string, input: ForceRerouteInput, key?: string): Promise<Result<ForceRerouteView>> {
  const keepLocation = input.excludeLocation === false;
  return withRerouteRetries(deps, async () => {
    const seen = await seeFulfillment(deps.db, actor, idOrNumber);
    if (!seen.ok) return seen;
    // Nothing is planned for a fulfillment that cannot go (planStep): the transaction refuses it, or answers a replay.
    const planned = await planStep(deps, seen.value, 'cancelled', heldUnits(seen.value.current), keepLocation);
    const memberIds = (await seeMembers(deps.db, seen.value.current)).map((m) => m.current.fulfillment.id);
    return withOptionalIdempotency(deps.db, `POST /v1/fulfillments/${idOrNumber}/reroute ${actor.id}`, key, input, async (tx) => {
      const c = await lockForStep(tx, deps, actor, idOrNumber, 'location');
      // A merged parcel's lead: the other orders' work stays in the parcel, locked before the lead ends.
      const members = await lockPlannedMembers(c, { memberIds });
      const allocationIds = await rerouteInStep(c, input, planned);
      const carrier = await regroupMerged(c, members);
      const now = c.now.getTime();
      const served = c.order.allocations.filter((a) => allocationIds.includes(a.id));
      const servingIds = [...new Set(served.flatMap((a) => (a.fulfillment_id ? [a.fulfillment_id] : [])))];
      return {
        fulfillment: await fulfillmentView(tx, c.current.fulfillment.id, now),
        allocations: served.map((a) => ({ id: a.id, lineId: a.line_id, sku: a.sku, locationId: a.location_id, quantity: a.quantity, status: a.status, fulfillmentId: a.fulfillment_id })),
        fulfillments: await Promise.all(servingIds.map((id) => fulfillmentView(tx, id, now))),
        ...(carrier ? { parcelCarriedBy: await fulfillmentView(tx, carrier, now) } : {}),
      };
    });
  });
}

/** Why the fulfillment's units cannot be re-routed any more (or have nothing to re-route), if so. */
function refusal(f: FulfillmentRow, held: number): BusinessError | undefined {
  const status = f.status as FulfillmentStatus;
  if (!canTransitionFulfillment(f.kind as FulfillmentKind, status, 'cancelled')) {
    const why = ENDED_STATUSES.has(status) ? `has ended (${status})` : `has already ${status === 'shipped' ? 'left the location' : `reached ${status}`}`;
    return new BusinessError('reroute_not_allowed', `fulfillment ${f.number} ${why}: its units can no longer be re-routed`, { status });
  }
  if (held === 0) return new BusinessError('reroute_not_allowed', `fulfillment ${f.number} holds no units to re-route`, { status });
  return undefined;
}

/**
 * Inside the transaction (order and fulfillment locked): release the held units, take the new ones,
 * end the fulfillment, create the new work. Returns the ids of the allocations the re-route wrote.
 */
async function rerouteInStep(c: StepContext, input: ForceRerouteInput, planned: PlannedReroute | undefined): Promise<string[]> {
  const f = c.current.fulfillment;
  const refused = refusal(f, heldUnits(c.current).length);
  if (refused) throw refused;
  // Units already travelling to this pickup need it as their destination: it cannot go away under them.
  if (f.kind === 'pickup' && (await transfersFeeding(c.tx, f.id)) > 0) {
    throw new BusinessError('pickup_awaiting_transfers', `pickup ${f.number} waits for units transferred to it; re-route those transfers, or change the pickup store`);
  }
  const plan = await verifyPlanned(c, planned);
  if (plan.cancelled.length > 0) {
    const units = plan.cancelled.map((u) => ({ lineId: u.orderLineId, sku: u.sku, quantity: u.quantity }));
    const list = units.map((u) => `${u.sku} ×${u.quantity}`).join(', ');
    throw new BusinessError('reroute_unavailable', `no other location can serve ${list}: nothing was changed (cancel those lines instead if the customer agrees)`, { units, reasons: plan.reasons });
  }
  const held = c.order.allocations.filter((a) => a.fulfillment_id === f.id && a.status === 'reserved');
  await releaseAllocations(c.tx, held, c.actor, c.now, c.order.order.number);
  const rerouted = await applyReroute(c, plan);
  await advance(c, 'cancelled', { ended_at: c.now, note: input.reason }, { reason: OPS_REROUTE, note: input.reason, excludeLocation: input.excludeLocation !== false });
  // The new work waits in the release hold like new work (re-planned and merged with other held orders).
  await finishReroute(c, rerouted, f, OPS_REROUTE, releaseHoldEnd(c.settings, c.now));
  return rerouted.allocations.map((a) => a.id);
}
