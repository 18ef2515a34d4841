import type { Actor } from '../../domain/shared/actor.js';
import type { Result } from '../../domain/shared/result.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { AcceptInput, FulfillmentView } from './fulfillment.schemas.js';

/** POST /v1/fulfillments/{id}/accept: the location takes the work on; its lines are now being fulfilled. */
export async function acceptFulfillment(deps: FulfillmentDeps, actor: Actor, id: string, input: AcceptInput, key?: string): Promise<Result<FulfillmentView>> {
  const members = (m: StepContext, lead: StepContext) => advance(m, 'accepted', { accepted_at: m.now }, { mergedInto: lead.current.fulfillment.number });
  return runStep(deps, actor, id, input, key, { step: 'accept', members }, (c) =>
    advance(c, 'accepted', { accepted_at: c.now, ...(input.note ? { note: input.note } : {}) }, input.note ? { note: input.note } : {}),
  );
}
