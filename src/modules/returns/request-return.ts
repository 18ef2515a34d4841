import crypto from 'node:crypto';
import type { Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { checkReturnLines } from '../../domain/returns/returnable.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import type { CarrierAdapters } from '../fulfillment/carrier-adapter.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { appendTimeline, loadOrder, type NewTimelineEntry } from '../orders/order.repository.js';
import type { OrderView } from '../orders/order.schemas.js';
import type { OrderDeps } from '../orders/place-order.js';
import { idempotencyKeyReused, requestHash, storedIdempotentResponse } from '../reservations/idempotency.repository.js';
import { cancelExchangeOrder, placeExchange } from './exchange-order.js';
import { planReturn, type ReturnPlan } from './plan-return.js';
import { insertReturn, lockOrderRow, nextReturnNumber } from './return.repository.js';
import { loadReturnFacts } from './return-facts.js';
import { printReturnLabel } from './return-label.js';
import { returnEntry, returnEvent } from './return-payloads.js';
import { returnView } from './return-view.js';
import type { RequestReturnInput, ReturnView } from './returns.schemas.js';

export interface ReturnDeps extends OrderDeps {
  /** Carrier adapters that print return labels (the same ones as shipping labels). */
  labels: CarrierAdapters;
}

/**
 * POST /v1/returns: a return for any order from any channel, taken anywhere. Checked first without
 * writing (plan-return.ts); an exchange's replacement order is then placed through the orders use case,
 * so its units are reserved at once; then ONE transaction (idempotent with an Idempotency-Key) locks the
 * order, checks the lines again against fresh figures (a concurrent return of the same units loses
 * here), writes the return and its lines, prints the label of a return by mail, and records
 * `return.requested` on the order's timeline and in the outbox. If that transaction refuses, the
 * replacement order is cancelled again (explicit compensation: it was its own command).
 */
export async function requestReturn(deps: ReturnDeps, actor: Actor, input: RequestReturnInput, key?: string): Promise<Result<ReturnView>> {
  const scope = `POST /v1/returns ${actor.id}`;
  if (key !== undefined) {
    const stored = await storedIdempotentResponse(deps.db, scope, key);
    if (stored) return stored.requestHash === requestHash(input) ? ok(stored.body as ReturnView) : idempotencyKeyReused();
  }
  const now = deps.clock.now();
  const planned = await planReturn(deps.db, deps.payments, actor, input, now);
  if (!planned.ok) return planned;
  const plan = planned.value;
  const attempt = key ?? crypto.randomUUID();
  let exchange: OrderView | undefined;
  if (plan.exchange) {
    const placed = await placeExchange(deps, actor, plan.exchange, `${actor.id}:${attempt}`);
    if (!placed.ok) return placed;
    exchange = placed.value;
  }
  const number = await nextReturnNumber(deps.db, now.getUTCFullYear());
  const compensate = async () => {
    if (exchange) await cancelExchangeOrder(deps, exchange.id, attempt, 'other', 'the return it replaces was refused');
  };
  try {
    const result = await withOptionalIdempotency(deps.db, scope, key, input, (tx) => writeReturn(tx, deps, actor, input, plan, number, exchange, now));
    if (!result.ok) await compensate();
    return result;
  } catch (err) {
    await compensate();
    throw err;
  }
}

async function writeReturn(tx: Tx, deps: ReturnDeps, actor: Actor, input: RequestReturnInput, plan: ReturnPlan, number: string, exchange: OrderView | undefined, now: Date): Promise<ReturnView> {
  const { order } = plan.facts.loaded;
  await lockOrderRow(tx, order.id);
  const loaded = await loadOrder(tx, order.id);
  if (!loaded) throw new Error(`order ${order.id} vanished inside its transaction`);
  const fresh = await loadReturnFacts(tx, loaded);
  const checked = checkReturnLines(fresh.lines, input.lines, now.getTime(), plan.policy.rules.windowDays);
  if (!checked.ok) throw BusinessError.of(checked);

  const { rules, scope } = plan.policy;
  const ret = await insertReturn(
    tx,
    {
      number,
      order_id: order.id,
      channel_id: plan.channel,
      destination_kind: plan.destination.kind,
      location_id: plan.destination.location.id,
      destination_reason: plan.destination.proposal ? JSON.stringify(plan.destination.proposal) : null,
      resolution: input.resolution,
      status: 'requested',
      currency: order.currency,
      policy: JSON.stringify({ ...rules, scope }),
      return_by: new Date(now.getTime() + rules.arrivalDays * 86_400_000),
      exchange_order_id: exchange?.id ?? null,
      exchange_credit_minor: plan.exchange?.creditMinor ?? 0,
      exchange_payment: plan.exchange?.payment ? JSON.stringify(plan.exchange.payment) : null,
      note: input.note ?? null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    },
    input.lines.map((l) => ({ order_line_id: l.lineId, sku: loaded.lines.find((x) => x.id === l.lineId)!.sku, quantity: l.quantity, reason: l.reason, note: l.note ?? null })),
  );
  const units = ret.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
  const label = plan.carrier ? await printReturnLabel(tx, deps.labels, plan.carrier, ret.ret, order, plan.destination.location, units, now) : undefined;

  const timeline: NewTimelineEntry[] = [
    returnEntry(order.id, now, actor.id, 'return.requested', ret.ret, {
      resolution: input.resolution,
      destination: { kind: plan.destination.kind, locationId: plan.destination.location.id, ...(plan.destination.proposal ? { proposal: plan.destination.proposal } : {}) },
      lines: ret.lines.map((l) => ({ lineId: l.order_line_id, sku: l.sku, quantity: l.quantity, reason: l.reason })),
      returnBy: new Date(ret.ret.return_by).toISOString(),
      ...(label ? { trackingNumber: label.trackingNumber } : {}),
      ...(exchange ? { exchangeOrderId: exchange.id, exchangeOrderNumber: exchange.number } : {}),
    }, { from: null, to: 'requested' }),
  ];
  if (exchange) {
    timeline.push(returnEntry(exchange.id, now, actor.id, 'exchange.created', ret.ret, { originalOrderId: order.id, originalOrderNumber: order.number, creditMinor: plan.exchange!.creditMinor }));
  }
  await appendTimeline(tx, timeline);
  await appendEvents(tx, [returnEvent('return.requested', ret, order.number, label ? { trackingNumber: label.trackingNumber } : {})]);
  return returnView(tx, ret);
}
