import type { OrderConfirmed } from '../orders/order-events.js';

export type DeliveryMethod = OrderConfirmed['delivery']['method'];

/**
 * Every sentence of the customer messages in one language. Values arrive already formatted for the
 * locale (amounts, dates); the layout escapes them. Add a language by adding one more of these.
 */
export interface Messages {
  greeting(name: string | undefined): string;
  signoff(brand: string): string[];
  footer(orderNumber: string, brand: string): string;
  unsubscribe: string;
  /** Label of the link to the order's tracking page. */
  trackOrder: string;
  labels: {
    orderNumber: string;
    items: string;
    subtotal: string;
    discount: string;
    shipping: string;
    free: string;
    total: string;
    delivery: string;
    store: string;
    estimatedDelivery: string;
    readyFrom: string;
    collectBefore: string;
    pickupCode: string;
    carrier: string;
    trackingNumber: string;
    purchaseDate: string;
    refundAmount: string;
    refundReference: string;
    newEstimate: string;
    previousEstimate: string;
  };
  deliveryMethods: Record<DeliveryMethod, string>;
  confirmation: {
    subject(orderNumber: string): string;
    intro: string;
    closing: string;
    sms(brand: string, orderNumber: string, total: string): string;
  };
  receipt: {
    subject(orderNumber: string): string;
    intro(store: string): string;
    closing: string;
    sms(brand: string, orderNumber: string, total: string): string;
  };
  pickupReady: {
    subject(orderNumber: string): string;
    intro(store: string): string;
    closing: string;
    sms(brand: string, orderNumber: string, store: string, code: string, until: string): string;
  };
  pickupReminder: {
    subject(orderNumber: string): string;
    intro(store: string): string;
    closing: string;
    sms(brand: string, orderNumber: string, store: string, code: string, until: string): string;
  };
  shipped: {
    subject(orderNumber: string): string;
    intro: string;
    track: string;
    itemsHeading: string;
    sms(brand: string, orderNumber: string, carrier: string, tracking: string): string;
  };
  delayed: {
    subject(orderNumber: string): string;
    intro: string;
    closing: string;
    sms(brand: string, orderNumber: string, eta: string): string;
  };
  cancelled: {
    subject(orderNumber: string, partial: boolean): string;
    /** Known reasons get their own sentence; any other reason the generic one. */
    reasons: Record<string, (partial: boolean) => string>;
    genericReason(partial: boolean): string;
    itemsHeading: string;
    closing: string;
    sms(brand: string, orderNumber: string, partial: boolean): string;
  };
  refunded: {
    subject(orderNumber: string, amount: string): string;
    intro(amount: string): string;
    closing: string;
    sms(brand: string, orderNumber: string, amount: string): string;
  };
}
