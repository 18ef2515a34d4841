import { systemActor } from '../../domain/shared/actor.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import type { OrderDeps } from '../orders/place-order.js';
import { markCancelled } from './cancel-return.js';
import { endExchange } from './end-exchange.js';
import { dueReturns } from './return.repository.js';
import { lockReturn } from './return-command.js';

const ACTOR = systemActor('return-deadline');
const BATCH = 50;

/**
 * The durable timer of return deadlines (the 'return-deadline' task; the table is the timer): a return
 * still requested at its `return_by` is cancelled (reason not_received, its units returnable again), and
 * its exchange is settled by policy (end-exchange.ts). Under the lock the return must still be requested
 * and overdue, so a receipt at the last second wins. Exchanges a crash left pending are settled again.
 * Returns how many returns were cancelled.
 */
export async function cancelOverdueReturns(deps: OrderDeps, batch = BATCH): Promise<number> {
  let cancelled = 0;
  for (const id of await dueReturns(deps.db, deps.clock.now(), batch)) {
    const result = await withOptionalIdempotency(deps.db, 'return-deadline', undefined, undefined, async (tx) => {
      const c = await lockReturn(tx, ACTOR, id, deps.clock.now());
      const r = c.current.ret;
      if (r.status !== 'requested' || new Date(r.return_by).getTime() > c.now.getTime()) return false;
      await markCancelled(c, 'not_received');
      return true;
    });
    if (result.ok && result.value) cancelled++;
    await endExchange(deps, id);
  }
  return cancelled;
}
