import type { NewEvent } from '../../db/outbox.js';
import type { LocationRef, OrderCancelled, OrderConfirmed, OrderEventPayloads, OrderRef, OrderRefunded } from '../../domain/orders/order-events.js';
import type { LineRow, LoadedOrder, LocationFacts, OrderRow } from './order.repository.js';
import type { OrderContact } from './order-view.js';

/** Builds the outbox events of src/domain/orders/order-events.ts (the contract notifications consume). */
export function orderEvent<K extends keyof OrderEventPayloads>(type: K, payload: OrderEventPayloads[K]): NewEvent {
  return { type, aggregateType: 'order', aggregateId: payload.orderId, payload };
}

export function orderRef(o: OrderRow): OrderRef {
  const c = o.contact as OrderContact;
  return {
    orderId: o.id,
    orderNumber: o.number,
    channelId: o.channel_id,
    channelType: o.channel_type as OrderRef['channelType'],
    customer: {
      ...(o.customer_id ? { customerId: o.customer_id } : {}),
      ...(c.email !== undefined ? { email: c.email } : {}),
      ...(c.phone !== undefined ? { phone: c.phone } : {}),
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.locale !== undefined ? { locale: c.locale } : {}),
      ...(c.marketingOptOut !== undefined ? { marketingOptOut: c.marketingOptOut } : {}),
    },
    currency: o.currency,
  };
}

export function locationRef(l: LocationFacts): LocationRef {
  const a = l.address as { line1?: string; postalCode?: string; city?: string; country?: string };
  const address = {
    ...(a.line1 !== undefined ? { line1: a.line1 } : {}),
    ...(a.postalCode !== undefined ? { postalCode: a.postalCode } : {}),
    ...(a.city !== undefined ? { city: a.city } : {}),
    ...(a.country !== undefined ? { country: a.country } : {}),
  };
  return { locationId: l.id, name: l.name, address, timeZone: l.timeZone };
}

export function confirmedPayload({ order: o, lines }: LoadedOrder, places: { pickup?: LocationFacts; origin?: LocationFacts }): OrderConfirmed {
  return {
    ...orderRef(o),
    lines: lines.map((l) => ({ lineId: l.id, sku: l.sku, name: l.name, quantity: l.quantity, unitPriceMinor: l.unit_price_minor, lineTotalMinor: l.total_minor })),
    totals: { subtotalMinor: o.subtotal_minor, discountMinor: o.discount_minor, shippingMinor: o.shipping_minor, totalMinor: o.total_minor },
    delivery: {
      method: o.delivery_method as OrderConfirmed['delivery']['method'],
      ...(o.service ? { service: o.service } : {}),
      ...(places.pickup ? { pickupLocation: locationRef(places.pickup) } : {}),
    },
    ...(o.promise_earliest && o.promise_latest
      ? { promise: { earliest: o.promise_earliest.toISOString(), latest: o.promise_latest.toISOString(), ...(o.promise_confidence !== null ? { confidence: o.promise_confidence } : {}) } }
      : {}),
    ...(o.origin_store_id
      ? { origin: { storeId: o.origin_store_id, ...(o.associate ? { associate: o.associate } : {}), ...(places.origin ? { storeName: places.origin.name } : {}) } }
      : {}),
  };
}

export function cancelledPayload(o: OrderRow, lines: readonly LineRow[], reason: string, partial: boolean): OrderCancelled {
  return {
    ...orderRef(o),
    reason,
    ...(partial ? { partial } : {}),
    lines: lines.map((l) => ({ lineId: l.id, sku: l.sku, name: l.name, quantity: l.quantity })),
  };
}

export function refundedPayload(o: OrderRow, refundId: string, amountMinor: number, reason: string): OrderRefunded {
  return { ...orderRef(o), refundId, amountMinor, reason };
}
