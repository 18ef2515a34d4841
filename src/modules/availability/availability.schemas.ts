import { Type, type Static } from 'typebox';
import { ChannelId } from '../../http/schemas.js';

export const MAX_SKUS = 100;

export const AvailabilityQuerystring = Type.Object(
  {
    skus: Type.String({ minLength: 1, maxLength: 8_000, description: `comma-separated SKUs, at most ${MAX_SKUS}` }),
    channel: Type.Optional(ChannelId),
    postalCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 alpha-2, required with postalCode (FR supported)' })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    radiusKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 20_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20, description: 'locations per SKU' })),
  },
  { additionalProperties: false },
);
export type AvailabilityQuerystring = Static<typeof AvailabilityQuerystring>;

const LocationAvailability = Type.Object({
  locationId: Type.String(),
  name: Type.String(),
  type: Type.String(),
  atp: Type.Integer(),
  distanceKm: Type.Union([Type.Number(), Type.Null()]),
});

export const AvailabilityResponse = Type.Object({
  channel: Type.Union([Type.String(), Type.Null()]),
  origin: Type.Union([Type.Object({ latitude: Type.Number(), longitude: Type.Number() }), Type.Null()]),
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      known: Type.Boolean({ description: 'false: no stock position anywhere for this SKU' }),
      networkAtp: Type.Integer({ description: 'what the channel may sell, pool rules applied' }),
      locations: Type.Array(LocationAvailability),
    }),
  ),
});
export type AvailabilityResponse = Static<typeof AvailabilityResponse>;
