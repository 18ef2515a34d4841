import type { Actor } from '../../domain/shared/actor.js';
import type { Result } from '../../domain/shared/result.js';
import { advance, runStep, type FulfillmentDeps } from './fulfillment-step.js';
import type { AcceptInput, FulfillmentView } from './fulfillment.schemas.js';

/** POST /v1/fulfillments/{id}/accept: the location takes the work on; its lines are now being fulfilled. */
export async function acceptFulfillment(deps: FulfillmentDeps, actor: Actor, id: string, input: AcceptInput, key?: string): Promise<Result<FulfillmentView>> {
  return runStep(deps, actor, id, input, key, { step: 'accept' }, (c) =>
    advance(c, 'accepted', { accepted_at: c.now, ...(input.note ? { note: input.note } : {}) }, input.note ? { note: input.note } : {}),
  );
}
