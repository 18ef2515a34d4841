/** GET /v1/orders/{id}/returnable: what each line of an order may still return now. */
export interface Returnable {
  orderId: string;
  number: string;
  channel: string;
  status: string;
  currency: string;
  createdAt: string;
  deliveryMethod: string;
  customer: { name: string | null; known: boolean };
  policy: { windowDays: number; autoRefund: boolean };
  lines: ReturnableLine[];
}

export interface ReturnableLine {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  totalMinor: number;
  delivered: number;
  alreadyReturned: number;
  returnable: number;
  windowEndsAt: string | null;
}

/** A return as the API answers it (the fields the counter shows). */
export interface ReturnView {
  id: string;
  number: string;
  orderNumber: string;
  status: 'requested' | 'received' | 'refunded' | 'closed' | 'cancelled';
  resolution: Resolution;
  currency: string;
  lines: Array<{ id: string; orderLineId: string; sku: string; quantity: number; resellable: number | null; damaged: number | null; missing: number | null; valueMinor: number }>;
  exchange: { orderId: string; creditMinor: number; outcome: string | null } | null;
  amounts: { refundMinor: number; shippingRefundMinor: number; creditMinor: number; chargedMinor: number; unsettledMinor: number };
}

export const RETURN_REASONS = ['wrong_size', 'wrong_colour', 'damaged', 'defective', 'not_as_described', 'changed_mind', 'arrived_late', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export type Condition = 'resellable' | 'damaged';
export type Resolution = 'refund' | 'exchange' | 'store_credit';

/** What the associate chose for one order line. */
export interface LineChoice {
  quantity: number;
  reason: ReturnReason | null;
  condition: Condition;
  /** Exchange: the SKU given instead (another size or colour). */
  replacementSku: string;
}

/** Why a line can return nothing now, in the words the screen uses. */
export function blockedBecause(line: ReturnableLine): 'notDelivered' | 'alreadyReturned' | 'windowClosed' | null {
  if (line.returnable > 0) return null;
  if (line.delivered === 0) return 'notDelivered';
  if (line.alreadyReturned >= line.delivered) return 'alreadyReturned';
  return 'windowClosed';
}
