import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const tee = {
  name: 'T-shirt Marinière',
  styleId: 'MARINIERE',
  attributes: { size: 'M', colour: 'navy' },
  prices: { EUR: 2999, CHF: 3200 },
  weightGrams: 180,
  backorderable: true,
};

describe('products', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const put = (sku: string, payload: unknown, headers = t.admin) =>
    t.app.inject({ method: 'PUT', url: `/v1/products/${encodeURIComponent(sku)}`, headers, payload: payload as object });
  const productCount = async () => Number((await t.ctx.db.selectFrom('product').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates, replaces and reads a product, with audit and outbox events', async () => {
    const created = await put('MAR-M-NAVY', tee);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ sku: 'MAR-M-NAVY', prices: { EUR: 2999, CHF: 3200 }, preorderable: false, active: true, createdAt: '2026-01-05T09:00:00.000Z' });

    t.clock.advance(60_000);
    // PUT replaces: what is absent takes its default again.
    const replaced = await put('MAR-M-NAVY', { name: 'T-shirt Marinière', prices: { EUR: 2499 } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ styleId: null, attributes: {}, prices: { EUR: 2499 }, weightGrams: null, backorderable: false });
    expect(replaced.json().updatedAt).toBe('2026-01-05T09:01:00.000Z');
    expect(replaced.json().createdAt).toBe('2026-01-05T09:00:00.000Z');

    const read = await t.app.inject({ url: '/v1/products/MAR-M-NAVY', headers: t.admin });
    expect(read.json()).toEqual(replaced.json());

    const audit = await t.app.inject({ url: '/v1/products/MAR-M-NAVY/audit', headers: t.admin });
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual(['product.updated', 'product.created']);
    expect(audit.json().items[0].before.prices).toEqual({ EUR: 2999, CHF: 3200 });
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', '=', 'MAR-M-NAVY').orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['product.upserted', 'product.upserted']);
    expect((events[1]!.payload as { prices: unknown }).prices).toEqual({ EUR: 2499 });
  });

  it('accepts a SKU with a slash when it is URL-encoded', async () => {
    expect((await put('ACME/42', { name: 'Slashed' })).statusCode).toBe(201);
    const read = await t.app.inject({ url: '/v1/products/ACME%2F42', headers: t.admin });
    expect(read.statusCode).toBe(200);
    expect(read.json().sku).toBe('ACME/42');
  });

  it('answers 404 for an unknown SKU', async () => {
    const res = await t.app.inject({ url: '/v1/products/NOPE', headers: t.admin });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('product_not_found');
  });

  it.each([
    ['a negative price', { ...tee, prices: { EUR: -1 } }, 'validation_failed'],
    ['a float price', { ...tee, prices: { EUR: 29.99 } }, 'validation_failed'],
    ['a lower-case currency', { ...tee, prices: { eur: 2999 } }, 'validation_failed'],
    ['a currency ISO 4217 does not know', { ...tee, prices: { XYZ: 2999 } }, 'unknown_currency'],
    ['an unknown field', { ...tee, colour: 'red' }, 'validation_failed'],
    ['a missing name', { prices: { EUR: 1 } }, 'validation_failed'],
    ['an empty name', { name: '' }, 'validation_failed'],
    ['a non-string attribute', { ...tee, attributes: { size: { eu: 40 } } }, 'validation_failed'],
    ['a negative weight', { ...tee, weightGrams: -5 }, 'validation_failed'],
  ])('refuses %s with a 400 and writes nothing', async (_label, body, code) => {
    const before = await productCount();
    const res = await put('BAD-1', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(await productCount()).toBe(before);
  });

  it('refuses a SKU the data model does not allow', async () => {
    const res = await put('-leading-dash', { name: 'x' });
    expect(res.statusCode).toBe(400);
    expect((await t.app.inject({ url: '/v1/products/-leading-dash', headers: t.admin })).statusCode).toBe(400);
  });

  it('lets every role read, only admin and integration keys write', async () => {
    const shop = { name: 'Shop', type: 'store', timeZone: 'Europe/Paris' };
    expect((await t.app.inject({ method: 'PUT', url: '/v1/locations/SHOP-1', headers: t.admin, payload: shop })).statusCode).toBe(201);
    const keyFor = async (role: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: role, role, locationIds: role === 'store' ? ['SHOP-1'] : undefined } });
      expect(res.statusCode).toBe(201);
      return { authorization: `Bearer ${res.json().secret}` };
    };
    const store = await keyFor('store');
    const integration = await keyFor('integration');
    const before = await productCount();
    const denied = await put('STORE-1', { name: 'by a store' }, store);
    expect(denied.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/products/import', headers: store, payload: [{ sku: 'S-2', name: 'x' }] })).statusCode).toBe(403);
    expect(await productCount()).toBe(before);
    expect((await t.app.inject({ url: '/v1/products/MAR-M-NAVY', headers: store })).statusCode).toBe(200);
    expect((await put('PIM-1', { name: 'from the PIM' }, integration)).statusCode).toBe(201);
    expect((await t.app.inject({ url: '/v1/products' })).statusCode).toBe(401);
  });

  it('paginates by SKU and filters by style and active', async () => {
    for (const [sku, colour, active] of [['STY-A', 'red', true], ['STY-B', 'blue', false], ['STY-C', 'green', true], ['STY-D', 'white', true]] as const) {
      expect((await put(sku, { name: `Style ${colour}`, styleId: 'STY', attributes: { colour }, active })).statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/products?styleId=STY&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ url, headers: t.admin });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((p: { sku: string }) => p.sku));
      cursor = res.json().nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['STY-A', 'STY-B', 'STY-C', 'STY-D']);
    expect(pages).toBe(2);
    const active = await t.app.inject({ url: '/v1/products?styleId=STY&active=false', headers: t.admin });
    expect(active.json()).toEqual({ items: [expect.objectContaining({ sku: 'STY-B' })], nextCursor: null });
  });

  it('searches part of the SKU or the name in any case, with pages, and takes % and _ literally', async () => {
    for (const [sku, name] of [['SRCH-JEAN-1', 'Jean slim'], ['SRCH-2', 'Veste en JEAN'], ['SRCH-3', 'Pull 100% laine'], ['SRCH_4', 'Chino']] as const) {
      expect((await put(sku, { name })).statusCode).toBe(201);
    }
    const search = async (q: string, extra = '') => {
      const res = await t.app.inject({ url: `/v1/products?q=${encodeURIComponent(q)}${extra}`, headers: t.admin });
      expect(res.statusCode).toBe(200);
      return res.json() as { items: { sku: string }[]; nextCursor: string | null };
    };
    expect((await search('jean')).items.map((p) => p.sku)).toEqual(['SRCH-2', 'SRCH-JEAN-1']);
    expect((await search('srch-3')).items.map((p) => p.sku)).toEqual(['SRCH-3']);
    expect((await search('100%')).items.map((p) => p.sku)).toEqual(['SRCH-3']);
    expect((await search('H_')).items.map((p) => p.sku)).toEqual(['SRCH_4']);
    expect((await search('nothing like it')).items).toEqual([]);
    const first = await search('srch', '&limit=3');
    expect(first.items.map((p) => p.sku)).toEqual(['SRCH-2', 'SRCH-3', 'SRCH-JEAN-1']);
    const rest = await search('srch', `&limit=3&cursor=${first.nextCursor}`);
    expect(rest).toEqual({ items: [expect.objectContaining({ sku: 'SRCH_4' })], nextCursor: null });
    expect((await t.app.inject({ url: '/v1/products?q=', headers: t.admin })).statusCode).toBe(400);
  });
});
