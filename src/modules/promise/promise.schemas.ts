import { Type, type Static } from 'typebox';
import { ChannelId, LocationId, Sku, StringEnum } from '../../http/schemas.js';
import { SERVICE_LEVELS } from '../../domain/promise/carriers.js';

export const MAX_PROMISE_LINES = 50;

export const PromiseRequest = Type.Object(
  {
    channel: ChannelId,
    lines: Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_PROMISE_LINES,
    }),
    destination: Type.Optional(
      Type.Object(
        { postalCode: Type.String({ minLength: 1, maxLength: 20 }), country: Type.String({ pattern: '^[A-Z]{2}$' }) },
        { additionalProperties: false, description: 'home delivery address; also where nearby pickup stores are searched from' },
      ),
    ),
    pickupLocationId: Type.Optional(LocationId),
    services: Type.Optional(Type.Array(StringEnum(SERVICE_LEVELS), { minItems: 1, uniqueItems: true })),
    explain: Type.Optional(
      Type.Boolean({ description: "include each option's sourcing alternatives (other plans and their costs); a held option always has them" }),
    ),
    hold: Type.Optional(
      Type.Object(
        { optionId: Type.String({ minLength: 1, maxLength: 120, description: "an option's id, e.g. ship:express or click_and_collect:store-paris-rivoli" }) },
        { additionalProperties: false, description: 'hold this option (stock and pick capacity) and return a promise token' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PromiseRequest = Static<typeof PromiseRequest>;

const Carrier = Type.Object({
  carrierId: Type.String(),
  carrierName: Type.String(),
  service: Type.String(),
  serviceName: Type.String(),
  lane: Type.String(),
  observations: Type.Integer(),
});

const Shipment = Type.Object({
  locationId: Type.String(),
  locationName: Type.String(),
  lines: Type.Array(Type.Object({ lineId: Type.String(), sku: Type.String(), quantity: Type.Integer() })),
  transfer: Type.Boolean(),
  carrier: Type.Optional(Carrier),
  departureDate: Type.Optional(Type.String()),
  availableFrom: Type.Optional(Type.String()),
  earliest: Type.String(),
  latest: Type.String(),
  confidence: Type.Number(),
  costMinor: Type.Integer(),
});

const CostSplit = Type.Object({ handlingMinor: Type.Integer(), shippingMinor: Type.Integer(), preferenceMinor: Type.Integer(), splitPenaltyMinor: Type.Integer() });

export const PromiseOptionView = Type.Object({
  optionId: Type.String(),
  kind: Type.String(),
  service: Type.Optional(Type.String()),
  pickupLocation: Type.Optional(Type.Object({ locationId: Type.String(), name: Type.String(), distanceKm: Type.Union([Type.Number(), Type.Null()]) })),
  earliest: Type.String({ description: 'YYYY-MM-DD for deliveries, an instant for pickups' }),
  latest: Type.String(),
  window: Type.Object({ earliest: Type.String(), latest: Type.String() }),
  confidence: Type.Number({ description: 'probability the latest date is met' }),
  preorder: Type.Boolean(),
  costMinor: Type.Integer({ description: 'fulfilment cost to the retailer (shipping, handling, splits)' }),
  shipments: Type.Array(Shipment),
  sourcing: Type.Object({
    optimal: Type.Boolean(),
    gap: Type.Number(),
    method: Type.String(),
    alternatives: Type.Optional(Type.Array(
      Type.Object({
        description: Type.String(),
        locationIds: Type.Array(Type.String()),
        totalCostMinor: Type.Integer(),
        unitsShort: Type.Optional(Type.Integer()),
        costs: Type.Optional(CostSplit),
      }),
      { description: 'other plans and their costs: with explain, and on a held option' },
    )),
    totalCostMinor: Type.Optional(Type.Integer({ description: "the sourcing plan's cost under its policy (stock-served shipments, split penalties)" })),
    costs: Type.Optional(CostSplit),
    candidates: Type.Optional(Type.Integer({ description: 'locations that held some of the cart and could serve it' })),
    policy: Type.Optional(Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String() }, { description: 'the routing policy version it was sourced under (0: the built-in default)' })),
  }),
});

const UnavailableView = Type.Object({
  optionId: Type.String(),
  kind: Type.String(),
  service: Type.Optional(Type.String()),
  pickupLocationId: Type.Optional(Type.String()),
  reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) })),
});

export const PromiseHoldView = Type.Object({
  token: Type.String({ format: 'uuid' }),
  optionId: Type.String(),
  holdId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'the reservation hold behind it (null when only pre-ordered units)' }),
  status: Type.String(),
  expiresAt: Type.String(),
  option: PromiseOptionView,
});
export type PromiseHoldView = Static<typeof PromiseHoldView>;

export const PromiseResponse = Type.Object({
  promisedAt: Type.String(),
  channel: Type.String(),
  currency: Type.String(),
  destination: Type.Union([Type.Object({ postalCode: Type.String(), country: Type.String(), located: Type.Boolean() }), Type.Null()]),
  options: Type.Array(PromiseOptionView),
  unavailable: Type.Array(UnavailableView),
  hold: Type.Optional(PromiseHoldView),
});
export type PromiseResponse = Static<typeof PromiseResponse>;
