import type { Product } from '../api';

/** An order being taken at the counter, as the associate fills it in. */
export interface CartLine {
  product: Product;
  quantity: number;
}

export interface CustomerDraft {
  name: string;
  email: string;
  phone: string;
  language: 'fr' | 'en';
}

export type Method = 'ship' | 'pickup' | 'carry_out';

export interface AddressDraft {
  line1: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface DeliveryDraft {
  method: Method;
  address: AddressDraft;
  /** Home delivery: the chosen service of the promise (standard, express, same_day). */
  service: string | null;
  /** Pickup: where the stores are searched from (a postal code; this store's by default). */
  pickupNear: string;
  pickupLocationId: string | null;
  pickupName: string | null;
}

/** One option of POST /v1/promise (the fields the counter shows). */
export interface PromiseOption {
  optionId: string;
  kind: string;
  service?: string;
  pickupLocation?: { locationId: string; name: string; distanceKm: number | null };
  earliest: string;
  latest: string;
  confidence: number;
  preorder: boolean;
}

export interface PromiseAnswer {
  currency: string;
  destination: { postalCode: string; country: string; located: boolean } | null;
  options: PromiseOption[];
  unavailable: Array<{ optionId: string; kind: string; service?: string; pickupLocationId?: string; reasons: Array<{ code: string; message: string }> }>;
}

/** The order as POST /v1/orders answers it (the fields the confirmation shows). */
export interface PlacedOrder {
  id: string;
  number: string;
  status: string;
  currency: string;
  customer: { email?: string; name?: string };
  delivery: { method: string; service: string | null; pickupLocationId: string | null };
  totals: { subtotalMinor: number; totalMinor: number };
  promise: { optionId: string; earliest: string; latest: string; option: { kind?: string; earliest?: string; latest?: string } } | null;
  payments: Array<{ status: string; authorisedMinor: number; capturedMinor: number }>;
}

// The API's own rules for a contact (order.schemas.ts), checked here so the associate sees which field.
const PHONE = /^\+?[0-9 ().-]{4,30}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type DraftProblem = 'cartEmpty' | 'contactNeeded' | 'emailInvalid' | 'phoneInvalid' | 'addressIncomplete' | 'serviceNeeded' | 'storeNeeded';

/** What still stops the order from being sent, in the order the screen shows its sections. */
export function draftProblems(cart: readonly CartLine[], customer: CustomerDraft, delivery: DeliveryDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (cart.length === 0) problems.push('cartEmpty');
  const email = customer.email.trim();
  const phone = customer.phone.trim();
  // A counter sale may stay anonymous; an order that travels must be able to reach its customer.
  if (!email && !phone && delivery.method !== 'carry_out') problems.push('contactNeeded');
  if (email && !EMAIL.test(email)) problems.push('emailInvalid');
  if (phone && !PHONE.test(phone)) problems.push('phoneInvalid');
  if (delivery.method === 'ship') {
    const a = delivery.address;
    if (!a.line1.trim() || !a.postalCode.trim() || !a.city.trim()) problems.push('addressIncomplete');
    if (!delivery.service) problems.push('serviceNeeded');
  }
  if (delivery.method === 'pickup' && !delivery.pickupLocationId) problems.push('storeNeeded');
  return problems;
}

const LOCALES = { fr: 'fr-FR', en: 'en-GB' } as const;

/** The body of POST /v1/orders for a counter order: POS channel, origin store and associate, paid at the counter. */
export function orderBody(p: {
  channel: string;
  currency: string;
  storeId: string;
  associate: string;
  cart: readonly CartLine[];
  customer: CustomerDraft;
  delivery: DeliveryDraft;
  paymentReference: string;
}) {
  const { customer: c, delivery: d } = p;
  const name = c.name.trim();
  const email = c.email.trim();
  const phone = c.phone.trim();
  const anonymous = !name && !email && !phone;
  const customer = anonymous ? undefined : { ...(name ? { name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}), locale: LOCALES[c.language] };
  const delivery =
    d.method === 'ship'
      ? {
          method: 'ship' as const,
          service: d.service ?? undefined,
          address: {
            ...(name ? { name } : {}),
            line1: d.address.line1.trim(),
            postalCode: d.address.postalCode.trim(),
            city: d.address.city.trim(),
            country: d.address.country,
            ...(phone ? { phone } : {}),
          },
        }
      : d.method === 'pickup'
        ? { method: 'pickup' as const, pickupLocationId: d.pickupLocationId ?? undefined }
        : { method: 'carry_out' as const };
  const reference = p.paymentReference.trim();
  return {
    channel: p.channel,
    currency: p.currency,
    ...(customer ? { customer } : {}),
    lines: p.cart.map((l) => ({ sku: l.product.sku, quantity: l.quantity })),
    delivery,
    origin: { storeId: p.storeId, associate: p.associate.slice(0, 100) },
    payment: { provider: 'manual', ...(reference ? { reference } : {}) },
  };
}

/** The catalogue price of the cart in the order currency (the server computes the real totals). */
export function cartTotal(cart: readonly CartLine[], currency: string): number {
  return cart.reduce((s, l) => s + (l.product.prices[currency] ?? 0) * l.quantity, 0);
}

/** Adds a product to the cart, or one more unit of it when it is already there. */
export function addToCart(cart: readonly CartLine[], product: Product, quantity = 1): CartLine[] {
  const existing = cart.find((l) => l.product.sku === product.sku);
  if (existing) return cart.map((l) => (l === existing ? { ...l, quantity: Math.min(99, l.quantity + quantity) } : l));
  return [...cart, { product, quantity }];
}
