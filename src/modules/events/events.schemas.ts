import { Type, type Static } from 'typebox';

export const EventsQuerystring = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'position of the last event already read (nextCursor)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 100 })),
    types: Type.Optional(Type.String({ minLength: 1, maxLength: 2_000, pattern: '^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$', description: 'comma-separated event types' })),
    aggregateId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type EventsQuerystring = Static<typeof EventsQuerystring>;

const Event = Type.Object({
  position: Type.Integer(),
  eventId: Type.String(),
  type: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  payload: Type.Unknown(),
  occurredAt: Type.String({ format: 'date-time' }),
});

export const EventsPage = Type.Object({
  items: Type.Array(Event),
  nextCursor: Type.Integer({ description: 'pass as `after` to read on; unchanged when there was nothing new' }),
});
export type EventsPage = Static<typeof EventsPage>;
