import { Type, type Static } from 'typebox';
import { StringEnum, Timestamp } from '../../http/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SUBSCRIPTION_STATUSES = ['active', 'paused'] as const;
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;

const Url = Type.String({ minLength: 1, maxLength: 2_000, format: 'uri', description: 'http(s) endpoint that receives the POSTs' });
const EventTypePattern = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'an event type (order.shipped), a family (order.*) or * for every event',
});
const EventTypes = Type.Array(EventTypePattern, { minItems: 1, maxItems: 100 });
const MaxAttempts = Type.Integer({ minimum: 1, maximum: 50, description: 'attempts before a delivery is dead-lettered (default 8)' });
const TimeoutMs = Type.Integer({ minimum: 100, maximum: 60_000, description: 'per request, connect to last byte (default 10,000)' });
const Description = Type.String({ maxLength: 500 });

export const CreateWebhookInput = Type.Object(
  {
    url: Url,
    eventTypes: EventTypes,
    description: Type.Optional(Description),
    maxAttempts: Type.Optional(MaxAttempts),
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false },
);
export type CreateWebhookInput = Static<typeof CreateWebhookInput>;

export const UpdateWebhookInput = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Nullable(Description)),
    status: Type.Optional(StringEnum(SUBSCRIPTION_STATUSES, { description: 'paused: deliveries are kept and wait until active again' })),
    maxAttempts: Type.Optional(MaxAttempts),
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookInput = Static<typeof UpdateWebhookInput>;

export const Webhook = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Nullable(Type.String()),
  eventTypes: Type.Array(Type.String()),
  status: StringEnum(SUBSCRIPTION_STATUSES),
  maxAttempts: Type.Integer(),
  timeoutMs: Type.Integer(),
  startAfter: Type.Integer({ description: 'live delivery covers events positioned after this' }),
  replay: Nullable(Type.Object({ after: Type.Integer(), until: Type.Integer() }, { description: 'a replay in progress' })),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreatedWebhook = Type.Intersect([
  Webhook,
  Type.Object({ secret: Type.String({ description: 'signing secret, shown only in this response' }) }),
]);

export const WebhookParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'subscription id' }) });
export const DeliveryParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'subscription id' }),
  deliveryId: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }),
});

export const ReplayInput = Type.Object(
  { after: Type.Integer({ minimum: 0, description: 'event position to replay after (0: the whole log)' }) },
  { additionalProperties: false },
);

export const ReplayStarted = Type.Object({
  subscriptionId: Type.String(),
  after: Type.Integer(),
  until: Type.Integer({ description: 'head of the log when the replay was asked; later events arrive live' }),
});

export const RequeueInput = Type.Object(
  { deliveryIds: Type.Optional(Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,17}$' }), { minItems: 1, maxItems: 1_000 })) },
  { additionalProperties: false, description: 'omit deliveryIds to requeue every dead letter of the subscription' },
);

const DeliveryFields = {
  id: Type.String(),
  eventId: Type.String({ format: 'uuid' }),
  position: Type.Integer(),
  eventType: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  status: StringEnum(DELIVERY_STATUSES),
  attempts: Type.Integer({ description: 'attempts in the current round (a requeue or replay starts a new one)' }),
  totalAttempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastAttemptAt: Nullable(Timestamp),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastDurationMs: Nullable(Type.Integer()),
  deliveredAt: Nullable(Timestamp),
  deadAt: Nullable(Timestamp),
  createdAt: Timestamp,
};
export const Delivery = Type.Object(DeliveryFields);

export const DeliveryDetail = Type.Object({
  ...DeliveryFields,
  attemptLog: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      startedAt: Timestamp,
      durationMs: Type.Integer(),
      statusCode: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
      responseExcerpt: Nullable(Type.String()),
    }),
  ),
});

export const DeliveriesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
});
