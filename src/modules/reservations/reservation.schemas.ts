import { Type, type Static } from 'typebox';
import { ChannelId, LocationId, Sku, StringEnum, Timestamp } from '../../http/schemas.js';
import { MAX_LINES, MAX_TTL_SECONDS } from '../../domain/reservations/hold.js';

export const RESERVATION_STATUSES = ['active', 'released', 'expired', 'consumed'] as const;

export const HoldLineInput = Type.Object(
  {
    sku: Sku,
    locationId: LocationId,
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);

export const CreateHoldInput = Type.Object(
  {
    lines: Type.Array(HoldLineInput, { minItems: 1, maxItems: MAX_LINES }),
    channel: Type.Optional(ChannelId),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS, description: 'default 900' })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'cart or order reference' })),
  },
  { additionalProperties: false },
);
export type CreateHoldInput = Static<typeof CreateHoldInput>;

export const HoldLine = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sku: Type.String(),
  locationId: Type.String(),
  quantity: Type.Integer(),
  status: StringEnum(RESERVATION_STATUSES),
});
export type HoldLine = Static<typeof HoldLine>;

export const Hold = Type.Object({
  id: Type.String({ format: 'uuid', description: 'hold id' }),
  status: StringEnum(RESERVATION_STATUSES),
  channel: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  endedAt: Type.Union([Timestamp, Type.Null()]),
  endedBy: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(HoldLine),
});
export type Hold = Static<typeof Hold>;
