import type { DbOrTx } from '../../db/database.js';
import type { FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { byOrderAge } from '../../domain/fulfillment/merged-pick.js';
import { BusinessError } from '../../domain/shared/result.js';
import { loadOrder } from '../orders/order.repository.js';
import type { FulfillmentDeps, StepContext } from './fulfillment-step.js';
import { loadFulfillment } from './fulfillment.repository.js';
import { ageOf, isOpen, memberSteps } from './merged-work.js';
import { NOTHING_TAKEN, planStep, takenAfter, type PlannedReroute, type RerouteUnit, type Seen, type Taken } from './reroute.js';
import { mergedInto } from './release.repository.js';

/**
 * Re-routing the units of a merged parcel (merge-shipments.ts) that a location could not give: a short
 * pick or a rejection of the lead concerns every order in the parcel, each re-sourced on its own exactly
 * as its own short pick or rejection would be (its delivery, its exclusions, backorder or cancellation).
 */

/** Where each fulfillment's units go, by fulfillment id; the merged work planned for, to check under the lock. */
export interface MergedReroutes {
  planned: Map<string, PlannedReroute | undefined>;
  memberIds: string[];
}

/** The open work merged into `lead`, each with its order, as it is now (no locks): plan before the transaction. */
export async function seeMembers(db: DbOrTx, lead: Seen['current']): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const m of (await mergedInto(db, lead.fulfillment.id)).filter(isOpen)) {
    const current = await loadFulfillment(db, m.id);
    const order = await loadOrder(db, m.order_id);
    if (current && order) out.push({ current, order });
  }
  return out;
}

/**
 * Plans every fulfillment's units (the lead is `works[0]`), oldest order first: each plan counts the
 * stock and the pick capacity the older orders' plans will take as gone, so when the network has fewer
 * units (or a location fewer picks left) than the parcel lost, the oldest orders get them and the
 * newest go elsewhere, are backordered or cancelled (rather than every plan counting on the same units
 * and the step failing on them).
 */
export async function planMergedReroutes(deps: FulfillmentDeps, works: ReadonlyArray<{ seen: Seen; to: FulfillmentStatus; units: readonly RerouteUnit[] }>): Promise<MergedReroutes> {
  const planned = new Map<string, PlannedReroute | undefined>();
  let taken: Taken = NOTHING_TAKEN;
  for (const w of [...works].sort((a, b) => byOrderAge(ageOf(a.seen), ageOf(b.seen)))) {
    if (w.units.length === 0) {
      planned.set(w.seen.current.fulfillment.id, undefined);
      continue;
    }
    const plan = await planStep(deps, w.seen, w.to, w.units, false, taken);
    planned.set(w.seen.current.fulfillment.id, plan);
    taken = takenAfter(taken, plan?.plan);
  }
  return { planned, memberIds: works.slice(1).map((w) => w.seen.current.fulfillment.id) };
}

/**
 * Inside the step's transaction: the merged work, locked (orders, then fulfillments) before the lead's
 * step writes anything, must be the work that was planned for; otherwise `fulfillment_changed` rolls the
 * step back and it is planned again.
 */
export async function lockPlannedMembers(c: StepContext, reroutes: Pick<MergedReroutes, 'memberIds'>): Promise<StepContext[]> {
  const members = await memberSteps(c);
  const ids = (list: readonly string[]) => JSON.stringify([...list].sort());
  if (ids(members.map((m) => m.current.fulfillment.id)) !== ids(reroutes.memberIds)) {
    throw new BusinessError('fulfillment_changed', `the work merged into fulfillment ${c.current.fulfillment.number} changed meanwhile; try again`);
  }
  return members;
}
