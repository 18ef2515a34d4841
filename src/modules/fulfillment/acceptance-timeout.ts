import { systemActor } from '../../domain/shared/actor.js';
import { ok } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { lockForStep, type FulfillmentDeps } from './fulfillment-step.js';
import { planRejection, rejectInStep } from './reject-fulfillment.js';
import { seeFulfillment, withRerouteRetries } from './reroute.js';
import { dueAcceptances, lockOrderUnlessBusy } from './reroute.repository.js';

const ACTOR = systemActor('acceptance-timeout');

/**
 * The durable timer of acceptance deadlines (run by the 'fulfillment-acceptance-timeout' task): every
 * pending fulfillment past its `accept_by` is rejected with reason `timeout` through the same path as a
 * location's rejection (its units re-routed elsewhere, the location's reliability lowered), one
 * transaction each. The order row is taken with SKIP LOCKED, so several Ordo processes share the work
 * and an order another transaction is busy with waits for the next run; under the lock the fulfillment
 * must still be pending and overdue (an associate accepting it at the last second wins). Returns how
 * many fulfillments were re-routed.
 */
export async function rerouteUnacceptedFulfillments(deps: FulfillmentDeps, batchSize = 50): Promise<number> {
  let rerouted = 0;
  for (const due of await dueAcceptances(deps.db, deps.clock.now(), batchSize)) {
    const result = await withRerouteRetries(deps, async () => {
      const seen = await seeFulfillment(deps.db, ACTOR, due.id);
      if (!seen.ok) return seen;
      if (seen.value.current.fulfillment.status !== 'pending') return ok(false);
      const planned = await planRejection(deps, seen.value);
      return withOptionalIdempotency(deps.db, 'acceptance-timeout', undefined, undefined, async (tx) => {
        if (!(await lockOrderUnlessBusy(tx, due.orderId))) return false;
        const c = await lockForStep(tx, deps, ACTOR, due.id, 'location');
        const f = c.current.fulfillment;
        if (f.status !== 'pending' || f.accept_by === null || f.accept_by.getTime() > c.now.getTime()) return false;
        await rejectInStep(c, { reason: 'timeout', note: `not accepted by ${f.accept_by.toISOString()}` }, planned);
        return true;
      });
    });
    if (result.ok && result.value) rerouted++;
  }
  return rerouted;
}
