/** The public tracking page of an order, as `POST /v1/tracking/lookup` and `GET /v1/tracking/{token}` answer it. */
export type Hours = Array<{ open: string; close: string }>;
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type HistoryStep = 'placed' | 'preparing' | 'shipped' | 'delivered' | 'ready_for_pickup' | 'collected' | 'delayed' | 'cancelled';

export interface TrackingView {
  orderNumber: string;
  status: string;
  placedAt: string;
  delivery: {
    method: 'ship' | 'pickup' | 'reserve_and_collect' | 'carry_out';
    service: string | null;
    destination: { postalCode: string | null; city: string | null; country: string | null } | null;
  };
  promise: { earliest: string; latest: string } | null;
  eta: { earliest: string; latest: string; delayed: boolean } | null;
  lines: Array<{ name: string; quantity: number; cancelledQuantity: number; status: string }>;
  shipments: Array<{
    carrier: string;
    service: string;
    trackingNumber: string;
    trackingUrl: string | null;
    parcels: number;
    shippedAt: string;
    deliveredAt: string | null;
    items: Array<{ name: string; quantity: number }>;
  }>;
  pickup: {
    store: {
      name: string;
      address: { line1: string | null; line2: string | null; postalCode: string | null; city: string | null; country: string | null };
      timeZone: string;
      openingHours: Record<Weekday, Hours>;
      exceptions: Array<{ date: string; hours: Hours }>;
    };
    ready: boolean;
    code: string | null;
    holdUntil: string | null;
    readyAt: string | null;
    collectedAt: string | null;
  } | null;
  history: Array<{ step: HistoryStep; at: string; trackingNumber?: string }>;
}
