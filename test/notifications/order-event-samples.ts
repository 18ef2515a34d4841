import type { CustomerContact, OrderEventPayloads, OrderRef } from '../../src/domain/orders/order-events.js';

/** Realistic order event payloads, as the orders context will emit them, for notification tests. */

export const customers = {
  alice: { customerId: 'C-1', email: 'alice.martin@example.fr', phone: '+33 6 12 34 56 78', name: 'Alice Martin', locale: 'fr-FR' },
  bob: { customerId: 'C-2', email: 'bob.smith@example.co.uk', phone: '+44 7700 900123', name: 'Bob Smith', locale: 'en-GB' },
} satisfies Record<string, CustomerContact>;

const ref = (customer: CustomerContact, over: Partial<OrderRef> = {}): OrderRef => ({
  orderId: 'ord_01',
  orderNumber: 'ORD-2026-000123',
  channelId: 'web',
  channelType: 'web',
  customer,
  currency: 'EUR',
  ...over,
});

const lyon = {
  locationId: 'STORE-LYON-01',
  name: 'Lyon Part-Dieu',
  address: { line1: '17 rue du Docteur Bouchut', postalCode: '69003', city: 'Lyon', country: 'FR' },
  timeZone: 'Europe/Paris',
};

export function samples(customer: CustomerContact = customers.alice, over: Partial<OrderRef> = {}): { [K in keyof OrderEventPayloads]: OrderEventPayloads[K] } {
  const r = ref(customer, over);
  const delayed = {
    ...r,
    previousPromise: { earliest: '2026-01-07T08:00:00Z', latest: '2026-01-08T17:00:00Z' },
    newEta: { earliest: '2026-01-12T08:00:00Z', latest: '2026-01-13T17:00:00Z' },
    reason: 'carrier_delay',
  };
  return {
    'order.confirmed': {
      ...r,
      lines: [
        { lineId: 'L1', sku: 'TSHIRT-BLUE-M', name: 'T-shirt bleu (M)', quantity: 2, unitPriceMinor: 1995, lineTotalMinor: 3990 },
        { lineId: 'L2', sku: 'SOCKS-3P', name: 'Chaussettes (lot de 3)', quantity: 1, unitPriceMinor: 1000, lineTotalMinor: 1000 },
      ],
      totals: { subtotalMinor: 4990, discountMinor: 0, shippingMinor: 0, totalMinor: 4990 },
      delivery: { method: 'ship', service: 'standard' },
      promise: { earliest: '2026-01-07T08:00:00Z', latest: '2026-01-08T17:00:00Z', confidence: 0.97 },
    },
    'order.ready_for_pickup': { ...r, pickupCode: '482913', pickupLocation: lyon, holdUntil: '2026-01-12T18:00:00Z' },
    'order.pickup_reminder': { ...r, pickupCode: '482913', pickupLocation: lyon, holdUntil: '2026-01-12T18:00:00Z' },
    'order.shipped': {
      ...r,
      fulfillmentId: 'ful_01',
      carrier: 'Colissimo',
      service: 'Domicile',
      trackingNumber: '6A12345678901',
      trackingUrl: 'https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901',
      lines: [{ lineId: 'L1', sku: 'TSHIRT-BLUE-M', name: 'T-shirt bleu (M)', quantity: 2 }],
      promise: { earliest: '2026-01-07T08:00:00Z', latest: '2026-01-08T17:00:00Z' },
    },
    'order.at_risk': delayed,
    'order.delayed': delayed,
    'order.cancelled': { ...r, reason: 'customer_request', lines: [{ lineId: 'L2', sku: 'SOCKS-3P', name: 'Chaussettes (lot de 3)', quantity: 1 }] },
    'order.refunded': { ...r, refundId: 'ref_01', amountMinor: 4990, reason: 'return' },
  };
}

/** A store order (endless aisle at the counter): notifications send a digital receipt. */
export function posOrder(customer: CustomerContact = customers.alice): OrderEventPayloads['order.confirmed'] {
  return {
    ...samples(customer)['order.confirmed'],
    channelId: 'pos',
    channelType: 'pos',
    delivery: { method: 'carry_out' },
    origin: { storeId: 'STORE-LYON-01', storeName: 'Lyon Part-Dieu', associate: 'emma' },
  };
}
