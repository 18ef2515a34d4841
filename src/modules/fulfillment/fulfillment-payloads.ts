import type { NewEvent } from '../../db/outbox.js';
import type { FulfillmentEvent } from '../../domain/fulfillment/fulfillment-events.js';
import type { FulfillmentKind, FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { OrderRow } from '../orders/order.repository.js';
import type { FulfillmentRow } from './fulfillment.repository.js';

export interface PayloadLine {
  id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  picked_quantity: number | null;
  name?: string;
}

/** A `fulfillment.*` outbox event (aggregate: the order, so per-order ordering holds). */
export function fulfillmentEvent(type: string, f: FulfillmentRow, lines: readonly PayloadLine[], order: Pick<OrderRow, 'id' | 'number' | 'address'>, reason?: string): NewEvent {
  const shipment = f.shipment as FulfillmentEvent['shipment'] | null;
  const payload: FulfillmentEvent = {
    fulfillmentId: f.id,
    number: f.number,
    orderId: order.id,
    orderNumber: order.number,
    locationId: f.location_id,
    kind: f.kind as FulfillmentKind,
    status: f.status as FulfillmentStatus,
    dropShip: f.drop_ship,
    lines: lines.map((l) => ({
      lineId: l.id,
      orderLineId: l.order_line_id,
      sku: l.sku,
      ...(l.name !== undefined ? { name: l.name } : {}),
      quantity: l.quantity,
      ...(l.picked_quantity !== null ? { pickedQuantity: l.picked_quantity } : {}),
    })),
    ...(f.kind === 'ship' && order.address ? { shipTo: order.address as Record<string, unknown> } : {}),
    ...(f.destination_location_id ? { destinationLocationId: f.destination_location_id } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(f.due_at ? { dueAt: f.due_at.toISOString() } : {}),
    promise: { earliest: f.promised_earliest, latest: f.promised_latest },
    ...(reason ? { reason } : {}),
    ...(shipment ? { shipment } : {}),
  };
  return { type, aggregateType: 'order', aggregateId: order.id, payload };
}
