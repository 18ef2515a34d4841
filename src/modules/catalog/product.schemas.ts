import { Type, type Static } from 'typebox';
import { Currency, Sku, Timestamp } from '../../http/schemas.js';
import { MAX_PRICE_MINOR } from './currency.js';

export const AttributeName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' });

const productFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  styleId: Type.Optional(
    Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 64 })], { description: 'groups the sizes and colours of one model' }),
  ),
  attributes: Type.Optional(
    Type.Record(AttributeName, Type.String({ maxLength: 200 }), {
      additionalProperties: false,
      maxProperties: 50,
      description: 'free string attributes: size, colour, material...',
    }),
  ),
  prices: Type.Optional(
    Type.Record(Currency, Type.Integer({ minimum: 0, maximum: MAX_PRICE_MINOR }), {
      additionalProperties: false,
      maxProperties: 50,
      description: 'integer minor units per ISO 4217 currency: { "EUR": 2999 } is 29.99 EUR',
    }),
  ),
  weightGrams: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 2_147_483_647 })])),
  backorderable: Type.Optional(Type.Boolean({ description: 'may be sold without stock (default false)' })),
  preorderable: Type.Optional(Type.Boolean({ description: 'may be sold before its first receipt (default false)' })),
  active: Type.Optional(Type.Boolean({ description: 'default true' })),
};

/** Body of PUT /v1/products/{sku}: replaces the product; absent optional fields take their defaults. */
export const ProductInput = Type.Object(productFields, { additionalProperties: false });
export type ProductInput = Static<typeof ProductInput>;

/** One product of a bulk import: the PUT body plus its SKU. */
export const ProductImportRow = Type.Object({ sku: Sku, ...productFields }, { additionalProperties: false });
export type ProductImportRow = Static<typeof ProductImportRow>;

export const Product = Type.Object({
  sku: Sku,
  name: Type.String(),
  styleId: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Record(Type.String(), Type.String()),
  prices: Type.Record(Type.String(), Type.Integer()),
  weightGrams: Type.Union([Type.Integer(), Type.Null()]),
  backorderable: Type.Boolean(),
  preorderable: Type.Boolean(),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Product = Static<typeof Product>;

/** A problem with one product of an import; row 1 is the first product (CSV: the line after the header, row 0). */
export interface ImportRowError {
  /** null when the file itself is unreadable */
  row: number | null;
  field: string | null;
  message: string;
}

export const ImportResult = Type.Object({
  importId: Type.String(),
  created: Type.Integer(),
  updated: Type.Integer(),
  total: Type.Integer(),
});
export type ImportResult = Static<typeof ImportResult>;
