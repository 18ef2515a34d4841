import type { Actor } from '../../domain/shared/actor.js';
import type { Result } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import type { OrderDeps } from '../orders/place-order.js';
import { voidingOnFailure } from './exchange-order.js';
import { updateReturn } from './return.repository.js';
import { lockReturn, refuseUnless } from './return-command.js';
import { returnView } from './return-view.js';
import type { RefundReturnInput, ReturnView } from './returns.schemas.js';
import { settleReturn } from './settle-return.js';

/**
 * POST /v1/returns/{id}/refund: settles a received return whose policy does not settle on receipt
 * (refund, store credit or the exchange difference; see settle-return.ts), in one transaction. A store
 * key does it for returns received at its own locations, e.g. at the counter for a web order. A return
 * not received yet, or already settled, is refused (409).
 */
export async function refundReturn(deps: OrderDeps, actor: Actor, id: string, input: RefundReturnInput, key?: string): Promise<Result<ReturnView>> {
  return voidingOnFailure((onAuthorised) =>
    withOptionalIdempotency(deps.db, `POST /v1/returns/${id}/refund ${actor.id}`, key, input, async (tx) => {
      const c = await lockReturn(tx, actor, id, deps.clock.now());
      refuseUnless(c, 'refunded');
      if (input.note) c.current = { ...c.current, ret: await updateReturn(tx, c.current.ret.id, { note: input.note, updated_at: c.now }) };
      await settleReturn(c, deps, onAuthorised);
      return returnView(tx, c.current);
    }),
  );
}
