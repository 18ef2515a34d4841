import type { DestinationKind, Resolution, ReturnStatus } from './return-lifecycle.js';

/**
 * Payload of every `return.*` event (requested, received, refunded, closed, cancelled, and
 * exchange_settled when the replacement of a return that will not come is cancelled or charged). Written with
 * aggregate type `order` and the order id, so webhooks keep per-order ordering across an order's
 * fulfillments and returns. Amounts in minor units of `currency`. Add fields freely; never rename or remove one.
 */
export interface ReturnEvent {
  returnId: string;
  /** What the customer and the store see, e.g. 'RET-2026-000042'. */
  number: string;
  orderId: string;
  orderNumber: string;
  status: ReturnStatus;
  resolution: Resolution;
  destinationKind: DestinationKind;
  /** Where the units come back. */
  locationId: string;
  currency: string;
  lines: Array<{ returnLineId: string; orderLineId: string; sku: string; quantity: number; reason: string; resellable?: number; damaged?: number; missing?: number; valueMinor?: number }>;
  /** Once settled: refunded through the payments (of which the delivery fee), credited, charged. */
  refundMinor?: number;
  shippingRefundMinor?: number;
  creditMinor?: number;
  chargedMinor?: number;
  exchangeOrderId?: string;
  /** cancelled, charged, unsettled (return.exchange_settled); returned once the units came back. */
  exchangeOutcome?: string;
  trackingNumber?: string;
  reason?: string;
}

export const RETURN_EVENT_TYPES = ['return.requested', 'return.received', 'return.refunded', 'return.closed', 'return.cancelled', 'return.exchange_settled'] as const;
export type ReturnEventType = (typeof RETURN_EVENT_TYPES)[number];
