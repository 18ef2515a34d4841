import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapShopifyOrder, moneyToMinor, normaliseLocale, serviceOf, shopifyOrderId, type ShopifyMappingContext, type ShopifyOrder } from './shopify-order.js';

const DIGITS: Record<string, number> = { EUR: 2, JPY: 0, BHD: 3, USD: 2 };
const ctx: ShopifyMappingContext = {
  channel: 'shopify-fr',
  minorDigits: (c) => DIGITS[c],
  isSellable: (sku) => ['PULL-M', 'JEAN-32', 'BONNET'].includes(sku),
  pickupStores: [{ id: 'store-paris', name: 'Paris Rivoli' }],
};

const address = { first_name: 'Camille', last_name: 'Durand', name: 'Camille Durand', address1: '12 rue des Martyrs', address2: 'Bât. B', city: 'Paris', zip: '75009', country: 'France', country_code: 'FR', phone: '+33 6 11 22 33 44', company: null };

function order(overrides: Partial<ShopifyOrder> = {}): ShopifyOrder {
  return {
    id: 5927384019283,
    admin_graphql_api_id: 'gid://shopify/Order/5927384019283',
    name: '#1042',
    email: 'camille.durand@example.fr',
    phone: null,
    currency: 'EUR',
    customer_locale: 'fr',
    financial_status: 'paid',
    gateway: 'shopify_payments',
    payment_gateway_names: ['shopify_payments'],
    total_price: '134.61',
    total_tax: '22.45',
    taxes_included: true,
    cancelled_at: null,
    customer: { first_name: 'Camille', last_name: 'Durand', email: 'camille.durand@example.fr', phone: null },
    line_items: [
      { sku: 'PULL-M', title: 'Pull marin', quantity: 2, price: '49.90', total_discount: '0.00', discount_allocations: [{ amount: '4.99' }, { amount: '5.00' }] },
      { sku: 'JEAN-32', title: 'Jean brut', quantity: 1, price: '39.90', total_discount: '0.00', discount_allocations: [{ amount: '2.00' }] },
    ],
    shipping_lines: [{ code: 'Colissimo', title: 'Colissimo domicile', price: '6.90', discounted_price: '6.90', discount_allocations: [] }],
    shipping_address: address,
    billing_address: address,
    ...overrides,
  };
}

const mapped = (o: ShopifyOrder) => {
  const r = mapShopifyOrder(o, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const problemsOf = (o: ShopifyOrder, c: ShopifyMappingContext = ctx) => {
  const r = mapShopifyOrder(o, c);
  if (r.ok) throw new Error('mapped although it should not');
  return r.problems;
};

describe('moneyToMinor', () => {
  it.each([
    ['29.90', 2, 2990],
    ['29.9', 2, 2990],
    ['29', 2, 2900],
    ['0.00', 2, 0],
    ['1500', 0, 1500],
    ['1500.00', 0, 1500],
    ['12.345', 3, 12345],
  ])('%s with %i decimals is %i', (text, digits, minor) => expect(moneyToMinor(text, digits)).toBe(minor));

  it.each([['1500.50', 0], ['29.999', 2], ['-1.00', 2], ['1e3', 2], ['29,90', 2], ['', 2], [' 1.00', 2]])('refuses %s with %i decimals', (text, digits) => {
    expect(moneyToMinor(text, digits)).toEqual({ error: expect.any(String) });
  });

  it('reads back every amount written with the currency exponent, with or without trailing zeros', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom(0, 2, 3), fc.integer({ min: 0, max: 3 }), (minor, digits, extraZeros) => {
        const whole = Math.floor(minor / 10 ** digits);
        const fraction = String(minor % 10 ** digits).padStart(digits, '0') + '0'.repeat(extraZeros);
        const written = fraction.length > 0 ? `${whole}.${fraction}` : String(whole);
        expect(moneyToMinor(written, digits)).toBe(minor);
      }),
    );
  });
});

describe('shopifyOrderId', () => {
  it('takes the exact id from admin_graphql_api_id, or the id when safe', () => {
    expect(shopifyOrderId({ id: 5927384019283 })).toEqual({ id: '5927384019283' });
    expect(shopifyOrderId({ id: '820982911946154508' })).toEqual({ id: '820982911946154508' });
    expect(shopifyOrderId({ id: 820982911946154500, admin_graphql_api_id: 'gid://shopify/Order/820982911946154508' })).toEqual({ id: '820982911946154508' });
  });

  it('refuses an id that lost digits in JSON, and a gid naming another order', () => {
    expect(shopifyOrderId({ id: 820982911946154500 })).toEqual({ problem: expect.objectContaining({ field: 'id' }) });
    expect(shopifyOrderId({ id: 1, admin_graphql_api_id: 'gid://shopify/Order/2' })).toEqual({ problem: expect.objectContaining({ field: 'admin_graphql_api_id' }) });
  });
});

describe('normaliseLocale and serviceOf', () => {
  it.each([['fr', 'fr'], ['fr-FR', 'fr-FR'], ['fr_fr', 'fr-FR'], ['pt-BR', 'pt-BR'], ['zh-Hant-TW', 'zh'], ['', undefined], [null, undefined], ['français', undefined]])('locale %s -> %s', (given, want) => {
    expect(normaliseLocale(given)).toBe(want);
  });

  it.each([
    [{ code: 'Colissimo', title: 'Colissimo domicile' }, 'standard'],
    [{ code: 'EXPRESS', title: 'Livraison express 24h' }, 'express'],
    [{ code: 'chronopost-13h', title: null }, 'express'],
    [{ code: null, title: 'Livraison le jour même' }, 'same_day'],
    [undefined, 'standard'],
  ] as const)('shipping line %j asks for %s', (line, service) => expect(serviceOf(line)).toBe(service));
});

describe('mapShopifyOrder', () => {
  it('maps lines, discounts, shipping, address, customer and payment to minor units', () => {
    const r = mapped(order());
    expect(r.order).toEqual({
      channel: 'shopify-fr',
      externalId: '5927384019283',
      currency: 'EUR',
      customer: { email: 'camille.durand@example.fr', phone: '+33 6 11 22 33 44', name: 'Camille Durand', locale: 'fr' },
      lines: [
        { sku: 'PULL-M', quantity: 2, unitPriceMinor: 4990, discountMinor: 999 },
        { sku: 'JEAN-32', quantity: 1, unitPriceMinor: 3990, discountMinor: 200 },
      ],
      delivery: {
        method: 'ship',
        service: 'standard',
        address: { name: 'Camille Durand', line1: '12 rue des Martyrs', line2: 'Bât. B', postalCode: '75009', city: 'Paris', country: 'FR', phone: '+33 6 11 22 33 44' },
      },
      shippingMinor: 690,
      payment: { provider: 'manual', reference: 'shopify_payments', amountMinor: 13461 },
    });
    expect(r.totalMinor).toBe(13461);
    expect(r.captured).toBe(true);
    expect(r.note).toMatchObject({ source: 'shopify', shopifyOrderId: '5927384019283', name: '#1042', financialStatus: 'paid', paymentCapturedAtShopify: true });
  });

  it('takes a shipping discount off the fee, and total_discount when a line has no allocations (older API versions)', () => {
    const r = mapped(
      order({
        total_price: '127.71',
        line_items: [
          { sku: 'PULL-M', quantity: 2, price: '49.90', total_discount: '9.99' },
          { sku: 'JEAN-32', quantity: 1, price: '39.90', discount_allocations: [{ amount: '2.00' }] },
        ],
        shipping_lines: [{ code: 'Colissimo', price: '6.90', discount_allocations: [{ amount: '6.90' }] }],
      }),
    );
    expect(r.order.lines.map((l) => l.discountMinor)).toEqual([999, 200]);
    expect(r.order.shippingMinor).toBe(0);
    expect(r.totalMinor).toBe(12771);
  });

  it('authorises only when Shopify has not captured, and pays nothing on a free order', () => {
    expect(mapped(order({ financial_status: 'authorized' })).captured).toBe(false);
    const free = mapped(order({ total_price: '0.00', line_items: [{ sku: 'BONNET', quantity: 1, price: '10.00', discount_allocations: [{ amount: '10.00' }] }], shipping_lines: [] }));
    expect(free.order.payment).toBeUndefined();
  });

  it('turns an order without shipping address whose shipping line names a pickup store into a pickup', () => {
    const pickup = order({ shipping_address: null, total_price: '127.71', shipping_lines: [{ code: 'Paris Rivoli', title: 'Paris Rivoli', price: '0.00', discount_allocations: [] }] });
    const r = mapped(pickup);
    expect(r.order.delivery).toEqual({ method: 'pickup', pickupLocationId: 'store-paris' });
    expect(r.order.shippingMinor).toBe(0);
    expect(problemsOf({ ...pickup, shipping_lines: [{ code: 'Lille Centre', title: 'Lille Centre', price: '0.00' }] })).toEqual([
      { field: 'shipping_address', message: expect.stringContaining('"Lille Centre" names no Ordo pickup store') },
    ]);
  });

  it('lists every problem at once: missing SKU, unknown SKU, unsupported currency, cancelled, status', () => {
    const problems = problemsOf(
      order({
        currency: 'XBT',
        cancelled_at: '2026-11-20T10:00:00+01:00',
        financial_status: 'refunded',
        line_items: [
          { sku: '', title: 'Carte cadeau', quantity: 1, price: '20.00' },
          { sku: 'GHOST-1', title: 'Fantôme', quantity: 1, price: '10.00' },
          { sku: 'PULL-M', quantity: 2, current_quantity: 1, price: '49.90' },
        ],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['currency', 'cancelled_at', 'financial_status', 'line_items[0].sku', 'line_items[1].sku', 'line_items[2].current_quantity']);
  });

  it('refuses amounts it cannot represent, prices without tax, and totals it cannot explain', () => {
    expect(problemsOf(order({ line_items: [{ sku: 'PULL-M', quantity: 1, price: '49.999' }] })).map((p) => p.field)).toContain('line_items[0].price');
    expect(problemsOf(order({ taxes_included: false })).map((p) => p.field)).toEqual(['taxes_included']);
    expect(problemsOf(order({ total_price: '139.72' }))).toEqual([{ field: 'total_price', message: expect.stringContaining('add up to 13461') }]);
    expect(problemsOf(order({ shipping_address: { ...address, zip: ' ' } })).map((p) => p.field)).toEqual(['shipping_address.zip']);
    expect(problemsOf(order({ email: null, customer: null, billing_address: null, shipping_address: { ...address, phone: null } })).map((p) => p.field)).toEqual(['email']);
  });

  it('maps JPY without decimals', () => {
    const r = mapped(order({ currency: 'JPY', total_price: '3000', total_tax: '500', line_items: [{ sku: 'BONNET', quantity: 2, price: '1500.00', discount_allocations: [] }], shipping_lines: [] }));
    expect(r.order.lines[0]).toMatchObject({ unitPriceMinor: 1500, discountMinor: 0 });
    expect(r.totalMinor).toBe(3000);
  });

  it('keeps the total: Σ line amounts − discounts + shipping = total_price, whatever the amounts', () => {
    const line = fc.record({ quantity: fc.integer({ min: 1, max: 20 }), price: fc.integer({ min: 0, max: 100_000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 2_000 }), (items, shipping) => {
        const eur = (minor: number) => (minor / 100).toFixed(2);
        const discounts = items.map((i) => Math.floor(i.quantity * i.price * i.share));
        const total = items.reduce((s, i, k) => s + i.quantity * i.price - discounts[k]!, 0) + shipping;
        const r = mapped(
          order({
            total_price: eur(total),
            line_items: items.map((i, k) => ({ sku: 'PULL-M', quantity: i.quantity, price: eur(i.price), discount_allocations: [{ amount: eur(discounts[k]!) }] })),
            shipping_lines: [{ code: 'std', price: eur(shipping), discount_allocations: [] }],
          }),
        );
        expect(r.totalMinor).toBe(total);
        expect(r.order.payment?.amountMinor ?? 0).toBe(total);
        r.order.lines.forEach((l, k) => {
          expect(l.discountMinor).toBe(discounts[k]);
          expect(l.discountMinor).toBeLessThanOrEqual(l.quantity * l.unitPriceMinor);
        });
      }),
    );
  });
});
