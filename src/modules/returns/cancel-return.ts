import { appendEvents } from '../../db/outbox.js';
import { isCancellable, type LineStatus } from '../../domain/orders/order-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { appendTimeline } from '../orders/order.repository.js';
import type { OrderDeps } from '../orders/place-order.js';
import { loadReturn, lockOrderRow, updateReturn } from './return.repository.js';
import { lockReturn, refuseUnless, type ReturnCommand } from './return-command.js';
import { endExchange } from './end-exchange.js';
import { returnEntry, returnEvent } from './return-payloads.js';
import { returnView } from './return-view.js';
import type { CancelReturnInput, ReturnView } from './returns.schemas.js';

/**
 * POST /v1/returns/{id}/cancel: a requested return will not come (the customer keeps the units); they
 * can be returned again later. An exchange's replacement order is cancelled with it (stock released,
 * payment voided), which is refused (409 exchange_already_shipped) once a location has started on it.
 */
export async function cancelReturn(deps: OrderDeps, actor: Actor, id: string, input: CancelReturnInput, key?: string): Promise<Result<ReturnView>> {
  const cancelled = await withOptionalIdempotency(deps.db, `POST /v1/returns/${id}/cancel ${actor.id}`, key, input, async (tx) => {
    const c = await lockReturn(tx, actor, id, deps.clock.now());
    refuseUnless(c, 'cancelled');
    const exchangeId = c.current.ret.exchange_order_id;
    if (exchangeId) {
      await lockOrderRow(tx, exchangeId);
      const lines = await tx.selectFrom('order_line').select(['id', 'status']).where('order_id', '=', exchangeId).execute();
      const started = lines.filter((l) => l.status !== 'cancelled' && !isCancellable(l.status as LineStatus));
      if (started.length > 0) {
        throw new BusinessError('exchange_already_shipped', 'the replacement order is already being fulfilled: receive the return instead', { exchangeOrderId: exchangeId, lines: started });
      }
    }
    await markCancelled(c, input.reason ?? 'customer_request', input.note);
    return c.current.ret.id;
  });
  if (!cancelled.ok) return cancelled;
  await endExchange(deps, cancelled.value);
  return ok(await returnView(deps.db, (await loadReturn(deps.db, cancelled.value))!));
}

/** Cancels a locked requested return: status, reason, an exchange left to settle (`pending`), timeline and return.cancelled. */
export async function markCancelled(c: ReturnCommand, reason: string, note?: string): Promise<void> {
  const r = c.current.ret;
  const ret = await updateReturn(c.tx, r.id, {
    status: 'cancelled',
    cancel_reason: reason,
    cancelled_at: c.now,
    updated_at: c.now,
    ...(r.exchange_order_id ? { exchange_outcome: 'pending' } : {}),
    ...(note ? { note } : {}),
  });
  c.current = { ret, lines: c.current.lines };
  await appendTimeline(c.tx, [returnEntry(r.order_id, c.now, c.actor.id, 'return.cancelled', ret, { reason }, { from: r.status, to: 'cancelled' })]);
  await appendEvents(c.tx, [returnEvent('return.cancelled', c.current, c.order.order.number, { reason })]);
}
