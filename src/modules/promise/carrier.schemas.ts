import { Type, type Static } from 'typebox';
import { LocationId, StringEnum, Timestamp } from '../../http/schemas.js';
import { LOCATION_TYPES, WEEKDAYS } from '../network/location.schemas.js';
import { SERVICE_LEVELS } from '../../domain/promise/carriers.js';

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local time' });
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const CarrierId = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'carrier id, e.g. colissimo' });

const TransitShare = Type.Object(
  { days: Type.Integer({ minimum: 0, maximum: 60 }), share: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) },
  { additionalProperties: false },
);

const Lane = Type.Object(
  {
    country: Country,
    maxDistanceKm: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], { description: 'upper bound of the distance band; null = any distance' }),
    transit: Type.Array(TransitShare, { minItems: 1, maxItems: 30, description: 'published transit distribution in carrier delivery days (the prior)' }),
  },
  { additionalProperties: false },
);

const Band = Type.Object(
  { maxWeightGrams: Type.Integer({ minimum: 1 }), costMinor: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export const CarrierServiceInput = Type.Object(
  {
    service: StringEnum(SERVICE_LEVELS),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    originTypes: Type.Array(StringEnum(LOCATION_TYPES), { minItems: 1, uniqueItems: true }),
    originLocationIds: Type.Optional(Type.Array(LocationId, { maxItems: 1000, uniqueItems: true })),
    destinationCountries: Type.Array(Country, { minItems: 1, uniqueItems: true }),
    maxDistanceKm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    pickupWeekdays: Type.Array(StringEnum(WEEKDAYS), { minItems: 1, uniqueItems: true }),
    deliveryWeekdays: Type.Array(StringEnum(WEEKDAYS), { minItems: 1, uniqueItems: true }),
    cutoff: Time,
    lanes: Type.Array(Lane, { minItems: 1, maxItems: 200 }),
    rates: Type.Array(Band, { minItems: 1, maxItems: 50, description: 'price of one parcel by weight band, ascending' }),
  },
  { additionalProperties: false },
);
export type CarrierServiceInput = Static<typeof CarrierServiceInput>;

export const CarrierInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    trackingUrlTemplate: Type.Optional(Type.Union([Type.String({ maxLength: 500, pattern: '^https?://.*\\{trackingNumber\\}' }), Type.Null()])),
    active: Type.Optional(Type.Boolean()),
    services: Type.Array(CarrierServiceInput, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type CarrierInput = Static<typeof CarrierInput>;

export const CarrierView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  trackingUrlTemplate: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  services: Type.Array(CarrierServiceInput),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CarrierView = Static<typeof CarrierView>;

export const DeliveryRecord = Type.Object(
  {
    shipmentReference: Type.String({ minLength: 1, maxLength: 200 }),
    service: StringEnum(SERVICE_LEVELS),
    originLocationId: Type.Optional(LocationId),
    destinationCountry: Country,
    destinationPostalCode: Type.Optional(Type.String({ maxLength: 20 })),
    distanceKm: Type.Optional(Type.Number({ minimum: 0, description: 'when known; otherwise computed from the origin and postal code' })),
    departedOn: Type.String({ format: 'date' }),
    deliveredOn: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type DeliveryRecord = Static<typeof DeliveryRecord>;

export const DeliveriesInput = Type.Object({ deliveries: Type.Array(DeliveryRecord, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false });
export type DeliveriesInput = Static<typeof DeliveriesInput>;

export const DeliveriesOutcome = Type.Object({
  recorded: Type.Integer(),
  duplicates: Type.Integer(),
  lanes: Type.Array(Type.Object({ service: Type.String(), lane: Type.String(), observations: Type.Integer() })),
});
export type DeliveriesOutcome = Static<typeof DeliveriesOutcome>;
