/** The fulfillment API's shapes the store app reads (GET /v1/fulfillments, the steps' answers). */
export type FulfillmentKind = 'ship' | 'pickup' | 'transfer';
export type FulfillmentStatus =
  | 'pending'
  | 'accepted'
  | 'picked'
  | 'packed'
  | 'shipped'
  | 'delivered'
  | 'ready_for_pickup'
  | 'collected'
  | 'received'
  | 'rejected'
  | 'cancelled';
export type Priority = 'overdue' | 'urgent' | 'today' | 'later';

export interface FulfillmentLine {
  id: string;
  orderLineId: string;
  allocationId: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  pickedQuantity: number | null;
  allocationStatus: string;
}

export interface Shipment {
  carrierId: string;
  carrierName: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  parcelTrackingNumbers: string[];
  labelId: string | null;
}

export interface Fulfillment {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  locationId: string;
  kind: FulfillmentKind;
  status: FulfillmentStatus;
  priority: Priority;
  dropShip: boolean;
  destinationLocationId: string | null;
  pickupFulfillmentId: string | null;
  service: string | null;
  plannedCarrier: { carrierId?: string; carrierName?: string; service?: string; serviceName?: string } | null;
  dueAt: string | null;
  acceptBy: string | null;
  shipTo: { name?: string; line1?: string; line2?: string; postalCode?: string; city?: string; country?: string } | null;
  customer: { name: string | null; email: string | null; phone: string | null };
  deliveryMethod: string;
  parcels: Array<{ weightGrams: number }>;
  /** A merged parcel's lead that ended before the parcel left: the fulfillment the store goes on with. */
  parcelCarriedBy?: { fulfillmentId: string; number: string; orderId: string; orderNumber: string };
  shipment: Shipment | null;
  holdUntil: string | null;
  rejectReason: string | null;
  lines: FulfillmentLine[];
  readyAt: string | null;
  shippedAt: string | null;
  collectedAt: string | null;
  endedAt: string | null;
}

/** POST /v1/fulfillments/{id}/reject reasons (fulfillment.schemas.ts REJECT_REASONS). */
export const REJECT_REASONS = ['out_of_stock', 'damaged', 'no_staff', 'capacity', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What the store app reads of a product (GET /v1/products/{sku}). */
export interface Product {
  sku: string;
  name: string;
  attributes: Record<string, string>;
  weightGrams: number | null;
}

export interface Carrier {
  id: string;
  name: string;
  active: boolean;
  services: Array<{ service: string; name: string; originTypes?: string[] }>;
}

/** What the handover reads of the order (GET /v1/orders/{id}). */
export interface OrderForHandover {
  id: string;
  number: string;
  currency: string;
  delivery: { method: string };
  totals: { shippingMinor: number; totalMinor: number };
  lines: Array<{ id: string; quantity: number; totalMinor: number }>;
}
