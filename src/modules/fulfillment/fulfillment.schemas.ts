import { Type, type Static } from 'typebox';
import { FULFILLMENT_KINDS, FULFILLMENT_STATUSES } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { SERVICE_LEVELS } from '../../domain/promise/carriers.js';
import { StringEnum } from '../../http/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const FulfillmentLineView = Type.Object({
  id: Type.String(),
  orderLineId: Type.String(),
  allocationId: Type.String(),
  position: Type.Integer({ description: 'the order line position' }),
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  pickedQuantity: Type.Union([Type.Integer(), Type.Null()]),
  allocationStatus: Type.String(),
});

export const Parcel = Type.Object(
  {
    weightGrams: Type.Integer({ minimum: 1, maximum: 70_000 }),
    lengthCm: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
    widthCm: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
    heightCm: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type Parcel = Static<typeof Parcel>;

export const FulfillmentView = Type.Object({
  id: Type.String(),
  number: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  locationId: Type.String(),
  kind: StringEnum(FULFILLMENT_KINDS),
  status: StringEnum(FULFILLMENT_STATUSES),
  priority: StringEnum(['overdue', 'urgent', 'today', 'later'] as const, { description: 'from the deadline: the queue shows the most urgent first' }),
  dropShip: Type.Boolean(),
  destinationLocationId: Nullable(Type.String()),
  pickupFulfillmentId: Nullable(Type.String()),
  service: Nullable(Type.String()),
  plannedCarrier: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  promise: Type.Object({ earliest: Nullable(Type.String()), latest: Nullable(Type.String()), confidence: Type.Union([Type.Number(), Type.Null()]) }),
  dueAt: Nullable(Type.String({ description: 'must leave (ship, transfer) or be ready (pickup) by then' })),
  acceptBy: Nullable(Type.String({ description: 'not accepted by then: re-routed automatically' })),
  releaseAt: Type.Optional(Type.String({ description: 'held: handed to the location at this instant, after the batch re-optimisation' })),
  mergedIntoId: Type.Optional(Type.String({ description: "merged: shipped in this (lead) fulfillment's parcels, with its tracking number" })),
  mergedFulfillmentIds: Type.Optional(Type.Array(Type.String(), { description: "lead of a merged shipment: the other orders' fulfillments packed and shipped with it" })),
  mergedWith: Type.Optional(
    Type.Array(Type.Object({ fulfillmentId: Type.String(), number: Type.String(), orderId: Type.String(), orderNumber: Type.String(), lead: Type.Boolean() }), {
      description: 'merged shipment (lead or merged work): the other fulfillments sharing its parcels, with their orders (lead: the one the store works on)',
    }),
  ),
  parcelCarriedBy: Type.Optional(
    Type.Object({ fulfillmentId: Type.String(), number: Type.String(), orderId: Type.String(), orderNumber: Type.String() }, {
      description: "a merged parcel's lead that ended before the parcel left (its order cancelled, re-routed by ops, nothing found at pick): the fulfillment that carries what is left of the parcel, the one the store works on",
    }),
  ),
  shipTo: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  // Who the work is for: the store calls the name at the desk and finds a pickup by name or e-mail.
  customer: Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()) }),
  deliveryMethod: Type.String({ description: "the order's delivery method: reserve_and_collect is paid at the counter on collection" }),
  parcels: Type.Array(Type.Unknown()),
  shipment: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  holdUntil: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  note: Nullable(Type.String()),
  lines: Type.Array(FulfillmentLineView),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  acceptedAt: Nullable(Type.String()),
  pickedAt: Nullable(Type.String()),
  packedAt: Nullable(Type.String()),
  shippedAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  readyAt: Nullable(Type.String()),
  collectedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
});
export type FulfillmentView = Static<typeof FulfillmentView>;

export const FulfillmentListQuery = Type.Object({
  locationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "one status, several separated by commas, or 'open' (everything still to do)" })),
  kind: Type.Optional(StringEnum(FULFILLMENT_KINDS)),
  orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'order id or number' })),
  destinationLocationId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'transfers coming to this location (a store key: one of its own), wherever they leave from' }),
  ),
});
export type FulfillmentListQuery = Static<typeof FulfillmentListQuery>;

export const FulfillmentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'fulfillment id, or its number (ORD-2026-000123-F1)' }) });

export const AcceptInput = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type AcceptInput = Static<typeof AcceptInput>;

export const PickInput = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }), quantity: Type.Integer({ minimum: 0, maximum: 10_000, description: 'units found (0 if none)' }) }, { additionalProperties: false }),
      { maxItems: 500, description: 'units found per SKU; every SKU of the fulfillment must be answered' },
    ),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type PickInput = Static<typeof PickInput>;

const Parcels = Type.Array(Parcel, { minItems: 1, maxItems: 50, description: 'one entry per parcel, each with its weight' });

export const PackInput = Type.Object({ parcels: Parcels, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type PackInput = Static<typeof PackInput>;

export const ShipInput = Type.Object(
  {
    carrierId: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'default: the carrier the promise planned' })),
    service: Type.Optional(StringEnum(SERVICE_LEVELS, { description: 'default: the service of the fulfillment' })),
    trackingNumber: Type.Optional(
      Type.String({ minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$', description: 'the location printed its own label: no label is generated' }),
    ),
    parcels: Type.Optional(Type.Array(Parcel, { minItems: 1, maxItems: 50, description: 'not packed yet: packs and ships at once; packed: replaces the parcels' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ShipInput = Static<typeof ShipInput>;

export const DeliverInput = Type.Object(
  { deliveredAt: Type.Optional(Type.String({ format: 'date-time', description: 'as the carrier confirmed it; default now; never in the future nor before the shipment' })) },
  { additionalProperties: false },
);
export type DeliverInput = Static<typeof DeliverInput>;

const StepNote = { note: Type.Optional(Type.String({ maxLength: 500 })) };

export const ReceiveInput = Type.Object(StepNote, { additionalProperties: false });
export type ReceiveInput = Static<typeof ReceiveInput>;

export const ReadyForPickupInput = Type.Object(StepNote, { additionalProperties: false });
export type ReadyForPickupInput = Static<typeof ReadyForPickupInput>;

export const CollectInput = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit pickup code the customer shows' }),
    payment: Type.Optional(
      Type.Object(
        {
          provider: Type.String({ minLength: 1, maxLength: 64, description: "e.g. 'manual' for cash or card at the till" }),
          reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'till receipt, terminal transaction id' })),
        },
        { additionalProperties: false, description: 'reserve & collect only: the order total is taken at the counter' },
      ),
    ),
    ...StepNote,
  },
  { additionalProperties: false },
);
export type CollectInput = Static<typeof CollectInput>;

export const REJECT_REASONS = ['out_of_stock', 'damaged', 'no_staff', 'capacity', 'other'] as const;

export const RejectInput = Type.Object(
  {
    reason: StringEnum(REJECT_REASONS, { description: 'why the location cannot fulfill it; the whole fulfillment is re-routed elsewhere' }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type RejectInput = Static<typeof RejectInput>;

export const ForceRerouteInput = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      // Plain text: at least one visible character, no control characters other than line breaks and tabs.
      pattern: '^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$',
      description: 'why ops move the units, in plain words (kept in the order timeline and as the note of the fulfillment)',
    }),
    excludeLocation: Type.Optional(Type.Boolean({ description: 'default true: the units are sourced anywhere but this location; false: sourcing may choose it again' })),
  },
  { additionalProperties: false },
);
export type ForceRerouteInput = Static<typeof ForceRerouteInput>;

export const ForceRerouteView = Type.Object({
  fulfillment: FulfillmentView,
  allocations: Type.Array(
    Type.Object({
      id: Type.String(),
      lineId: Type.String(),
      sku: Type.String(),
      locationId: Type.String(),
      quantity: Type.Integer(),
      status: Type.String({ description: 'reserved, or backordered on incoming supply' }),
      fulfillmentId: Nullable(Type.String()),
    }),
    { description: 'where the units went' },
  ),
  fulfillments: Type.Array(FulfillmentView, { description: 'the fulfillments now serving them' }),
  parcelCarriedBy: Type.Optional(
    Type.Intersect([FulfillmentView], {
      description:
        "only when the fulfillment led a merged parcel: the other orders' work stays at the location, and this fulfillment (the oldest order's left) now carries what is left of the parcel, the one the store works on",
    }),
  ),
});
export type ForceRerouteView = Static<typeof ForceRerouteView>;
