import type { DbOrTx, Tx } from '../../db/database.js';
import type { ServiceLevel } from '../../domain/promise/carriers.js';
import type { ReturnPolicyRules } from '../../domain/returns/return-policy.js';
import { systemActor, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { cancelOrder } from '../orders/cancel-order.js';
import { findProducts, type LocationFacts, type NewTimelineEntry, type OrderRow } from '../orders/order.repository.js';
import type { OrderContact } from '../orders/order-view.js';
import type { CancelOrderInput, OrderView, PlaceOrderInput, ShipAddress } from '../orders/order.schemas.js';
import { placeOrder, type OrderDeps } from '../orders/place-order.js';
import type { PaymentProvider, PaymentProviders } from '../payments/payment-provider.js';
import { authorisePayment, operatePayment } from '../payments/record-payment.js';
import type { ExchangeInput } from './returns.schemas.js';

export interface ExchangePayment {
  provider: string;
  reference?: string;
}

/** The replacement order to place and what it is given off: the value of the units coming back. */
export interface ExchangePlan {
  order: PlaceOrderInput;
  creditMinor: number;
  /** Kept on the return: charged if the policy says so and the units never come back. */
  payment: ExchangePayment | null;
}

/** An authorisation granted during a command whose transaction then failed: given back by the caller. */
export type OnAuthorised = (a: { provider: PaymentProvider; reference: string; amountMinor: number; currency: string }) => void;

/**
 * The exchange's replacement order: the same channel, currency and customer as the original, the
 * replacements at their catalogue price, no delivery fee, and an order discount of the value of the
 * returned units (capped at the replacements' price), so an even exchange costs nothing and a dearer
 * replacement is paid for the difference only (its payment authorised like any order's). Delivered
 * like the original (ship or pickup) unless another delivery is given; taken in the store when the
 * return is made at a counter.
 */
export async function planExchange(
  db: DbOrTx,
  providers: PaymentProviders,
  actor: Actor,
  p: { order: OrderRow; input: ExchangeInput; returnedValueMinor: number; rules: ReturnPolicyRules; destination: { kind: string; location: LocationFacts } },
): Promise<Result<ExchangePlan>> {
  const { order, input } = p;
  const delivery = input.delivery ?? originalDelivery(order);
  if (!delivery) return fail('exchange_invalid', `order ${order.number} was ${order.delivery_method}: give exchange.delivery (ship or pickup)`, { method: order.delivery_method });
  const products = await findProducts(db, input.lines.map((l) => l.sku));
  const subtotal = input.lines.reduce((s, l) => s + l.quantity * (products.get(l.sku)?.prices[order.currency] ?? 0), 0);
  const creditMinor = Math.min(p.returnedValueMinor, subtotal);
  const payment = input.payment ?? null;
  if (payment && !providers.has(payment.provider)) return fail('unknown_payment_provider', `no payment provider ${payment.provider}`, { provider: payment.provider, known: [...providers.keys()] });
  const toPay = subtotal - creditMinor;
  if (!payment && (toPay > 0 || p.rules.unreturnedExchange === 'charge')) {
    return fail('exchange_payment_required', toPay > 0 ? `the replacements cost ${toPay} more than the units returned: give exchange.payment` : 'this policy charges an exchange whose return never arrives: give exchange.payment', {
      differenceMinor: Math.max(0, toPay),
      unreturnedExchange: p.rules.unreturnedExchange,
    });
  }
  const contact = order.contact as OrderContact;
  const customer = {
    ...(contact.email !== undefined ? { email: contact.email } : {}),
    ...(contact.phone !== undefined ? { phone: contact.phone } : {}),
    ...(contact.name !== undefined ? { name: contact.name } : {}),
    ...(contact.locale !== undefined ? { locale: contact.locale } : {}),
  };
  const atCounter = p.destination.kind === 'store' || actor.role === 'store';
  const originStore = atCounter ? p.destination.location.id : order.channel_type === 'pos' ? order.origin_store_id : null;
  const placed: PlaceOrderInput = {
    channel: order.channel_id,
    currency: order.currency,
    ...(customer.email || customer.phone ? { customer } : {}),
    lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    delivery: delivery as PlaceOrderInput['delivery'],
    ...(originStore ? { origin: { storeId: originStore } } : {}),
    ...(creditMinor > 0 ? { discountMinor: creditMinor } : {}),
    shippingMinor: 0,
    ...(payment && toPay > 0 ? { payment: { provider: payment.provider, ...(payment.reference ? { reference: payment.reference } : {}) } } : {}),
  };
  return ok({ order: placed, creditMinor, payment });
}

function originalDelivery(o: OrderRow): ExchangeInput['delivery'] | undefined {
  if (o.delivery_method === 'ship' && o.service && o.address) return { method: 'ship', service: o.service as ServiceLevel, address: o.address as ShipAddress };
  if (o.delivery_method === 'pickup' && o.pickup_location_id) return { method: 'pickup', pickupLocationId: o.pickup_location_id };
  return undefined;
}

/**
 * Places the replacement order through the orders use case, so it is sourced like any order and its
 * units are reserved now, before the return arrives. `key` makes a retried return place it once.
 */
export async function placeExchange(deps: OrderDeps, actor: Actor, plan: ExchangePlan, key: string): Promise<Result<OrderView>> {
  const placed = await placeOrder(deps, actor, plan.order, `return-exchange:${key}`);
  return placed.ok ? ok(placed.value.body) : placed;
}

const EXCHANGE_ACTOR = systemActor('return-exchange');

/**
 * Cancels the replacement order of a return that will not come (or was refused), through the cancel
 * use case (stock released, payment voided). Idempotent per return. 'refused' when the replacement is
 * already being fulfilled or has left.
 */
export async function cancelExchangeOrder(deps: OrderDeps, exchangeOrderId: string, returnKey: string, reason: NonNullable<CancelOrderInput['reason']>, note: string): Promise<'cancelled' | 'refused'> {
  const result = await cancelOrder(deps, EXCHANGE_ACTOR, exchangeOrderId, { reason, note }, `return-exchange-cancel:${returnKey}`);
  if (result.ok) return 'cancelled';
  if (result.code === 'invalid_transition') {
    const status = (await deps.db.selectFrom('sales_order').select('status').where('id', '=', exchangeOrderId).executeTakeFirst())?.status;
    return status === 'cancelled' ? 'cancelled' : 'refused';
  }
  throw new Error(`cancelling exchange order ${exchangeOrderId} failed: ${result.code} ${result.message}`);
}

/**
 * Charges the customer on the replacement order (authorised and captured at once with the payment the
 * exchange was given), in the caller's transaction; returns what was charged (0 without a payment).
 */
export async function chargeExchange(
  tx: Tx,
  providers: PaymentProviders,
  actor: Actor,
  now: Date,
  exchangeOrder: OrderRow,
  payment: ExchangePayment | null,
  amountMinor: number,
  reason: string,
  timeline: NewTimelineEntry[],
  onAuthorised: OnAuthorised,
): Promise<number> {
  if (!payment || amountMinor <= 0) return 0;
  const req = { orderId: exchangeOrder.id, orderNumber: exchangeOrder.number, provider: payment.provider, amountMinor, currency: exchangeOrder.currency, ...(payment.reference ? { reference: payment.reference } : {}) };
  let row = await authorisePayment(tx, providers, req, actor, now, (provider, reference) => onAuthorised({ provider, reference, amountMinor, currency: exchangeOrder.currency }));
  row = (await operatePayment(tx, providers, row, 'capture', amountMinor, actor, now, reason)).payment;
  timeline.push({
    order_id: exchangeOrder.id,
    occurred_at: now,
    actor: actor.id,
    event: 'payment.captured',
    status_from: null,
    status_to: null,
    details: { provider: row.provider, reference: row.reference, amountMinor, paymentStatus: row.status, reason },
  });
  return amountMinor;
}

/**
 * Runs a command that may authorise a payment (a charge on an exchange) and gives every authorisation
 * back when the command then fails or refuses: the provider call happened, the transaction did not.
 */
export async function voidingOnFailure<T>(run: (onAuthorised: OnAuthorised) => Promise<Result<T>>): Promise<Result<T>> {
  const authorised: Array<Parameters<OnAuthorised>[0]> = [];
  const giveBack = async () => {
    for (const a of authorised) {
      const r = await a.provider.void({ authorisationReference: a.reference, amountMinor: a.amountMinor, currency: a.currency });
      if (!r.ok) throw new Error(`could not void authorisation ${a.reference} at ${a.provider.id}: ${r.message}`);
    }
  };
  try {
    const result = await run((a) => authorised.push(a));
    if (!result.ok) await giveBack();
    return result;
  } catch (err) {
    await giveBack();
    throw err;
  }
}
