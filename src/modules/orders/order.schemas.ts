import { Type, type Static } from 'typebox';
import { LINE_STATUSES, ORDER_STATUSES } from '../../domain/orders/order-lifecycle.js';
import { SERVICE_LEVELS } from '../../domain/promise/carriers.js';
import { ChannelId, Currency, LocationId, Sku, StringEnum, Timestamp } from '../../http/schemas.js';
import { CHANNEL_TYPES } from '../channels/channel.schemas.js';
import { MAX_PROMISE_LINES } from '../promise/promise.schemas.js';

export const DELIVERY_METHODS = ['ship', 'pickup', 'reserve_and_collect', 'carry_out'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

const amount = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: `${description}, in minor units of the order currency` });

export const ContactInput = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ().-]{4,30}$', description: 'digits, spaces, dots, dashes; a leading + for the international form' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', description: 'BCP 47, e.g. fr-FR' })),
    loyaltyId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    marketingOptOut: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ContactInput = Static<typeof ContactInput>;

export const ShipAddress = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    line1: Type.Optional(Type.String({ maxLength: 200 })),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
  },
  { additionalProperties: false },
);
export type ShipAddress = Static<typeof ShipAddress>;

export const PlaceOrderInput = Type.Object(
  {
    channel: ChannelId,
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "the channel's own order id: a second import returns the existing order" })),
    customer: Type.Optional(ContactInput),
    currency: Currency,
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
          unitPriceMinor: Type.Optional(amount('default: the product price in the order currency')),
          discountMinor: Type.Optional(amount('discount on the whole line')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_PROMISE_LINES },
    ),
    delivery: Type.Object(
      {
        method: StringEnum(DELIVERY_METHODS),
        service: Type.Optional(StringEnum(SERVICE_LEVELS, { description: 'ship: standard, express or same_day' })),
        address: Type.Optional(ShipAddress),
        pickupLocationId: Type.Optional(LocationId),
      },
      { additionalProperties: false },
    ),
    origin: Type.Optional(
      Type.Object(
        { storeId: LocationId, associate: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
        { additionalProperties: false, description: 'POS orders: the store and associate taking the order' },
      ),
    ),
    discountMinor: Type.Optional(amount('order-level discount, shared across lines')),
    shippingMinor: Type.Optional(amount('delivery fee charged to the customer')),
    payment: Type.Optional(
      Type.Object(
        {
          provider: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. manual' }),
          reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          amountMinor: Type.Optional(amount('authorised amount; must equal the order total when given')),
        },
        { additionalProperties: false },
      ),
    ),
    promiseToken: Type.Optional(Type.String({ format: 'uuid', description: 'a held promise: the order gets exactly that promise' })),
    reservationId: Type.Optional(Type.String({ format: 'uuid', description: "a cart hold: its units become the order's allocation" })),
  },
  { additionalProperties: false },
);
export type PlaceOrderInput = Static<typeof PlaceOrderInput>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AllocationView = Type.Object({
  id: Type.String(),
  locationId: Type.String(),
  quantity: Type.Integer(),
  status: Type.String(),
  holdId: Nullable(Type.String()),
  reservationId: Nullable(Type.String()),
  transfer: Type.Boolean(),
  carrier: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  departureDate: Nullable(Type.String()),
  availableFrom: Nullable(Type.String()),
  earliest: Nullable(Type.String()),
  latest: Nullable(Type.String()),
  confidence: Type.Union([Type.Number(), Type.Null()]),
  fulfillmentId: Nullable(Type.String({ description: 'the fulfillment order serving these units' })),
});

export const LineView = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  unitPriceMinor: Type.Integer(),
  discountMinor: Type.Integer(),
  orderDiscountMinor: Type.Integer(),
  totalMinor: Type.Integer(),
  status: StringEnum(LINE_STATUSES),
  cancelledQuantity: Type.Integer({ description: 'units cancelled alone (found nowhere after a rejection or short pick)' }),
  allocations: Type.Array(AllocationView),
});

const PaymentEventView = Type.Object({
  operation: Type.String(),
  amountMinor: Type.Integer(),
  providerReference: Type.String(),
  reason: Nullable(Type.String()),
  actor: Type.String(),
  occurredAt: Type.String(),
});

export const PaymentView = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  reference: Type.String(),
  currency: Type.String(),
  status: Type.String(),
  authorisedMinor: Type.Integer(),
  capturedMinor: Type.Integer(),
  voidedMinor: Type.Integer(),
  refundedMinor: Type.Integer(),
  createdAt: Type.String(),
  events: Type.Array(PaymentEventView),
});

export const Contact = Type.Object({
  customerId: Nullable(Type.String()),
  email: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String()),
});

export const OrderView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String({ description: 'e.g. ORD-2026-000123' }),
  channel: Type.String(),
  channelType: StringEnum(CHANNEL_TYPES),
  externalId: Nullable(Type.String()),
  status: StringEnum(ORDER_STATUSES),
  currency: Type.String(),
  customer: Contact,
  delivery: Type.Object({
    method: StringEnum(DELIVERY_METHODS),
    service: Nullable(Type.String()),
    address: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    pickupLocationId: Nullable(Type.String()),
  }),
  origin: Type.Union([Type.Object({ storeId: Type.String(), associate: Nullable(Type.String()) }), Type.Null()]),
  totals: Type.Object({ subtotalMinor: Type.Integer(), discountMinor: Type.Integer(), shippingMinor: Type.Integer(), totalMinor: Type.Integer() }),
  promise: Type.Union([
    Type.Object({
      optionId: Type.String(),
      earliest: Type.String({ description: 'window start (instant)' }),
      latest: Type.String({ description: 'window end (instant)' }),
      confidence: Type.Number(),
      token: Nullable(Type.String()),
      option: Type.Record(Type.String(), Type.Unknown(), { description: 'the option as promised: dates, shipments, sourcing' }),
    }),
    Type.Null(),
  ]),
  lines: Type.Array(LineView),
  payments: Type.Array(PaymentView),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  cancelledAt: Nullable(Timestamp),
  cancelReason: Nullable(Type.String()),
});
export type OrderView = Static<typeof OrderView>;

export const OrderSummary = Type.Object({
  id: Type.String(),
  number: Type.String(),
  channel: Type.String(),
  channelType: Type.String(),
  externalId: Nullable(Type.String()),
  status: Type.String(),
  customerId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  customerName: Nullable(Type.String({ description: 'the name given with this order' })),
  deliveryMethod: Type.String(),
  originStoreId: Nullable(Type.String()),
  pickupLocationId: Nullable(Type.String()),
  currency: Type.String(),
  totalMinor: Type.Integer(),
  promiseLatest: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type OrderSummary = Static<typeof OrderSummary>;

export const OrderListQuery = Type.Object({
  customerEmail: Type.Optional(Type.String({ maxLength: 254 })),
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  status: Type.Optional(StringEnum(ORDER_STATUSES)),
  channel: Type.Optional(ChannelId),
  locationId: Type.Optional(LocationId),
  deliveryMethod: Type.Optional(StringEnum(DELIVERY_METHODS)),
  createdFrom: Type.Optional(Timestamp),
  createdTo: Type.Optional(Timestamp),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'order number or external id' })),
});
export type OrderListQuery = Static<typeof OrderListQuery>;

export const TimelineEntry = Type.Object({
  at: Timestamp,
  actor: Type.String(),
  event: Type.String(),
  statusFrom: Nullable(Type.String()),
  statusTo: Nullable(Type.String()),
  lineId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const CANCEL_REASONS = ['customer_request', 'out_of_stock', 'not_collected', 'fraud', 'other'] as const;

export const CancelOrderInput = Type.Object(
  {
    lineIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: MAX_PROMISE_LINES, uniqueItems: true, description: 'absent: the whole order' })),
    reason: Type.Optional(StringEnum(CANCEL_REASONS, { description: 'default customer_request' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CancelOrderInput = Static<typeof CancelOrderInput>;

export const ChangeDeliveryInput = Type.Object({ address: ShipAddress }, { additionalProperties: false });
export type ChangeDeliveryInput = Static<typeof ChangeDeliveryInput>;
