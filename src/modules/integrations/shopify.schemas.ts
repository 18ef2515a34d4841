import { Type, type Static } from 'typebox';
import type { ShopifyOrder } from '../../domain/integrations/shopify-order.js';
import { ChannelId } from '../../http/schemas.js';

/**
 * The fields of Shopify's order resource (REST Admin API, `orders/create` webhook) the import reads.
 * Every other field Shopify sends is accepted and ignored; Shopify's nulls are accepted wherever it
 * writes them. Amounts are Shopify's decimal strings; their decimals are checked against the currency
 * by the mapping (422), not here.
 */
const Money = Type.String({ pattern: '^\\d{1,13}(\\.\\d+)?$', description: 'Shopify amount, e.g. "29.90"' });
const Text = Type.Union([Type.String({ maxLength: 1_000 }), Type.Null()]);
const Allocations = Type.Union([Type.Array(Type.Object({ amount: Money }), { maxItems: 100 }), Type.Null()]);

const Address = Type.Union([
  Type.Object({
    name: Type.Optional(Text),
    first_name: Type.Optional(Text),
    last_name: Type.Optional(Text),
    company: Type.Optional(Text),
    address1: Type.Optional(Text),
    address2: Type.Optional(Text),
    city: Type.Optional(Text),
    zip: Type.Optional(Text),
    country_code: Type.Optional(Text),
    phone: Type.Optional(Text),
  }),
  Type.Null(),
]);

export const ShopifyOrderSchema = Type.Object({
  id: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[1-9]\\d{0,19}$' })], { description: 'Shopify order id' }),
  admin_graphql_api_id: Type.Optional(Text),
  name: Type.Optional(Text),
  email: Type.Optional(Text),
  contact_email: Type.Optional(Text),
  phone: Type.Optional(Text),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'shop currency (ISO 4217); the amounts below are in it' }),
  customer_locale: Type.Optional(Text),
  financial_status: Type.Optional(Text),
  gateway: Type.Optional(Text),
  payment_gateway_names: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }), Type.Null()])),
  total_price: Money,
  total_tax: Type.Optional(Type.Union([Money, Type.Null()])),
  taxes_included: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  cancelled_at: Type.Optional(Text),
  tags: Type.Optional(Text),
  source_name: Type.Optional(Text),
  test: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  customer: Type.Optional(
    Type.Union([Type.Object({ first_name: Type.Optional(Text), last_name: Type.Optional(Text), email: Type.Optional(Text), phone: Type.Optional(Text) }), Type.Null()]),
  ),
  line_items: Type.Array(
    Type.Object({
      sku: Type.Optional(Text),
      title: Type.Optional(Text),
      quantity: Type.Integer({ minimum: 1 }),
      current_quantity: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
      price: Money,
      total_discount: Type.Optional(Type.Union([Money, Type.Null()])),
      discount_allocations: Type.Optional(Allocations),
    }),
    { minItems: 1, maxItems: 1_000 },
  ),
  shipping_lines: Type.Optional(
    Type.Union([
      Type.Array(
        Type.Object({
          code: Type.Optional(Text),
          title: Type.Optional(Text),
          price: Money,
          discounted_price: Type.Optional(Type.Union([Money, Type.Null()])),
          discount_allocations: Type.Optional(Allocations),
        }),
        { maxItems: 20 },
      ),
      Type.Null(),
    ]),
  ),
  shipping_address: Type.Optional(Address),
  billing_address: Type.Optional(Address),
});

// The schema and the pure mapping read the same fields: this stops compiling if they drift apart.
export const asShopifyOrder = (order: Static<typeof ShopifyOrderSchema>): ShopifyOrder => order;

export const ShopifyImportQuery = Type.Object({ channel: ChannelId });
