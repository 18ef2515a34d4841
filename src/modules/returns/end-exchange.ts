import { appendEvents } from '../../db/outbox.js';
import type { ReturnPolicyRules } from '../../domain/returns/return-policy.js';
import { systemActor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { appendTimeline, type NewTimelineEntry } from '../orders/order.repository.js';
import type { OrderDeps } from '../orders/place-order.js';
import { cancelExchangeOrder, chargeExchange, voidingOnFailure, type ExchangePayment } from './exchange-order.js';
import { loadReturn, updateReturn } from './return.repository.js';
import { lockReturn } from './return-command.js';
import { returnEntry, returnEvent } from './return-payloads.js';

const ACTOR = systemActor('return-exchange');

/**
 * Settles the replacement order of a cancelled exchange return (exchange_outcome `pending`): when the
 * units never arrived and the policy says `charge`, the exchange credit is charged on the replacement
 * order with the payment the exchange was given; otherwise the replacement order is cancelled, and if
 * it has already left, charged instead. Without a payment to charge it ends `unsettled` for customer
 * service. Safe to run again after a crash: the cancellation is idempotent per return, and the outcome
 * is written under the return's lock only while still pending (return.exchange_settled).
 */
export async function endExchange(deps: OrderDeps, returnId: string): Promise<void> {
  const loaded = await loadReturn(deps.db, returnId);
  const r = loaded?.ret;
  if (!r || r.exchange_outcome !== 'pending' || !r.exchange_order_id) return;
  const policy = r.policy as unknown as ReturnPolicyRules;
  const charge = r.cancel_reason === 'not_received' && policy.unreturnedExchange === 'charge';
  const notReceived = r.cancel_reason === 'not_received';
  const cancelled =
    !charge &&
    (await cancelExchangeOrder(deps, r.exchange_order_id, r.id, notReceived ? 'other' : 'customer_request', `return ${r.number} ${notReceived ? 'never arrived' : 'was cancelled'}`)) === 'cancelled';
  await voidingOnFailure((onAuthorised) =>
    withOptionalIdempotency(deps.db, 'return-exchange-settlement', undefined, undefined, async (tx) => {
      const c = await lockReturn(tx, ACTOR, returnId, deps.clock.now());
      const current = c.current.ret;
      if (current.exchange_outcome !== 'pending') return;
      const exchangeOrder = await tx.selectFrom('sales_order').selectAll().where('id', '=', r.exchange_order_id!).forUpdate().executeTakeFirstOrThrow();
      const timeline: NewTimelineEntry[] = [];
      const credit = Number(current.exchange_credit_minor);
      // A declined charge is answered before anything is written: the exchange is left unsettled for customer service.
      const charged = cancelled
        ? 0
        : await chargeExchange(tx, deps.payments, ACTOR, c.now, exchangeOrder, current.exchange_payment as ExchangePayment | null, credit, `return ${current.number} not returned`, timeline, onAuthorised).catch((err: unknown) => {
            if (err instanceof BusinessError && err.code === 'payment_declined') return 0;
            throw err;
          });
      const outcome = cancelled ? 'cancelled' : charged > 0 || credit === 0 ? 'charged' : 'unsettled';
      const ret = await updateReturn(tx, current.id, {
        exchange_outcome: outcome,
        charged_minor: charged,
        unsettled_minor: outcome === 'unsettled' ? credit : 0,
        updated_at: c.now,
      });
      c.current = { ret, lines: c.current.lines };
      const details = { exchangeOrderId: exchangeOrder.id, outcome, chargedMinor: charged };
      timeline.push(returnEntry(current.order_id, c.now, ACTOR.id, 'return.exchange_settled', ret, details));
      timeline.push(returnEntry(exchangeOrder.id, c.now, ACTOR.id, `exchange.${outcome}`, ret, details));
      await appendTimeline(tx, timeline);
      await appendEvents(tx, [returnEvent('return.exchange_settled', c.current, c.order.order.number)]);
    }),
  );
}
