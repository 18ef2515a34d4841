import type { Selectable } from 'kysely';
import type { OrderTimelineTable } from '../../db/schema.js';
import type { LineStatus, OrderStatus } from '../../domain/orders/order-lifecycle.js';
import type { PaymentView } from '../payments/payment.repository.js';
import type { AllocationRow, LoadedOrder, OrderRow } from './order.repository.js';
import type { DeliveryMethod, OrderSummary, OrderView, TimelineEntry } from './order.schemas.js';

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));

/** The contact as stored with the order (what the customer gave on that channel). */
export interface OrderContact {
  email?: string;
  phone?: string;
  name?: string;
  locale?: string;
  marketingOptOut?: boolean;
}

function allocationView(a: AllocationRow): OrderView['lines'][number]['allocations'][number] {
  return {
    id: a.id,
    locationId: a.location_id,
    quantity: a.quantity,
    status: a.status,
    holdId: a.hold_id,
    reservationId: a.reservation_id,
    transfer: a.transfer,
    carrier: a.carrier,
    departureDate: a.departure_date,
    availableFrom: isoOrNull(a.available_from),
    earliest: a.earliest,
    latest: a.latest,
    confidence: a.confidence,
    fulfillmentId: a.fulfillment_id,
  };
}

export function toOrderView({ order: o, lines, allocations }: LoadedOrder, payments: PaymentView[]): OrderView {
  const contact = o.contact as OrderContact;
  return {
    id: o.id,
    number: o.number,
    channel: o.channel_id,
    channelType: o.channel_type as OrderView['channelType'],
    externalId: o.external_id,
    status: o.status as OrderStatus,
    currency: o.currency,
    customer: {
      customerId: o.customer_id,
      ...(contact.email !== undefined ? { email: contact.email } : {}),
      ...(contact.phone !== undefined ? { phone: contact.phone } : {}),
      ...(contact.name !== undefined ? { name: contact.name } : {}),
      ...(contact.locale !== undefined ? { locale: contact.locale } : {}),
    },
    delivery: { method: o.delivery_method as DeliveryMethod, service: o.service, address: o.address, pickupLocationId: o.pickup_location_id },
    origin: o.origin_store_id ? { storeId: o.origin_store_id, associate: o.associate } : null,
    totals: { subtotalMinor: o.subtotal_minor, discountMinor: o.discount_minor, shippingMinor: o.shipping_minor, totalMinor: o.total_minor },
    promise:
      o.promise_option && o.promise_earliest && o.promise_latest
        ? {
            optionId: String(o.promise_option.optionId),
            earliest: iso(o.promise_earliest),
            latest: iso(o.promise_latest),
            confidence: o.promise_confidence ?? 0,
            token: o.promise_token,
            option: o.promise_option,
          }
        : null,
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPriceMinor: l.unit_price_minor,
      discountMinor: l.discount_minor,
      orderDiscountMinor: l.order_discount_minor,
      totalMinor: l.total_minor,
      status: l.status as LineStatus,
      cancelledQuantity: l.cancelled_quantity,
      allocations: allocations.filter((a) => a.line_id === l.id).map(allocationView),
    })),
    payments,
    createdBy: o.created_by,
    createdAt: iso(o.created_at),
    updatedAt: iso(o.updated_at),
    cancelledAt: isoOrNull(o.cancelled_at),
    cancelReason: o.cancel_reason,
  };
}

export function toOrderSummary(o: OrderRow): OrderSummary {
  return {
    id: o.id,
    number: o.number,
    channel: o.channel_id,
    channelType: o.channel_type,
    externalId: o.external_id,
    status: o.status,
    customerId: o.customer_id,
    email: (o.contact as OrderContact).email ?? null,
    customerName: (o.contact as OrderContact).name ?? null,
    deliveryMethod: o.delivery_method,
    originStoreId: o.origin_store_id,
    pickupLocationId: o.pickup_location_id,
    currency: o.currency,
    totalMinor: o.total_minor,
    promiseLatest: isoOrNull(o.promise_latest),
    createdAt: iso(o.created_at),
  };
}

export function toTimelineEntry(r: Selectable<OrderTimelineTable>): TimelineEntry {
  return {
    at: iso(r.occurred_at),
    actor: r.actor,
    event: r.event,
    statusFrom: r.status_from,
    statusTo: r.status_to,
    lineId: r.line_id,
    details: r.details,
  };
}
