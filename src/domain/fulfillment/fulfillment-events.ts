import type { FulfillmentKind, FulfillmentStatus } from './fulfillment-lifecycle.js';

/**
 * Payload of every `fulfillment.*` event (created, accepted, rejected, picked, packed, shipped, delivered,
 * ready_for_pickup, collected, received, cancelled). Written with aggregate type `order` and the order
 * id, so webhooks keep per-order ordering across an order's fulfillments. A drop-ship supplier subscribes
 * to `fulfillment.created` for its location and finds in it everything it needs to ship: lines, ship-to
 * address, the service and the dates promised. Add fields freely; never rename or remove one.
 */
export interface FulfillmentEvent {
  fulfillmentId: string;
  /** What the location sees, e.g. 'ORD-2026-000123-F1'. */
  number: string;
  orderId: string;
  orderNumber: string;
  locationId: string;
  kind: FulfillmentKind;
  status: FulfillmentStatus;
  dropShip: boolean;
  lines: Array<{ lineId: string; orderLineId: string; sku: string; name?: string; quantity: number; pickedQuantity?: number }>;
  /** ship: the customer's address; transfer: the pickup store it goes to. */
  shipTo?: Record<string, unknown>;
  destinationLocationId?: string;
  service?: string;
  /** Must leave (ship, transfer) or be ready (pickup) by this instant. */
  dueAt?: string;
  promise?: { earliest: string | null; latest: string | null };
  reason?: string;
  shipment?: { carrierId: string; service: string; trackingNumber: string; trackingUrl?: string };
}

export const FULFILLMENT_EVENT_TYPES = [
  'fulfillment.created',
  'fulfillment.accepted',
  'fulfillment.rejected',
  'fulfillment.picked',
  'fulfillment.packed',
  'fulfillment.shipped',
  'fulfillment.delivered',
  'fulfillment.ready_for_pickup',
  'fulfillment.collected',
  'fulfillment.received',
  'fulfillment.cancelled',
  'fulfillment.reopened',
] as const;
