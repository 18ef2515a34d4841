import { Type, type Static } from 'typebox';
import { ChannelId, LocationId, StringEnum, Timestamp } from '../../http/schemas.js';

export const CHANNEL_TYPES = ['web', 'app', 'pos', 'callcenter', 'social', 'marketplace'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const Protection = Type.Object(
  {
    channelId: ChannelId,
    quantity: Type.Integer({ minimum: 0, description: 'units per SKU kept back for that channel' }),
  },
  { additionalProperties: false },
);

/** Mirrors `ChannelPool` of src/domain/inventory/pools.ts. */
export const ChannelPoolSchema = Type.Object(
  {
    maxShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share of eligible network ATP per SKU' })),
    maxQuantity: Type.Optional(Type.Integer({ minimum: 0, description: 'absolute cap per SKU' })),
    protections: Type.Optional(Type.Array(Protection, { maxItems: 100, description: 'units kept back for priority channels' })),
  },
  { additionalProperties: false },
);

export const ChannelInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: StringEnum(CHANNEL_TYPES, { description: 'marketplace ids are marketplace:<name>' }),
    eligibleLocationIds: Type.Optional(
      Type.Union([Type.Null(), Type.Array(LocationId, { uniqueItems: true, maxItems: 10_000 })], {
        description: 'locations whose stock the channel sells; null or absent: every active location',
      }),
    ),
    pool: Type.Optional(ChannelPoolSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ChannelInput = Static<typeof ChannelInput>;

export const Channel = Type.Object({
  id: ChannelId,
  name: Type.String(),
  type: Type.String(),
  eligibleLocationIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  pool: Type.Object({
    maxShare: Type.Optional(Type.Number()),
    maxQuantity: Type.Optional(Type.Integer()),
    protections: Type.Array(Type.Object({ channelId: Type.String(), quantity: Type.Integer() })),
  }),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Channel = Static<typeof Channel>;
