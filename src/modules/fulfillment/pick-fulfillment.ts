import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { shareMergedPick } from '../../domain/fulfillment/merged-pick.js';
import { planPick, type PickedLine } from '../../domain/fulfillment/pick-plan.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { FulfillmentLineState, LoadedFulfillment } from './fulfillment.repository.js';
import type { FulfillmentView, PickInput } from './fulfillment.schemas.js';
import { recordOutcome } from './location-performance.js';
import { applyReroute, finishReroute, planStep, seeFulfillment, verifyPlanned, withRerouteRetries, type PlannedReroute, type RerouteUnit, type Seen } from './reroute.js';
import { recordPickedLine, transfersFeeding } from './reroute.repository.js';
import { moveStock } from './stock-moves.js';
import { ageOf, regroupMerged } from './merged-work.js';
import { lockPlannedMembers, planMergedReroutes, seeMembers, type MergedReroutes } from './merged-reroutes.js';

// Lines still to pick: held units not picked yet (a transfer's units arrive picked; a reopened pickup's earlier lines stay picked).
const pickable = (f: LoadedFulfillment): FulfillmentLineState[] => f.lines.filter((l) => l.allocation_status === 'reserved' && l.picked_quantity === null);

function missingUnits(f: LoadedFulfillment, picked: readonly PickedLine[]): RerouteUnit[] {
  const lines = new Map(f.lines.map((l) => [l.id, l]));
  return picked.filter((p) => p.missing > 0).map((p) => ({ orderLineId: lines.get(p.lineId)!.order_line_id, sku: p.sku, quantity: p.missing }));
}

/**
 * POST /v1/fulfillments/{id}/pick: what the associate found on the shelves, per SKU. A complete pick
 * moves the fulfillment to `picked` (the units stay reserved until they ship or are collected). A short
 * pick is a stock discrepancy at the location (on hand and reserved drop by the missing units), the
 * allocations keep only the units found, the missing ones are recorded as such and re-routed elsewhere,
 * and the location's data reliability drops. A pick that found nothing cancels the fulfillment (unless
 * it is a pickup that transfers are still bringing units to) and re-routes everything.
 *
 * On a merged parcel's lead (merge-shipments.ts) the scan is the whole parcel's: the units found go to
 * the oldest orders first, so a short SKU is lost by the newest order asking for it (shareMergedPick);
 * then each fulfillment is picked as above, in the same transaction, its missing units re-sourced for
 * its own order (older orders' plans first, see planMergedReroutes). Work that is complete stays in the
 * parcel; work that found nothing ends; a lead that found nothing hands the parcel to the oldest order
 * still in it (regroupMerged), and the answer is that order's fulfillment: the one the store works on now.
 */
export async function pickFulfillment(deps: FulfillmentDeps, actor: Actor, idOrNumber: string, input: PickInput, key?: string): Promise<Result<FulfillmentView>> {
  return withRerouteRetries(deps, async () => {
    const seen = await seeFulfillment(deps.db, actor, idOrNumber);
    if (!seen.ok) return seen;
    const members = await seeMembers(deps.db, seen.value.current);
    if (members.length > 0) {
      const merged = await planMergedPick(deps, [seen.value, ...members], input);
      if (!merged.ok) return merged;
      return runStep(deps, actor, idOrNumber, input, key, { step: 'pick' }, (c) => pickMergedInStep(c, merged.value));
    }
    const picked = planPick(pickable(seen.value.current), input.lines);
    const missing = picked.ok ? missingUnits(seen.value.current, picked.value) : [];
    // Only a short pick pays for a promise computation; either end state is planned the same way.
    const planned = missing.length > 0 ? await planStep(deps, seen.value, 'picked', missing) : undefined;
    return runStep(deps, actor, idOrNumber, input, key, { step: 'pick' }, (c) => pickInStep(c, input, planned));
  });
}

interface MergedPick {
  /** Each fulfillment's part of the scan, by fulfillment id. */
  shares: Map<string, PickInput>;
  reroutes: MergedReroutes;
}

/** Splits the parcel's scan over its fulfillments (lead first in `works`) and plans where each one's missing units go. */
async function planMergedPick(deps: FulfillmentDeps, works: readonly Seen[], input: PickInput): Promise<Result<MergedPick>> {
  const shared = shareMergedPick(works.map((w) => ({ ...ageOf(w), lines: pickable(w.current) })), input.lines);
  if (!shared.ok) return shared;
  const shares = new Map([...shared.value].map(([id, lines]) => [id, { ...input, lines }]));
  const reroutes = await planMergedReroutes(
    deps,
    works.map((w) => {
      const picked = planPick(pickable(w.current), shares.get(w.current.fulfillment.id)!.lines);
      return { seen: w, to: 'picked' as const, units: picked.ok ? missingUnits(w.current, picked.value) : [] };
    }),
  );
  return ok({ shares, reroutes });
}

/** Returns the fulfillment carrying the parcel when the lead ended (the step's answer). */
async function pickMergedInStep(c: StepContext, merged: MergedPick): Promise<string | undefined> {
  const members = await lockPlannedMembers(c, merged.reroutes);
  const share = (m: StepContext) => merged.shares.get(m.current.fulfillment.id)!;
  const planned = (m: StepContext) => merged.reroutes.planned.get(m.current.fulfillment.id);
  await pickInStep(c, share(c), planned(c));
  for (const m of members) await pickInStep(m, share(m), planned(m), c.current.fulfillment.number);
  return regroupMerged(c, members);
}

async function pickInStep(c: StepContext, input: PickInput, planned: PlannedReroute | undefined, mergedInto?: string): Promise<void> {
  const f = c.current.fulfillment;
  // Work that cannot be picked any more (it ended meanwhile) says so, rather than that the scan does not match it.
  const closed = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, 'picked', f.number);
  if (closed) throw BusinessError.of(closed);
  const picked = planPick(pickable(c.current), input.lines);
  if (!picked.ok) throw BusinessError.of(picked);
  const note = input.note ? { note: input.note } : {};
  const merged = mergedInto ? { mergedInto } : {};
  const lines = picked.value;
  const short = lines.filter((l) => l.missing > 0);
  const found = lines.map((l) => ({ sku: l.sku, picked: l.picked, ...(l.missing > 0 ? { missing: l.missing } : {}) }));
  if (short.length === 0) {
    for (const l of lines) await recordPickedLine(c.tx, { fulfillmentLineId: l.lineId, allocationId: allocationOf(c, l.lineId), picked: l.picked, missing: 0 }, c.now);
    await advance(c, 'picked', { picked_at: c.now, ...note }, { units: found, ...merged });
    return;
  }
  const nothing = lines.every((l) => l.picked === 0) && !(f.kind === 'pickup' && (await transfersFeeding(c.tx, f.id)) > 0);
  const to: FulfillmentStatus = nothing ? 'cancelled' : 'picked';
  const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, to, f.number);
  if (refused) throw BusinessError.of(refused);
  const plan = await verifyPlanned(c, planned);
  await moveStock(
    c.tx,
    short.map((l) => ({ sku: l.sku, locationId: f.location_id, onHandDelta: -l.missing, reservedDelta: -l.missing, source: allocationOf(c, l.lineId) })),
    'discrepancy',
    c.actor,
    f.number,
  );
  for (const l of lines) await recordPickedLine(c.tx, { fulfillmentLineId: l.lineId, allocationId: allocationOf(c, l.lineId), picked: l.picked, missing: l.missing }, c.now);
  const rerouted = await applyReroute(c, plan);
  const details = { units: found, reason: nothing ? 'nothing_found' : 'short_pick', ...merged };
  await advance(c, to, nothing ? { ended_at: c.now, ...note } : { picked_at: c.now, ...note }, details);
  await recordOutcome(c.tx, f.location_id, 'short_pick', c.now);
  await finishReroute(c, rerouted, f, 'short_pick');
}

function allocationOf(c: StepContext, fulfillmentLineId: string): string {
  return c.current.lines.find((l) => l.id === fulfillmentLineId)!.allocation_id;
}
