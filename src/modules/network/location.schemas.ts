import { Type, type Static } from 'typebox';
import { LocationId, StringEnum, Timestamp } from '../../http/schemas.js';

export const LOCATION_TYPES = ['store', 'warehouse', 'supplier', 'marketplace_seller'] as const;
export const CAPABILITIES = ['ship', 'pickup', 'ship_from_store', 'same_day', 'returns'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local time' });
const Interval = Type.Object({ open: Time, close: Time }, { additionalProperties: false });
const DayHours = Type.Array(Interval, { maxItems: 4 });

export const OpeningHours = Type.Object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(DayHours)])) as Record<(typeof WEEKDAYS)[number], ReturnType<typeof Type.Optional<typeof DayHours>>>,
  { additionalProperties: false, description: 'weekly hours in the location time zone; a missing day is closed' },
);

export const OpeningException = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    closed: Type.Optional(Type.Boolean()),
    hours: Type.Optional(DayHours),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const Cutoffs = Type.Object(
  { standard: Type.Optional(Time), express: Type.Optional(Time), same_day: Type.Optional(Time) },
  { additionalProperties: false, description: 'orders accepted strictly before this local time leave the same day, per service; absent: the carrier service cut-off' },
);

export const Address = Type.Object(
  {
    line1: Type.Optional(Type.String({ maxLength: 200 })),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  },
  { additionalProperties: false },
);

export const LocationInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: StringEnum(LOCATION_TYPES),
    address: Type.Optional(Address),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' }),
    openingHours: Type.Optional(OpeningHours),
    openingExceptions: Type.Optional(Type.Array(OpeningException, { maxItems: 366 })),
    capabilities: Type.Optional(Type.Array(StringEnum(CAPABILITIES), { uniqueItems: true })),
    dailyPickCapacity: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    handlingCostMinor: Type.Optional(Type.Integer({ minimum: 0 })),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    dataReliability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    active: Type.Optional(Type.Boolean()),
    cutoffs: Type.Optional(Cutoffs),
    processingDays: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 30 }), Type.Null()], { description: 'working days before a parcel leaves; null: the location type default' }),
    ),
    pickupPrepMinutes: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 10080 }), Type.Null()], { description: 'open minutes to prepare a pickup; null: the location type default' }),
    ),
  },
  { additionalProperties: false },
);
export type LocationInput = Static<typeof LocationInput>;

export const Location = Type.Object({
  id: LocationId,
  name: Type.String(),
  type: Type.String(),
  address: Type.Record(Type.String(), Type.Unknown()),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
  timeZone: Type.String(),
  openingHours: Type.Record(Type.String(), Type.Unknown()),
  openingExceptions: Type.Array(Type.Unknown()),
  capabilities: Type.Array(Type.String()),
  dailyPickCapacity: Type.Union([Type.Integer(), Type.Null()]),
  handlingCostMinor: Type.Integer(),
  priority: Type.Integer(),
  dataReliability: Type.Number(),
  active: Type.Boolean(),
  cutoffs: Type.Record(Type.String(), Type.String()),
  processingDays: Type.Union([Type.Integer(), Type.Null()]),
  pickupPrepMinutes: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Location = Static<typeof Location>;
