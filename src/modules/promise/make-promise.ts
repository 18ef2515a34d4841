import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import { claimIdempotencyKey, idempotencyKeyReused, requestHash, storedIdempotentResponse, storeIdempotentResponse } from '../reservations/idempotency.repository.js';
import { computePromiseFor, type PromiseDeps } from './compute-promise.js';
import { holdOption } from './promise-holds.js';
import type { PromiseRequest, PromiseResponse } from './promise.schemas.js';

export interface PromiseOutcome {
  statusCode: number;
  body: PromiseResponse;
}

/**
 * POST /v1/promise. Without `hold` it only reads: a quote, from the polled inputs while they are recent
 * (quote-inputs.ts). With `hold`, the inputs are read fresh and the chosen option is recomputed and held
 * in one transaction (idempotent with an Idempotency-Key); when the in-memory ATP was a moment behind and
 * the stock is gone, the view is refreshed and the promise made again once, against fresh stock.
 */
export async function makePromise(deps: PromiseDeps, actor: Actor, req: PromiseRequest, idempotencyKey?: string): Promise<Result<PromiseOutcome>> {
  const scope = `POST /v1/promise ${actor.id}`;
  if (req.hold && idempotencyKey !== undefined) {
    // A replay answers what was held, before recomputing: the option is no longer free precisely because it was held.
    const stored = await storedIdempotentResponse(deps.db, scope, idempotencyKey);
    if (stored && stored.requestHash !== requestHash(req)) return idempotencyKeyReused();
    if (stored) return ok({ statusCode: stored.statusCode, body: stored.body as PromiseResponse });
  }
  for (let attempt = 0; ; attempt++) {
    const computed = await computePromiseFor(deps, req, { quote: !req.hold });
    if (!computed.ok) return computed;
    const { response, result, snapshot } = computed.value;
    if (!req.hold) return ok({ statusCode: 200, body: response });
    const optionId = req.hold.optionId;
    const option = result.options.find((o) => o.optionId === optionId);
    if (!option) {
      const absent = result.unavailable.find((u) => u.optionId === optionId);
      return fail('option_unavailable', absent ? `option ${optionId} is not available` : `no option ${optionId} for this cart`, {
        optionId,
        reasons: absent?.reasons ?? [],
        available: result.options.map((o) => o.optionId),
      });
    }
    try {
      const outcome = await deps.db.transaction().execute(async (tx) => {
        if (idempotencyKey !== undefined) {
          const claim = await claimIdempotencyKey(tx, scope, idempotencyKey, requestHash(req));
          if (claim.kind === 'reused') throw BusinessError.of(idempotencyKeyReused());
          if (claim.kind === 'replay') return { statusCode: claim.statusCode, body: claim.body as PromiseResponse };
        }
        const hold = await holdOption(tx, deps.clock.now(), actor, req, option, snapshot.sitesById, snapshot.settings.holdTtlSeconds);
        const body = { ...response, hold };
        if (idempotencyKey !== undefined) await storeIdempotentResponse(tx, scope, idempotencyKey, 201, body);
        return { statusCode: 201, body };
      });
      // The hold moved pick loads and held stock: the next quotes of this process read them fresh.
      deps.data.quotes.invalidate();
      return ok(outcome);
    } catch (err) {
      if (!(err instanceof BusinessError)) throw err;
      if (err.code === 'insufficient_stock' && attempt === 0) {
        await deps.availability.refresh();
        continue;
      }
      return err.toFailure();
    }
  }
}
