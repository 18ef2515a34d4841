import type { Insertable } from 'kysely';
import type { OrderLineTable } from '../../db/schema.js';
import { lineStatusOf } from '../../domain/orders/order-allocation.js';
import { assertTransition, deriveOrderStatus, type LineStatus, type OrderStatus } from '../../domain/orders/order-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { CustomerRow } from '../customers/customer.repository.js';
import type { CheckedOrder } from './check-order.js';
import type { NewAllocation, NewOrderRow } from './order.repository.js';
import type { TakenStock } from './order-sourcing.js';
import type { OrderContact } from './order-view.js';

/**
 * Statuses of a new order: each line from its allocations, the order from its lines, both checked
 * against the lifecycle tables from `pending` (a placed order is never left pending).
 */
export function initialStatuses(lineCount: number, taken: TakenStock): { lines: LineStatus[]; order: OrderStatus } {
  const lines = Array.from({ length: lineCount }, (_, i) => lineStatusOf(taken.allocations.filter((a) => a.lineIndex === i)));
  const order = deriveOrderStatus(lines);
  for (const [i, s] of lines.entries()) {
    const refused = assertTransition('line', 'pending', s, String(i + 1));
    if (refused) throw new Error(refused.message);
  }
  const refused = assertTransition('order', 'pending', order);
  if (refused) throw new Error(refused.message);
  return { lines, order };
}

export function orderRow(
  c: CheckedOrder,
  ids: { id: string; number: string },
  customer: CustomerRow | undefined,
  status: OrderStatus,
  taken: TakenStock,
  actor: Actor,
  at: Date,
): NewOrderRow {
  const { input, totals } = c;
  const contact: OrderContact = {
    ...(input.customer?.email !== undefined ? { email: input.customer.email } : {}),
    ...(input.customer?.phone !== undefined ? { phone: input.customer.phone } : {}),
    ...(input.customer?.name !== undefined ? { name: input.customer.name } : {}),
    ...((input.customer?.locale ?? customer?.locale) ? { locale: (input.customer?.locale ?? customer?.locale)! } : {}),
    ...(customer ? { marketingOptOut: customer.marketing_opt_out } : {}),
  };
  const option = taken.promise?.option;
  return {
    id: ids.id,
    number: ids.number,
    channel_id: input.channel,
    channel_type: c.channelType,
    external_id: input.externalId ?? null,
    customer_id: customer?.id ?? null,
    contact: JSON.stringify(contact),
    currency: input.currency,
    delivery_method: input.delivery.method,
    service: input.delivery.service ?? null,
    address: input.delivery.address ? JSON.stringify(input.delivery.address) : null,
    pickup_location_id: input.delivery.pickupLocationId ?? null,
    origin_store_id: input.origin?.storeId ?? null,
    associate: input.origin?.associate ?? null,
    status,
    subtotal_minor: totals.subtotalMinor,
    discount_minor: totals.discountMinor,
    shipping_minor: totals.shippingMinor,
    total_minor: totals.totalMinor,
    promise_earliest: option ? new Date(option.window.earliest) : null,
    promise_latest: option ? new Date(option.window.latest) : null,
    promise_confidence: option?.confidence ?? null,
    promise_option: option ? JSON.stringify(option) : null,
    promise_token: taken.promise?.token ?? null,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
}

export function lineRows(c: CheckedOrder, orderId: string, statuses: readonly LineStatus[], at: Date): Insertable<OrderLineTable>[] {
  return c.lines.map((l, i) => {
    const t = c.totals.lines[i]!;
    return {
      order_id: orderId,
      position: i + 1,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unit_price_minor: l.unitPriceMinor,
      discount_minor: t.lineDiscountMinor,
      order_discount_minor: t.orderDiscountMinor,
      total_minor: t.totalMinor,
      status: statuses[i]!,
      updated_at: at,
    };
  });
}

export function allocationRows(taken: TakenStock, orderId: string, lineIds: readonly string[], at: Date): NewAllocation[] {
  return taken.allocations.map((a) => ({
    order_id: orderId,
    line_id: lineIds[a.lineIndex]!,
    sku: a.sku,
    location_id: a.locationId,
    quantity: a.quantity,
    status: a.status,
    hold_id: a.holdId,
    reservation_id: a.reservationId,
    transfer: a.transfer,
    carrier: a.carrier ? JSON.stringify(a.carrier) : null,
    departure_date: a.departureDate ?? null,
    pick_day: a.pickDay,
    available_from: a.availableFrom ? new Date(a.availableFrom) : null,
    earliest: a.earliest ?? null,
    latest: a.latest ?? null,
    confidence: a.confidence ?? null,
    created_at: at,
    ended_at: a.status === 'fulfilled' ? at : null,
  }));
}
