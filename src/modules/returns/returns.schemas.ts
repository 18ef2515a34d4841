import { Type, type Static } from 'typebox';
import { SERVICE_LEVELS } from '../../domain/promise/carriers.js';
import { CONDITIONS, DESTINATION_KINDS, RESOLUTIONS, RETURN_REASONS, RETURN_STATUSES } from '../../domain/returns/return-lifecycle.js';
import { ChannelId, LocationId, Sku, StringEnum } from '../../http/schemas.js';
import { ShipAddress } from '../orders/order.schemas.js';

const Note = Type.String({ minLength: 1, maxLength: 500 });
const Quantity = Type.Integer({ minimum: 1, maximum: 10_000 });

export const ExchangeInput = Type.Object(
  {
    lines: Type.Array(Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 50,
      description: 'the replacements (another size or colour), priced at their catalogue price',
    }),
    delivery: Type.Optional(
      Type.Object(
        {
          method: StringEnum(['ship', 'pickup'] as const),
          service: Type.Optional(StringEnum(SERVICE_LEVELS)),
          address: Type.Optional(ShipAddress),
          pickupLocationId: Type.Optional(LocationId),
        },
        { additionalProperties: false, description: "default: the original order's delivery (ship or pickup)" },
      ),
    ),
    payment: Type.Optional(
      Type.Object(
        { provider: Type.String({ minLength: 1, maxLength: 50 }), reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
        { additionalProperties: false, description: 'charged for a dearer replacement, or when the policy charges an exchange whose return never arrives' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ExchangeInput = Static<typeof ExchangeInput>;

export const RequestReturnInput = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, description: 'order id or number (ORD-2026-000123)' }),
    channel: Type.Optional(ChannelId),
    lines: Type.Array(
      Type.Object(
        { lineId: Type.String({ format: 'uuid', description: 'the order line' }), quantity: Quantity, reason: StringEnum(RETURN_REASONS), note: Type.Optional(Note) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    destination: Type.Object(
      {
        kind: StringEnum(DESTINATION_KINDS),
        locationId: Type.Optional(LocationId),
        carrierId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'mail: default the carrier that delivered the order' })),
        service: Type.Optional(StringEnum(SERVICE_LEVELS)),
      },
      { additionalProperties: false, description: 'store or warehouse: where the customer brings the units (locationId required); mail: proposed unless given' },
    ),
    resolution: StringEnum(RESOLUTIONS),
    exchange: Type.Optional(ExchangeInput),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type RequestReturnInput = Static<typeof RequestReturnInput>;

export const ReceiveReturnInput = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ lineId: Type.String({ format: 'uuid', description: 'the return line' }), condition: StringEnum(CONDITIONS), quantity: Quantity }, { additionalProperties: false }),
      { minItems: 1, maxItems: 300, description: 'every unit of every return line, by condition (a line may be split)' },
    ),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type ReceiveReturnInput = Static<typeof ReceiveReturnInput>;

export const RefundReturnInput = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });
export type RefundReturnInput = Static<typeof RefundReturnInput>;

export const CancelReturnInput = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), note: Type.Optional(Note) }, { additionalProperties: false });
export type CancelReturnInput = Static<typeof CancelReturnInput>;

export const ReturnParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'return id, or its number (RET-2026-000042)' }) });

export const ReturnListQuery = Type.Object({
  orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'order id or number' })),
  status: Type.Optional(StringEnum(RETURN_STATUSES)),
  locationId: Type.Optional(LocationId),
});
export type ReturnListQuery = Static<typeof ReturnListQuery>;

const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const PolicyRules = Type.Object(
  {
    windowDays: Type.Integer({ minimum: 0, maximum: 365, description: 'days after delivery or collection during which units may be returned' }),
    arrivalDays: Type.Integer({ minimum: 1, maximum: 120, description: 'days a requested return has to arrive before it is cancelled' }),
    refundShipping: Type.Boolean({ description: 'the delivery fee is refunded with the return that brings the whole order back' }),
    autoRefund: Type.Boolean({ description: 'settle (refund, credit, exchange difference) as soon as the units are received' }),
    unreturnedExchange: StringEnum(['cancel', 'charge'] as const, { description: 'an exchange whose return never arrives: cancel the replacement order, or charge it' }),
  },
  { additionalProperties: false },
);

export const ReturnPolicyView = Type.Object({
  channel: Nullable(Type.String()),
  country: Nullable(Type.String()),
  ...PolicyRules.properties,
  updatedAt: Type.String(),
  updatedBy: Type.String(),
});
export type ReturnPolicyView = Static<typeof ReturnPolicyView>;

export const ReturnPoliciesView = Type.Object({ defaults: PolicyRules, policies: Type.Array(ReturnPolicyView) });
export type ReturnPoliciesView = Static<typeof ReturnPoliciesView>;

export const PutReturnPolicyInput = Type.Object(
  {
    channel: Type.Optional(Type.Union([ChannelId, Type.Null()], { description: 'null or absent: every channel' })),
    country: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()], { description: 'null or absent: every country' })),
    ...PolicyRules.properties,
  },
  { additionalProperties: false },
);
export type PutReturnPolicyInput = Static<typeof PutReturnPolicyInput>;

export const ReturnView = Type.Object({
  id: Type.String(),
  number: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  channel: Type.String(),
  status: StringEnum(RETURN_STATUSES),
  resolution: StringEnum(RESOLUTIONS),
  destination: Type.Object({
    kind: StringEnum(DESTINATION_KINDS),
    locationId: Type.String(),
    reason: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'mail: why this location was proposed' }),
  }),
  currency: Type.String(),
  policy: Type.Record(Type.String(), Type.Unknown()),
  returnBy: Type.String({ description: 'the units must arrive by then, or the return is cancelled' }),
  lines: Type.Array(
    Type.Object({
      id: Type.String(),
      orderLineId: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      reason: Type.String(),
      resellable: Nullable(Type.Integer()),
      damaged: Nullable(Type.Integer()),
      missing: Nullable(Type.Integer()),
      valueMinor: Type.Integer({ description: 'value of the units accepted back' }),
      note: Nullable(Type.String()),
    }),
  ),
  exchange: Type.Union([
    Type.Object({ orderId: Type.String(), creditMinor: Type.Integer({ description: 'taken off the replacement order' }), outcome: Nullable(Type.String()) }),
    Type.Null(),
  ]),
  label: Type.Union([Type.Object({ carrierId: Type.String(), service: Type.String(), trackingNumber: Type.String(), trackingUrl: Nullable(Type.String()) }), Type.Null()]),
  amounts: Type.Object({
    refundMinor: Type.Integer(),
    shippingRefundMinor: Type.Integer(),
    creditMinor: Type.Integer(),
    chargedMinor: Type.Integer(),
    unsettledMinor: Type.Integer({ description: 'owed but covered by no captured payment' }),
  }),
  note: Nullable(Type.String()),
  cancelReason: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  receivedAt: Nullable(Type.String()),
  settledAt: Nullable(Type.String()),
  cancelledAt: Nullable(Type.String()),
});
export type ReturnView = Static<typeof ReturnView>;

export const ReturnSummary = Type.Object({
  id: Type.String(),
  number: Type.String(),
  orderId: Type.String(),
  status: Type.String(),
  resolution: Type.String(),
  locationId: Type.String(),
  createdAt: Type.String(),
});
export type ReturnSummary = Static<typeof ReturnSummary>;

export const ReturnableQuery = Type.Object({
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: "the customer's e-mail: lets a store read an order its stores never touched (a web order brought back at the counter)" })),
});

export const ReturnableView = Type.Object({
  orderId: Type.String(),
  number: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  currency: Type.String(),
  createdAt: Type.String(),
  deliveryMethod: Type.String(),
  customer: Type.Object({ name: Nullable(Type.String()), known: Type.Boolean({ description: 'a customer record exists (store credit needs one)' }) }),
  policy: Type.Object({
    windowDays: Type.Integer(),
    autoRefund: Type.Boolean({ description: 'money moves as soon as the units are received' }),
    scope: Type.Object({ channel: Nullable(Type.String()), country: Nullable(Type.String()) }),
  }),
  lines: Type.Array(
    Type.Object({
      lineId: Type.String(),
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      totalMinor: Type.Integer({ description: 'what the line was paid, discounts off' }),
      delivered: Type.Integer({ description: 'units delivered, collected or sold at the counter' }),
      alreadyReturned: Type.Integer({ description: 'units other returns took back or have announced' }),
      returnable: Type.Integer({ description: 'what a return may ask for now: delivered minus already returned, within the window' }),
      windowEndsAt: Nullable(Type.String({ description: 'when the window of the last delivered units closes' })),
    }),
  ),
});
export type ReturnableView = Static<typeof ReturnableView>;
