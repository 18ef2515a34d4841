import { localDateOf, atLocalTime, addDays } from '../../domain/promise/calendar.js';
import { queuePriority } from '../../domain/fulfillment/queue-priority.js';
import type { OrderRow } from '../orders/order.repository.js';
import type { OrderContact } from '../orders/order-view.js';
import type { FulfillmentLineState, FulfillmentRow } from './fulfillment.repository.js';
import type { FulfillmentView } from './fulfillment.schemas.js';

const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export interface ViewContext {
  now: number;
  /** The location's IANA zone: "today" in the queue is its local day. */
  timeZone: string;
  urgentMinutes: number;
  order: Pick<OrderRow, 'number' | 'address' | 'contact' | 'delivery_method'>;
  /** A merged shipment's lead: the fulfillments merged into it. */
  mergedFulfillmentIds?: readonly string[];
  /** A merged shipment's lead or merged work: the other fulfillments sharing its parcels. */
  mergedWith?: FulfillmentView['mergedWith'];
  /** A merged shipment's lead that ended before its parcel left: who carries the parcel on. */
  parcelCarriedBy?: FulfillmentView['parcelCarriedBy'];
}

export function toFulfillmentView(f: FulfillmentRow, lines: readonly FulfillmentLineState[], c: ViewContext): FulfillmentView {
  const endOfDay = atLocalTime(c.timeZone, addDays(localDateOf(c.timeZone, c.now), 1), '00:00');
  const done = f.ended_at !== null || f.status === 'shipped' || f.status === 'ready_for_pickup';
  const contact = c.order.contact as OrderContact;
  return {
    id: f.id,
    number: f.number,
    orderId: f.order_id,
    orderNumber: c.order.number,
    locationId: f.location_id,
    kind: f.kind as FulfillmentView['kind'],
    status: f.status as FulfillmentView['status'],
    priority: done ? 'later' : queuePriority(f.due_at?.getTime() ?? null, c.now, endOfDay, c.urgentMinutes),
    dropShip: f.drop_ship,
    destinationLocationId: f.destination_location_id,
    pickupFulfillmentId: f.pickup_fulfillment_id,
    service: f.service,
    plannedCarrier: f.planned_carrier,
    promise: { earliest: f.promised_earliest, latest: f.promised_latest, confidence: f.confidence },
    dueAt: isoOrNull(f.due_at),
    acceptBy: f.status === 'pending' ? isoOrNull(f.accept_by) : null,
    ...(f.status === 'held' && f.release_at ? { releaseAt: f.release_at.toISOString() } : {}),
    ...(f.merged_into_id ? { mergedIntoId: f.merged_into_id } : {}),
    ...(c.mergedFulfillmentIds && c.mergedFulfillmentIds.length > 0 ? { mergedFulfillmentIds: [...c.mergedFulfillmentIds] } : {}),
    ...(c.mergedWith && c.mergedWith.length > 0 ? { mergedWith: c.mergedWith } : {}),
    ...(c.parcelCarriedBy ? { parcelCarriedBy: c.parcelCarriedBy } : {}),
    shipTo: f.kind === 'ship' ? ((c.order.address as Record<string, unknown> | null) ?? null) : null,
    customer: { name: contact.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null },
    deliveryMethod: c.order.delivery_method,
    parcels: f.parcels,
    shipment: f.shipment,
    holdUntil: isoOrNull(f.hold_until),
    rejectReason: f.reject_reason,
    note: f.note,
    lines: lines.map((l) => ({
      id: l.id,
      orderLineId: l.order_line_id,
      allocationId: l.allocation_id,
      position: l.position,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      pickedQuantity: l.picked_quantity,
      allocationStatus: l.allocation_status,
    })),
    createdAt: f.created_at.toISOString(),
    updatedAt: f.updated_at.toISOString(),
    acceptedAt: isoOrNull(f.accepted_at),
    pickedAt: isoOrNull(f.picked_at),
    packedAt: isoOrNull(f.packed_at),
    shippedAt: isoOrNull(f.shipped_at),
    deliveredAt: isoOrNull(f.delivered_at),
    readyAt: isoOrNull(f.ready_at),
    collectedAt: isoOrNull(f.collected_at),
    endedAt: isoOrNull(f.ended_at),
  };
}
