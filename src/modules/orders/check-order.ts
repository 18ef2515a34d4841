import type { Db } from '../../db/database.js';
import type { OrderRef } from '../../domain/orders/order-events.js';
import { computeTotals, type OrderTotals } from '../../domain/orders/order-totals.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import type { PaymentProviders } from '../payments/payment-provider.js';
import { orderFactsOf } from './order-facts.js';
import { orderNumber as orderNumberOf, type LocationFacts } from './order.repository.js';
import type { FulfillmentSettings } from '../fulfillment/fulfillment-settings.schemas.js';
import type { PlaceOrderInput } from './order.schemas.js';
import type { CustomerRow } from '../customers/customer.repository.js';
import type { StoredAnswer } from '../reservations/idempotency.repository.js';

export type OrderChannelType = OrderRef['channelType'];

export interface CheckedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
}

/** An order request that passed every check that needs no stock: what the transaction writes from. */
export interface CheckedOrder {
  input: PlaceOrderInput;
  channelType: OrderChannelType;
  lines: CheckedLine[];
  totals: OrderTotals;
  pickup?: LocationFacts;
  origin?: LocationFacts;
  /** The order's number, taken with its facts (a request refused later leaves a gap). */
  orderNumber: string;
  /** The fulfillment settings its new work is created with. */
  fulfillmentSettings: FulfillmentSettings;
  /** The customer the contact names, as read with the facts (undefined: new, or no contact). */
  knownCustomer?: CustomerRow;
}

const invalid = (message: string, details: Record<string, unknown>) => fail('invalid_delivery', message, details);

/**
 * Checks an order request against master data before any stock is touched: channel, products and
 * prices, the delivery method's fields, the POS origin (a store key orders only for its own stores),
 * the customer contact, the payment, and the server-computed totals. All problems of a kind at once.
 * A request whose Idempotency-Key already has a committed answer gets that answer instead (`stored`),
 * read with the facts: a replay is answered even if its products or stock changed since.
 */
export async function checkOrder(
  db: Db,
  actor: Actor,
  input: PlaceOrderInput,
  providers: PaymentProviders,
  now: Date,
  idempotency: { scope: string; key: string },
): Promise<Result<CheckedOrder> | { stored: StoredAnswer }> {
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const { delivery } = input;
  const named = [delivery.pickupLocationId, input.origin?.storeId].filter((id): id is string => id !== undefined);
  const ask = { channelId: input.channel, skus, locationIds: named, contact: input.customer, idempotency };
  const { channel, products, locations, orderSequence, fulfillmentSettings, customer, storedAnswer } = await orderFactsOf(db, ask);
  if (storedAnswer) return { stored: storedAnswer };
  const pickup = delivery.pickupLocationId ? locations.get(delivery.pickupLocationId) : undefined;
  const origin = input.origin ? locations.get(input.origin.storeId) : undefined;
  if (!channel) return fail('unknown_channel', `no channel ${input.channel}`, { channel: input.channel });
  if (!channel.active) return fail('channel_inactive', `channel ${input.channel} is not selling`, { channel: input.channel });
  const unknown = skus.filter((s) => !products.get(s)?.active);
  if (unknown.length > 0) return fail('unknown_sku', 'these SKUs are not active products', { skus: unknown });

  const unpriced: string[] = [];
  const lines: CheckedLine[] = input.lines.map((l) => {
    const product = products.get(l.sku)!;
    const price = l.unitPriceMinor ?? product.prices[input.currency];
    if (price === undefined) unpriced.push(l.sku);
    return { sku: l.sku, name: product.name, quantity: l.quantity, unitPriceMinor: price ?? 0, discountMinor: l.discountMinor ?? 0 };
  });
  if (unpriced.length > 0) return fail('price_missing', `no unit price given and no ${input.currency} price in the catalogue`, { skus: unpriced, currency: input.currency });
  const totals = computeTotals(lines, { orderDiscountMinor: input.discountMinor ?? 0, shippingMinor: input.shippingMinor ?? 0 });
  if (!totals.ok) return totals;

  const channelType = channel.type as OrderChannelType;
  const problem =
    checkDelivery(input, channelType, pickup) ??
    checkOrigin(actor, input, channelType, origin) ??
    checkContact(input, channelType) ??
    checkPayment(input, totals.value.totalMinor, providers);
  if (problem) return problem;
  const orderNumber = orderNumberOf(now.getUTCFullYear(), orderSequence);
  return ok({ input, channelType, lines, totals: totals.value, ...(pickup ? { pickup } : {}), ...(origin ? { origin } : {}), orderNumber, fulfillmentSettings, ...(customer ? { knownCustomer: customer } : {}) });
}

function checkDelivery(input: PlaceOrderInput, channelType: OrderChannelType, pickup: LocationFacts | undefined) {
  const { method, service, address, pickupLocationId } = input.delivery;
  if (input.promiseToken && input.reservationId) {
    return fail('source_conflict', 'give a promiseToken or a reservationId, not both', { promiseToken: input.promiseToken, reservationId: input.reservationId });
  }
  if (method === 'ship') {
    if (!service || !address) return invalid('ship needs a service (standard, express, same_day) and an address with postalCode and country', { method, missing: [...(service ? [] : ['service']), ...(address ? [] : ['address'])] });
    if (pickupLocationId) return invalid('ship takes no pickupLocationId', { method });
    return undefined;
  }
  if (service || address) return invalid(`${method} takes no service or address`, { method });
  if (method === 'carry_out') {
    if (channelType !== 'pos') return invalid('carry_out is a sale at the counter: only on a pos channel', { method, channelType });
    if (pickupLocationId || input.promiseToken || input.reservationId) return invalid('carry_out takes the goods from the origin store at once: no pickup store, promise or reservation', { method });
    return undefined;
  }
  if (!pickupLocationId) return invalid(`${method} needs a pickupLocationId`, { method, missing: ['pickupLocationId'] });
  if (!pickup || !pickup.active || pickup.type !== 'store' || !pickup.capabilities.includes('pickup')) {
    return invalid(`${pickupLocationId} is not an active pickup store`, { method, pickupLocationId });
  }
  return undefined;
}

function checkOrigin(actor: Actor, input: PlaceOrderInput, channelType: OrderChannelType, origin: LocationFacts | undefined) {
  if (!input.origin) {
    if (channelType === 'pos' || actor.role === 'store') return fail('origin_required', 'an order taken in a store names its origin store (and associate)', { channelType });
    return undefined;
  }
  if (!origin || origin.type !== 'store') return fail('origin_required', `${input.origin.storeId} is not a store`, { storeId: input.origin.storeId });
  if (!canAccessLocation(actor, origin.id)) return fail('origin_out_of_scope', `this key may not take orders for ${origin.id}`, { storeId: origin.id });
  return undefined;
}

function checkContact(input: PlaceOrderInput, channelType: OrderChannelType) {
  const c = input.customer;
  if (c && !c.email && !c.phone) return fail('customer_required', 'a customer needs an e-mail or a phone', { fields: ['email', 'phone'] });
  // A counter sale may stay anonymous; every other order must be able to reach its customer.
  if (!c && channelType !== 'pos') return fail('customer_required', 'give the customer (an e-mail or a phone)', { channelType });
  return undefined;
}

function checkPayment(input: PlaceOrderInput, totalMinor: number, providers: PaymentProviders) {
  const p = input.payment;
  if (!p) return undefined;
  if (input.delivery.method === 'reserve_and_collect') return fail('payment_not_allowed', 'reserve & collect is paid in store at pickup: send no payment', {});
  if (!providers.has(p.provider)) return fail('unknown_payment_provider', `no payment provider ${p.provider}`, { provider: p.provider, known: [...providers.keys()] });
  if (p.amountMinor !== undefined && p.amountMinor !== totalMinor) {
    return fail('payment_amount_mismatch', `the payment authorises ${p.amountMinor} but the order total is ${totalMinor}`, { amountMinor: p.amountMinor, totalMinor });
  }
  return undefined;
}
