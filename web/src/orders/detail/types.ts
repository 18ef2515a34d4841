/** What the order page reads from the API (the fields it uses of each answer). */

export type OrderStatus = 'pending' | 'backordered' | 'allocated' | 'in_fulfillment' | 'partially_shipped' | 'shipped' | 'ready_for_pickup' | 'completed' | 'cancelled';
export type LineStatus = 'pending' | 'backordered' | 'allocated' | 'in_fulfillment' | 'shipped' | 'ready_for_pickup' | 'completed' | 'cancelled';
export type DeliveryMethod = 'ship' | 'pickup' | 'reserve_and_collect' | 'carry_out';

export interface Address {
  name?: string;
  line1?: string;
  line2?: string;
  postalCode: string;
  city?: string;
  country: string;
  phone?: string;
}

export interface Allocation {
  id: string;
  locationId: string;
  quantity: number;
  status: string;
  transfer: boolean;
  availableFrom: string | null;
  earliest: string | null;
  latest: string | null;
  fulfillmentId: string | null;
}

export interface OrderLine {
  id: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  totalMinor: number;
  status: LineStatus;
  cancelledQuantity: number;
  allocations: Allocation[];
}

export interface Payment {
  id: string;
  provider: string;
  status: string;
  authorisedMinor: number;
  capturedMinor: number;
  voidedMinor: number;
  refundedMinor: number;
}

export interface Order {
  id: string;
  number: string;
  channel: string;
  channelType: string;
  externalId: string | null;
  status: OrderStatus;
  currency: string;
  customer: { customerId: string | null; email?: string; phone?: string; name?: string; locale?: string };
  delivery: { method: DeliveryMethod; service: string | null; address: Address | null; pickupLocationId: string | null };
  origin: { storeId: string; associate: string | null } | null;
  totals: { subtotalMinor: number; discountMinor: number; shippingMinor: number; totalMinor: number };
  promise: { optionId: string; earliest: string; latest: string; confidence: number } | null;
  lines: OrderLine[];
  payments: Payment[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface Fulfillment {
  id: string;
  number: string;
  locationId: string;
  kind: 'ship' | 'pickup' | 'transfer';
  status: string;
  dropShip: boolean;
  destinationLocationId: string | null;
  service: string | null;
  dueAt: string | null;
  parcels: unknown[];
  shipment: { carrierId?: string; service?: string; trackingNumber?: string; trackingUrl?: string } | null;
  rejectReason: string | null;
  note: string | null;
  /** Held: handed to the location at this instant (after the batch re-plan). */
  releaseAt?: string;
  /** Merged shipment: the other fulfillments in its parcels and their orders (`lead`: the one the store works on). */
  mergedWith?: Array<{ fulfillmentId: string; number: string; orderId: string; orderNumber: string; lead: boolean }>;
  /** A merged shipment's lead lists every unit of its parcels, other orders' lines too. */
  lines: Array<{ id: string; orderLineId: string; sku: string; name: string; quantity: number; pickedQuantity: number | null; allocationStatus: string }>;
  createdAt: string;
  shippedAt: string | null;
}

export interface DecisionUnit {
  lineId?: string;
  sku: string;
  quantity: number;
}

export interface CostSplit {
  handlingMinor: number;
  shippingMinor: number;
  preferenceMinor: number;
  splitPenaltyMinor: number;
}

export interface Alternative {
  description: string;
  locationIds: string[];
  totalCostMinor: number;
  unitsShort?: number;
  extraCostMinor: number;
  reason: string;
}

export interface Decision {
  id: string;
  decidedAt: string;
  actor: string;
  trigger: 'order_placed' | 'delivery_changed' | 'pickup_store_changed' | 'rerouted' | 'backorder_served' | string;
  cause: string | null;
  summary: string;
  units: DecisionUnit[];
  chosen: {
    totalCostMinor: number | null;
    costs: CostSplit | null;
    shipments: Array<{ locationId: string; lines: DecisionUnit[]; costMinor: number | null; transfer?: boolean; availableFrom?: string }>;
  };
  candidates: number | null;
  alternatives: Alternative[];
  excluded: Array<{ locationId: string; reason: string }>;
  unserved: DecisionUnit[];
  optimal: boolean | null;
  gap: number | null;
  method: string;
  policy: { id: string; version: number; name: string } | null;
  currency: string;
}

export interface TimelineEntry {
  at: string;
  actor: string;
  event: string;
  statusFrom: string | null;
  statusTo: string | null;
  lineId: string | null;
  details: Record<string, unknown>;
}

export interface SentNotification {
  id: string;
  eventType: string;
  channel: 'email' | 'sms';
  recipient: string;
  template: string;
  status: 'sending' | 'retrying' | 'sent' | 'failed' | 'suppressed';
  summary: string;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OrderReturn {
  id: string;
  number: string;
  status: string;
  resolution: string;
  destination: { kind: string; locationId: string };
  lines: Array<{ id: string; sku: string; quantity: number; reason: string }>;
  createdAt?: string;
}

/** The answer of POST /v1/fulfillments/{id}/reroute. */
export interface RerouteResult {
  fulfillment: Fulfillment;
  allocations: Array<{ id: string; lineId: string; sku: string; locationId: string; quantity: number; status: string; fulfillmentId: string | null }>;
  fulfillments: Fulfillment[];
}

export const CANCEL_REASONS = ['customer_request', 'out_of_stock', 'not_collected', 'fraud', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
