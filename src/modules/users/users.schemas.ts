import { Type } from 'typebox';
import { LocationId, StringEnum, Timestamp } from '../../http/schemas.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';
import { LOCALES, USER_ROLES } from './users.repository.js';

const Locale = Type.Union([StringEnum(LOCALES), Type.Null()]);
const Role = StringEnum(USER_ROLES);
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, description: `at least ${MIN_PASSWORD_LENGTH} characters` });

export const SessionUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  locationIds: Type.Array(Type.String()),
  locale: Locale,
});

export const User = Type.Object({
  ...SessionUser.properties,
  disabled: Type.Boolean(),
  disabledAt: NullableTimestamp,
  lockedUntil: NullableTimestamp,
  lastLoginAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    password: Password,
    role: Role,
    locationIds: Type.Optional(Type.Array(LocationId, { maxItems: 500 })),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })),
    role: Type.Optional(Role),
    locationIds: Type.Optional(Type.Array(LocationId, { maxItems: 500 })),
    locale: Type.Optional(Locale),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);
