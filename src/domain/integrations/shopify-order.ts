import { computeTotals } from '../orders/order-totals.js';

/**
 * Shopify's order resource (REST Admin API, also the `orders/create` webhook body) mapped to an Ordo
 * order request. Pure: the caller loads what the mapping needs (sellable SKUs, pickup stores, currency
 * exponents) and gets either the order to place or EVERY problem that stops it, never the first only.
 *
 * Money: Shopify writes amounts as decimal strings in the shop currency ("29.90"); they become integer
 * minor units with the currency's ISO 4217 exponent, never through a float. Prices are tax inclusive in
 * Ordo, so an order whose prices exclude tax is refused rather than re-priced.
 *
 * Discounts: each line's `discount_allocations` already holds its share of every discount application
 * (line-level and order-level alike); a shipping line's allocations reduce the delivery fee. The mapped
 * total must equal Shopify's `total_price` exactly, so tips, duties or fees Ordo does not model are
 * reported instead of silently dropped.
 *
 * Example: 2 × "49.90" with allocations "5.00" and "4.98", shipping "4.90" in EUR -> one line of
 * 2 × 4990 with discountMinor 998, shippingMinor 490, total 9472.
 */

export interface ShopifyAllocation {
  amount: string;
}

export interface ShopifyLineItem {
  sku?: string | null;
  title?: string | null;
  quantity: number;
  current_quantity?: number | null;
  price: string;
  total_discount?: string | null;
  discount_allocations?: ShopifyAllocation[] | null;
}

export interface ShopifyShippingLine {
  code?: string | null;
  title?: string | null;
  price: string;
  discounted_price?: string | null;
  discount_allocations?: ShopifyAllocation[] | null;
}

export interface ShopifyAddress {
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  country_code?: string | null;
  phone?: string | null;
}

export interface ShopifyOrder {
  id: number | string;
  admin_graphql_api_id?: string | null;
  name?: string | null;
  email?: string | null;
  contact_email?: string | null;
  phone?: string | null;
  currency: string;
  customer_locale?: string | null;
  financial_status?: string | null;
  gateway?: string | null;
  payment_gateway_names?: string[] | null;
  total_price: string;
  total_tax?: string | null;
  taxes_included?: boolean | null;
  cancelled_at?: string | null;
  tags?: string | null;
  source_name?: string | null;
  test?: boolean | null;
  customer?: { first_name?: string | null; last_name?: string | null; email?: string | null; phone?: string | null } | null;
  line_items: ShopifyLineItem[];
  shipping_lines?: ShopifyShippingLine[] | null;
  shipping_address?: ShopifyAddress | null;
  billing_address?: ShopifyAddress | null;
}

export interface MappingProblem {
  /** Where in the Shopify order, e.g. `line_items[1].sku`. */
  field: string;
  message: string;
}

export interface ShopifyMappingContext {
  channel: string;
  /** Decimals of a currency Ordo supports (EUR 2, JPY 0); undefined for any other code. */
  minorDigits(currency: string): number | undefined;
  /** True for a SKU Ordo sells (an active product). */
  isSellable(sku: string): boolean;
  /** Active stores offering pickup: a local-pickup shipping line names one by id or name. */
  pickupStores: ReadonlyArray<{ id: string; name: string }>;
}

export type ServiceLevel = 'standard' | 'express' | 'same_day';

/** Structurally an Ordo order request (PlaceOrderInput). */
export interface MappedOrder {
  channel: string;
  externalId: string;
  currency: string;
  customer: { email?: string; phone?: string; name?: string; locale?: string };
  lines: Array<{ sku: string; quantity: number; unitPriceMinor: number; discountMinor: number }>;
  delivery:
    | { method: 'ship'; service: ServiceLevel; address: { name?: string; line1?: string; line2?: string; postalCode: string; city?: string; country: string; phone?: string } }
    | { method: 'pickup'; pickupLocationId: string };
  shippingMinor: number;
  payment?: { provider: 'manual'; reference: string; amountMinor: number };
}

export interface ShopifyImport {
  order: MappedOrder;
  totalMinor: number;
  /** Shopify already captured the money (`financial_status: paid`). */
  captured: boolean;
  /** What the order timeline keeps about the import. */
  note: Record<string, unknown>;
}

export type ShopifyMapping = { ok: true; value: ShopifyImport } | { ok: false; problems: MappingProblem[] };

/** Statuses with money still to collect or already collected for the whole order. */
const IMPORTABLE_FINANCIAL_STATUSES = new Set(['pending', 'authorized', 'partially_paid', 'paid']);

const GID = /^gid:\/\/shopify\/Order\/(\d{1,20})$/;

/**
 * The order's id as exact decimal text. Shopify ids are 64-bit: `admin_graphql_api_id` carries them
 * as text, while a JSON number above 2^53 has already lost digits when parsed, so it is refused.
 */
export function shopifyOrderId(order: Pick<ShopifyOrder, 'id' | 'admin_graphql_api_id'>): { id: string } | { problem: MappingProblem } {
  const fromGid = order.admin_graphql_api_id ? GID.exec(order.admin_graphql_api_id)?.[1] : undefined;
  const raw = order.id;
  if (typeof raw === 'number' && !Number.isSafeInteger(raw) && !fromGid) {
    return { problem: { field: 'id', message: `${raw} is beyond 2^53 and lost digits in JSON: send admin_graphql_api_id or the id as a string` } };
  }
  const fromId = typeof raw === 'number' ? (Number.isSafeInteger(raw) ? String(raw) : undefined) : raw;
  if (fromGid && fromId && fromGid !== fromId) {
    return { problem: { field: 'admin_graphql_api_id', message: `names order ${fromGid} but id is ${fromId}` } };
  }
  return { id: (fromGid ?? fromId)! };
}

/**
 * A Shopify money string ("29.90", "1500", "1500.00") in minor units of a currency with `digits`
 * decimals. Zeros past the exponent are accepted (Shopify writes "1500.00" for JPY); any other digit
 * there is an error, as is a sign or an exponent.
 */
export function moneyToMinor(text: string, digits: number): number | { error: string } {
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text);
  if (!match) return { error: `"${text}" is not an amount like 29.90` };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return { error: `"${text}" has more decimals than the currency's ${digits}` };
  return Number(match[1]! + fraction.padEnd(digits, '0'));
}

/** `fr`, `fr-FR`, `fr_fr` -> `fr`, `fr-FR`; a longer tag (`zh-Hant-TW`) keeps its language only. */
export function normaliseLocale(locale: string | null | undefined): string | undefined {
  const tag = locale?.trim() ?? '';
  const full = /^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}))?$/.exec(tag);
  if (full) return full[2] ? `${full[1]!.toLowerCase()}-${full[2].toUpperCase()}` : full[1]!.toLowerCase();
  return /^([a-zA-Z]{2,3})[-_]/.exec(tag)?.[1]?.toLowerCase();
}

/** The delivery service a shipping line's code or title asks for; standard unless it says otherwise. */
export function serviceOf(line: Pick<ShopifyShippingLine, 'code' | 'title'> | undefined): ServiceLevel {
  const text = `${line?.code ?? ''} ${line?.title ?? ''}`.toLowerCase();
  if (/same[ -]?day|jour même|jour meme/.test(text)) return 'same_day';
  if (/express|exprès|next[ -]?day|24 ?h|chrono/.test(text)) return 'express';
  return 'standard';
}

const text = (v: string | null | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};
const fullName = (a: { name?: string | null; first_name?: string | null; last_name?: string | null } | null | undefined): string | undefined =>
  text(a?.name) ?? text([a?.first_name, a?.last_name].filter(Boolean).join(' '));
const squash = (v: string | null | undefined): string => (v ?? '').trim().toLowerCase();

/** Maps a Shopify order to the Ordo order request, or lists every problem that stops it. */
export function mapShopifyOrder(order: ShopifyOrder, ctx: ShopifyMappingContext): ShopifyMapping {
  const problems: MappingProblem[] = [];
  const id = shopifyOrderId(order);
  if ('problem' in id) problems.push(id.problem);
  const digits = ctx.minorDigits(order.currency);
  if (digits === undefined) problems.push({ field: 'currency', message: `${order.currency} is not a currency Ordo supports (ISO 4217)` });
  const money = (field: string, value: string): number => {
    if (digits === undefined) return 0;
    const minor = moneyToMinor(value, digits);
    if (typeof minor === 'number') return minor;
    problems.push({ field, message: minor.error });
    return 0;
  };
  const allocated = (field: string, allocations: readonly ShopifyAllocation[]) => allocations.reduce((sum, a, i) => sum + money(`${field}[${i}].amount`, a.amount), 0);

  if (order.cancelled_at) problems.push({ field: 'cancelled_at', message: `the order was cancelled at Shopify (${order.cancelled_at})` });
  const financialStatus = order.financial_status ?? 'pending';
  if (!IMPORTABLE_FINANCIAL_STATUSES.has(financialStatus)) {
    problems.push({ field: 'financial_status', message: `${financialStatus}: only pending, authorized, partially_paid or paid orders are imported` });
  }
  if (order.line_items.length === 0) problems.push({ field: 'line_items', message: 'the order has no line items' });

  const lines = order.line_items.map((item, i) => {
    const field = `line_items[${i}]`;
    const sku = text(item.sku);
    if (!sku) problems.push({ field: `${field}.sku`, message: `"${item.title ?? 'item'}" has no SKU: Ordo fulfils SKUs only` });
    else if (!ctx.isSellable(sku)) problems.push({ field: `${field}.sku`, message: `${sku} is not an active product in Ordo` });
    if (item.current_quantity != null && item.current_quantity !== item.quantity) {
      problems.push({ field: `${field}.current_quantity`, message: `${item.current_quantity} of ${item.quantity}: lines edited or refunded after checkout are not imported` });
    }
    const discountMinor = item.discount_allocations ? allocated(`${field}.discount_allocations`, item.discount_allocations) : item.total_discount ? money(`${field}.total_discount`, item.total_discount) : 0;
    return { sku: sku ?? '', quantity: item.quantity, unitPriceMinor: money(`${field}.price`, item.price), discountMinor };
  });

  const shippingLines = order.shipping_lines ?? [];
  const shippingMinor = shippingLines.reduce((sum, line, i) => {
    const field = `shipping_lines[${i}]`;
    const fee = line.discount_allocations
      ? money(`${field}.price`, line.price) - allocated(`${field}.discount_allocations`, line.discount_allocations)
      : money(line.discounted_price ? `${field}.discounted_price` : `${field}.price`, line.discounted_price ?? line.price);
    if (fee < 0) problems.push({ field: `${field}.discount_allocations`, message: 'the shipping discount exceeds the shipping price' });
    return sum + Math.max(0, fee);
  }, 0);

  const delivery = deliveryOf(order, shippingLines, ctx, problems);
  const customer = customerOf(order);
  if (!customer.email && !customer.phone) problems.push({ field: 'email', message: 'the order has neither an e-mail nor a phone: Ordo must be able to reach the customer' });

  const totals = computeTotals(lines, { shippingMinor });
  if (!totals.ok) {
    const details = (totals.details as { problems?: Array<{ line?: number; field: string; message: string }> }).problems ?? [];
    for (const p of details) problems.push({ field: p.line === undefined ? p.field : `line_items[${p.line}]`, message: p.message });
  }
  const totalMinor = totals.ok ? totals.value.totalMinor : 0;
  const taxMinor = order.total_tax ? money('total_tax', order.total_tax) : 0;
  const shopifyTotal = money('total_price', order.total_price);
  if (order.taxes_included === false && taxMinor > 0) {
    problems.push({ field: 'taxes_included', message: 'prices exclude tax: Ordo prices include it, so this order cannot be imported as it stands' });
  } else if (totals.ok && digits !== undefined && shopifyTotal !== totalMinor) {
    problems.push({ field: 'total_price', message: `${order.total_price} but lines, discounts and shipping add up to ${totalMinor} minor units (tips, duties and fees are not imported)` });
  }
  if (problems.length > 0 || 'problem' in id || !delivery) return { ok: false, problems };

  const gateway = (order.payment_gateway_names?.filter((g) => g.trim()).join('+') || text(order.gateway) || 'shopify').slice(0, 200);
  const captured = financialStatus === 'paid';
  return {
    ok: true,
    value: {
      order: {
        channel: ctx.channel,
        externalId: id.id,
        currency: order.currency,
        customer,
        lines,
        delivery,
        shippingMinor,
        ...(totalMinor > 0 ? { payment: { provider: 'manual' as const, reference: gateway, amountMinor: totalMinor } } : {}),
      },
      totalMinor,
      captured,
      note: {
        source: 'shopify',
        shopifyOrderId: id.id,
        ...(order.name ? { name: order.name } : {}),
        ...(order.source_name ? { sourceName: order.source_name } : {}),
        financialStatus,
        gateway,
        paymentCapturedAtShopify: captured,
        ...(order.tags ? { tags: order.tags } : {}),
        ...(order.test ? { test: true } : {}),
      },
    },
  };
}

function customerOf(order: ShopifyOrder): MappedOrder['customer'] {
  const email = text(order.email) ?? text(order.contact_email) ?? text(order.customer?.email);
  const phone = text(order.phone) ?? text(order.customer?.phone) ?? text(order.billing_address?.phone) ?? text(order.shipping_address?.phone);
  const name = fullName(order.customer) ?? fullName(order.billing_address) ?? fullName(order.shipping_address);
  const locale = normaliseLocale(order.customer_locale);
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(name ? { name } : {}), ...(locale ? { locale } : {}) };
}

/**
 * Ship to the shipping address; without one, a local pickup: Shopify's REST order has no pickup flag,
 * and the shipping line of a local pickup carries the location's name (code and title), which must name
 * an Ordo pickup store by id or name.
 */
function deliveryOf(order: ShopifyOrder, shippingLines: readonly ShopifyShippingLine[], ctx: ShopifyMappingContext, problems: MappingProblem[]): MappedOrder['delivery'] | undefined {
  const a = order.shipping_address;
  if (a) {
    const postalCode = text(a.zip);
    const country = text(a.country_code)?.toUpperCase();
    if (!postalCode) problems.push({ field: 'shipping_address.zip', message: 'a delivery address needs a postal code' });
    if (!country) problems.push({ field: 'shipping_address.country_code', message: 'a delivery address needs its country code' });
    if (!postalCode || !country) return undefined;
    const name = fullName(a);
    const line1 = text(a.address1);
    const line2 = [text(a.address2), text(a.company)].filter(Boolean).join(', ');
    const city = text(a.city);
    const phone = text(a.phone);
    const address = { ...(name ? { name } : {}), ...(line1 ? { line1 } : {}), ...(line2 ? { line2 } : {}), postalCode, ...(city ? { city } : {}), country, ...(phone ? { phone } : {}) };
    return { method: 'ship', service: serviceOf(shippingLines[0]), address };
  }
  for (const line of shippingLines) {
    const names = [squash(line.code), squash(line.title)].filter(Boolean);
    const store = ctx.pickupStores.find((s) => names.includes(squash(s.id)) || names.includes(squash(s.name)));
    if (store) return { method: 'pickup', pickupLocationId: store.id };
  }
  const named = shippingLines.map((l) => l.title ?? l.code).filter(Boolean);
  problems.push({
    field: 'shipping_address',
    message: named.length > 0
      ? `no shipping address, and ${named.map((n) => `"${n}"`).join(', ')} names no Ordo pickup store (local pickup lines carry the store's id or name)`
      : 'no shipping address and no shipping line: nothing says where the goods go',
  });
  return undefined;
}
