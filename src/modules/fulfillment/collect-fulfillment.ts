import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { afterWrongCode, currentGuard, pickupCodeMatches } from '../../domain/fulfillment/pickup-code.js';
import { unitsValue } from '../../domain/orders/unit-value.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { appendTimeline, endAllocations, type NewTimelineEntry } from '../orders/order.repository.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import { authorisePayment, operatePayment, providerOf } from '../payments/record-payment.js';
import { captureForOrder } from './capture-payment.js';
import { advance, lockForStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import { updateFulfillment } from './fulfillment.repository.js';
import type { CollectInput, FulfillmentView } from './fulfillment.schemas.js';
import { fulfillmentView } from './get-fulfillment.js';
import { moveStock } from './stock-moves.js';

/** A wrong code is an answer the transaction commits (the attempt must count), not a rollback. */
type Outcome = { collected: FulfillmentView } | { refused: Failure };

/**
 * POST /v1/fulfillments/{id}/collect: the customer shows the pickup code at the desk.
 *
 * A wrong code answers 422 pickup_code_invalid with the attempts left, and the attempt is recorded
 * (committed, with a timeline row); the `maxPickupCodeAttempts`-th wrong code in a row locks the
 * handover (423 pickup_code_locked) for `pickupLockMinutes`, during which no code is checked. The right
 * code hands the units over: they leave the store's stock ('collection'), their allocations are
 * fulfilled, the fulfillment is `collected` and the order completed. Click & collect captures what is
 * authorised; reserve & collect was not paid online, so the counter's payment (required, else 402
 * payment_required) is authorised and captured for the units handed over. With an Idempotency-Key, a
 * replay answers the first outcome and counts no second attempt.
 */
export async function collectFulfillment(deps: FulfillmentDeps, actor: Actor, id: string, input: CollectInput, key?: string): Promise<Result<FulfillmentView>> {
  const authorised: Array<{ provider: PaymentProvider; reference: string; amountMinor: number; currency: string }> = [];
  let result: Result<Outcome>;
  try {
    result = await withOptionalIdempotency(deps.db, `POST /v1/fulfillments/${id}/collect ${actor.id}`, key, input, async (tx): Promise<Outcome> => {
      const c = await lockForStep(tx, deps, actor, id, 'location');
      const refused = await collect(c, input, (a) => authorised.push(a));
      if (refused) return { refused };
      return { collected: await fulfillmentView(tx, c.current.fulfillment.id, c.now.getTime()) };
    });
  } catch (err) {
    await voidAll(authorised);
    throw err;
  }
  if (!result.ok) {
    await voidAll(authorised);
    return result;
  }
  return 'refused' in result.value ? result.value.refused : ok(result.value.collected);
}

async function collect(c: StepContext, input: CollectInput, onAuthorised: (a: { provider: PaymentProvider; reference: string; amountMinor: number; currency: string }) => void): Promise<Failure | undefined> {
  const f = c.current.fulfillment;
  const { order } = c.order;
  const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, 'collected', f.number);
  if (refused) throw BusinessError.of(refused);
  const payAtCounter = order.delivery_method === 'reserve_and_collect';
  if (payAtCounter && !input.payment) {
    throw new BusinessError('payment_required', `order ${order.number} is reserve & collect: take the payment at the counter and send it with the collection`, { method: order.delivery_method });
  }
  if (!payAtCounter && input.payment) {
    throw new BusinessError('payment_not_allowed', `order ${order.number} was paid online (${order.delivery_method}): send no payment`, { method: order.delivery_method });
  }
  if (input.payment) providerOf(c.deps.payments, input.payment.provider);

  const guard = currentGuard({ attempts: f.pickup_attempts, lockedUntil: f.pickup_locked_until?.getTime() ?? null }, c.now.getTime());
  if (guard.locked) {
    throw new BusinessError('pickup_code_locked', `too many wrong pickup codes: handover locked until ${new Date(guard.lockedUntil!).toISOString()}`, {
      lockedUntil: new Date(guard.lockedUntil!).toISOString(),
    });
  }
  if (f.pickup_code === null || !pickupCodeMatches(f.pickup_code, input.code)) return wrongCode(c, guard);

  const held = c.current.lines.filter((l) => l.allocation_status === 'reserved');
  await moveStock(
    c.tx,
    held.map((l) => ({ sku: l.sku, locationId: f.location_id, onHandDelta: -l.quantity, reservedDelta: -l.quantity, source: l.allocation_id })),
    'collection',
    c.actor,
    f.number,
  );
  await endAllocations(c.tx, held.map((l) => l.allocation_id), 'fulfilled', c.now);
  await advance(
    c,
    'collected',
    { collected_at: c.now, ended_at: c.now, pickup_attempts: 0, pickup_locked_until: null, ...(input.note ? { note: input.note } : {}) },
    { units: held.map((l) => ({ sku: l.sku, quantity: l.quantity })) },
  );

  // Money last: a provider call is outside the transaction, so nothing may fail after it but the commit.
  const timeline: NewTimelineEntry[] = [];
  if (input.payment) {
    const amountMinor = handedOverValue(c, held);
    if (amountMinor > 0) {
      const base = { orderId: order.id, orderNumber: order.number, provider: input.payment.provider, amountMinor, currency: order.currency };
      let row = await authorisePayment(c.tx, c.deps.payments, { ...base, ...(input.payment.reference ? { reference: input.payment.reference } : {}) }, c.actor, c.now, (provider, reference) =>
        onAuthorised({ provider, reference, amountMinor, currency: order.currency }),
      );
      timeline.push(paymentEntry(c, 'payment.authorised', row, amountMinor));
      row = (await operatePayment(c.tx, c.deps.payments, row, 'capture', amountMinor, c.actor, c.now, 'collection')).payment;
      timeline.push(paymentEntry(c, 'payment.captured', row, amountMinor));
    }
  } else {
    await captureForOrder(c.tx, c.deps.payments, order, 'rest', c.actor, c.now, 'collection', timeline);
  }
  await appendTimeline(c.tx, timeline);
  return undefined;
}

async function wrongCode(c: StepContext, guard: { attempts: number; lockedUntil: number | null }): Promise<Failure> {
  const f = c.current.fulfillment;
  const next = afterWrongCode(guard, c.now.getTime(), { maxAttempts: c.settings.maxPickupCodeAttempts, lockMinutes: c.settings.pickupLockMinutes });
  const lockedUntil = next.lockedUntil === null ? null : new Date(next.lockedUntil);
  await updateFulfillment(c.tx, f.id, { pickup_attempts: next.attempts, pickup_locked_until: lockedUntil, updated_at: c.now });
  await appendTimeline(c.tx, [
    {
      order_id: f.order_id,
      occurred_at: c.now,
      actor: c.actor.id,
      event: next.locked ? 'pickup.locked' : 'pickup.code_refused',
      status_from: null,
      status_to: null,
      details: { fulfillmentId: f.id, number: f.number, attempts: next.attempts, attemptsLeft: next.attemptsLeft, ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
    },
  ]);
  if (lockedUntil) {
    return fail('pickup_code_locked', `wrong pickup code, ${next.attempts} times in a row: handover locked until ${lockedUntil.toISOString()}`, { attemptsLeft: 0, lockedUntil: lockedUntil.toISOString() });
  }
  return fail('pickup_code_invalid', `wrong pickup code: ${next.attemptsLeft} attempt(s) left`, { attemptsLeft: next.attemptsLeft });
}

/** What the units handed over are worth: each line's units valued so they add up to the line total. */
function handedOverValue(c: StepContext, held: ReadonlyArray<{ order_line_id: string; quantity: number }>): number {
  let total = 0;
  for (const line of c.order.lines) {
    const units = held.filter((l) => l.order_line_id === line.id).reduce((s, l) => s + l.quantity, 0);
    if (units > 0) total += unitsValue({ quantity: line.quantity, totalMinor: line.total_minor }, 0, units);
  }
  return total + c.order.order.shipping_minor;
}

function paymentEntry(c: StepContext, event: string, row: { provider: string; reference: string; status: string }, amountMinor: number): NewTimelineEntry {
  return {
    order_id: c.order.order.id,
    occurred_at: c.now,
    actor: c.actor.id,
    event,
    status_from: null,
    status_to: null,
    details: { provider: row.provider, reference: row.reference, amountMinor, paymentStatus: row.status, reason: 'collection' },
  };
}

/** An authorisation granted at the counter for a collection that was then not written is given back. */
async function voidAll(authorised: ReadonlyArray<{ provider: PaymentProvider; reference: string; amountMinor: number; currency: string }>): Promise<void> {
  for (const a of authorised) {
    const r = await a.provider.void({ authorisationReference: a.reference, amountMinor: a.amountMinor, currency: a.currency });
    if (!r.ok) throw new Error(`could not void authorisation ${a.reference} at ${a.provider.id}: ${r.message}`);
  }
}
