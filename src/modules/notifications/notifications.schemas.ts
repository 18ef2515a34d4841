import { Type, type Static } from 'typebox';
import { CHANNELS, SUPPRESSION_REASONS } from '../../domain/notifications/delivery-policy.js';
import { TEMPLATES } from '../../domain/notifications/render.js';
import { StringEnum, Timestamp } from '../../http/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const OrderIdParam = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 100 }) });

export const Notification = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  orderNumber: Nullable(Type.String()),
  eventId: Type.String({ format: 'uuid' }),
  eventType: Type.String(),
  channel: StringEnum(CHANNELS),
  recipient: Type.String(),
  template: StringEnum(TEMPLATES),
  locale: Type.String({ description: 'BCP 47 locale the message was written in' }),
  essential: Type.Boolean({ description: 'needed for the order: still sent to an unsubscribed customer' }),
  status: StringEnum(['sending', 'retrying', 'sent', 'failed', 'suppressed'] as const, {
    description: 'sent: accepted by the provider (see provider: eml-file and sms-file only record); suppressed: not sent, see error for why',
  }),
  summary: Type.String({ description: 'e-mail subject or SMS text' }),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  provider: Nullable(Type.String({ description: 'smtp, eml-file, sms-webhook or sms-file' })),
  providerMessageId: Nullable(Type.String()),
  providerResponse: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: Nullable(Timestamp),
});

export const UnsubscribeQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 2_000 }) });

export const SuppressionParams = Type.Object({
  channel: StringEnum(CHANNELS),
  address: Type.String({ minLength: 3, maxLength: 320, description: 'e-mail address or phone number (E.164)' }),
});

export const SuppressionInput = Type.Object(
  {
    reason: Type.Optional(StringEnum(SUPPRESSION_REASONS, { description: 'default admin: no message at all; unsubscribed: no optional message' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type SuppressionInput = Static<typeof SuppressionInput>;

export const Suppression = Type.Object({
  channel: StringEnum(CHANNELS),
  address: Type.String(),
  reason: StringEnum(SUPPRESSION_REASONS),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
});

export const SuppressionQuery = Type.Object({
  channel: Type.Optional(StringEnum(CHANNELS)),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 1_000 })),
});
