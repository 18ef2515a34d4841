import { Type } from 'typebox';

/** Shared schema pieces. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const LocationId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$', description: 'client-chosen location id' });
export const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$', description: 'stock keeping unit' });
export const ChannelId = Type.String({ pattern: '^[a-z][a-z0-9_-]*(:[a-z0-9_-]+)?$', description: 'e.g. web, pos, marketplace:amazon' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });
export const Timestamp = Type.String({ format: 'date-time' });

/** Standard error responses documented on every route. */
export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
} as const;

/** A string restricted to a list, reported as one readable "must be one of" error (not an anyOf per value). */
export const StringEnum = <T extends readonly string[]>(values: T, opts: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
