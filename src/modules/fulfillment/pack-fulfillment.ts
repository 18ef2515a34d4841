import type { Actor } from '../../domain/shared/actor.js';
import type { Result } from '../../domain/shared/result.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { FulfillmentView, PackInput, Parcel } from './fulfillment.schemas.js';

/**
 * POST /v1/fulfillments/{id}/pack: the picked units are in their parcels (weights, sizes); a shipment or
 * a transfer is then ready to ship. A pickup is handed over as it is, never packed (invalid_transition).
 */
export async function packFulfillment(deps: FulfillmentDeps, actor: Actor, id: string, input: PackInput, key?: string): Promise<Result<FulfillmentView>> {
  return runStep(deps, actor, id, input, key, { step: 'pack', members: packMerged }, (c) => pack(c, input.parcels, input.note));
}

/** Work merged into the packed lead is in the lead's parcels: packed with none of its own. */
export async function packMerged(m: StepContext, lead: StepContext): Promise<void> {
  await advance(m, 'packed', { packed_at: m.now, parcels: '[]' }, { mergedInto: lead.current.fulfillment.number, parcels: 0 });
}

/** Packs inside a step (the ship step packs first when parcels come with it). */
export async function pack(c: StepContext, parcels: readonly Parcel[], note?: string): Promise<void> {
  const weightGrams = parcels.reduce((s, p) => s + p.weightGrams, 0);
  await advance(c, 'packed', { packed_at: c.now, parcels: JSON.stringify(parcels), ...(note ? { note } : {}) }, { parcels: parcels.length, weightGrams });
}
