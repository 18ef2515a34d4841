import type { NewEvent } from '../../db/outbox.js';
import type { ReturnEvent, ReturnEventType } from '../../domain/returns/return-events.js';
import type { DestinationKind, Resolution, ReturnStatus } from '../../domain/returns/return-lifecycle.js';
import type { NewTimelineEntry } from '../orders/order.repository.js';
import type { LoadedReturn } from './return.repository.js';

/** A `return.*` outbox event (src/domain/returns/return-events.ts), on the order's aggregate. */
export function returnEvent(type: ReturnEventType, { ret: r, lines }: LoadedReturn, orderNumber: string, extra: { trackingNumber?: string; reason?: string } = {}): NewEvent {
  const settled = r.settled_at !== null;
  const payload: ReturnEvent = {
    returnId: r.id,
    number: r.number,
    orderId: r.order_id,
    orderNumber,
    status: r.status as ReturnStatus,
    resolution: r.resolution as Resolution,
    destinationKind: r.destination_kind as DestinationKind,
    locationId: r.location_id,
    currency: r.currency,
    lines: lines.map((l) => ({
      returnLineId: l.id,
      orderLineId: l.order_line_id,
      sku: l.sku,
      quantity: l.quantity,
      reason: l.reason,
      ...(l.resellable_quantity !== null ? { resellable: l.resellable_quantity, damaged: l.damaged_quantity ?? 0, missing: l.missing_quantity ?? 0, valueMinor: Number(l.value_minor) } : {}),
    })),
    ...(settled
      ? { refundMinor: Number(r.refund_minor), shippingRefundMinor: Number(r.shipping_refund_minor), creditMinor: Number(r.credit_minor), chargedMinor: Number(r.charged_minor) }
      : {}),
    ...(r.exchange_order_id ? { exchangeOrderId: r.exchange_order_id } : {}),
    ...(r.exchange_outcome ? { exchangeOutcome: r.exchange_outcome } : {}),
    ...extra,
  };
  return { type, aggregateType: 'order', aggregateId: r.order_id, payload };
}

/** A timeline entry of the order a return belongs to (or of its exchange order). */
export function returnEntry(orderId: string, at: Date, actor: string, event: string, r: LoadedReturn['ret'], details: Record<string, unknown> = {}, status?: { from: string | null; to: string }): NewTimelineEntry {
  return {
    order_id: orderId,
    occurred_at: at,
    actor,
    event,
    status_from: status?.from ?? null,
    status_to: status?.to ?? null,
    details: { returnId: r.id, number: r.number, ...details },
  };
}
