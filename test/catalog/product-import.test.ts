import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HEADER = 'sku,name,styleId,size,colour,priceEUR,weightGrams,backorderable,preorderable,active';

describe('product import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const csv = (text: string) =>
    t.app.inject({ method: 'POST', url: '/v1/products/import', headers: { ...t.admin, 'content-type': 'text/csv' }, payload: text });
  const json = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/products/import', headers: t.admin, payload: payload as object });
  const productCount = async () => Number((await t.ctx.db.selectFrom('product').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const product = async (sku: string) => (await t.app.inject({ url: `/v1/products/${sku}`, headers: t.admin })).json();

  it('imports a CSV file: decimal prices to minor units, empty cells to defaults, extra attributes and currencies', async () => {
    const res = await csv(
      [
        'SKU,Name,styleId,size,colour,priceEUR,priceJPY,attr.material,weightGrams,backorderable,preorderable,active',
        'CSV-1,"Pull ""marin"", laine",PULL,M,navy,29.99,4500,wool,350,yes,0,',
        'CSV-2,Chaussettes,,,,0.5,,,,,,false',
      ].join('\n'),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 2, updated: 0, total: 2 });
    expect(await product('CSV-1')).toMatchObject({
      name: 'Pull "marin", laine',
      styleId: 'PULL',
      attributes: { size: 'M', colour: 'navy', material: 'wool' },
      prices: { EUR: 2999, JPY: 4500 },
      weightGrams: 350,
      backorderable: true,
      preorderable: false,
      active: true,
    });
    expect(await product('CSV-2')).toMatchObject({ styleId: null, attributes: {}, prices: { EUR: 50 }, weightGrams: null, active: false });
  });

  it('imports JSON in both shapes, counts created and updated, and writes one audit row and one event', async () => {
    const auditBefore = Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const first = await json({ products: [{ sku: 'JS-1', name: 'One', prices: { EUR: 100 } }, { sku: 'JS-2', name: 'Two' }] });
    expect(first.json()).toMatchObject({ created: 2, updated: 0, total: 2 });
    const second = await json([{ sku: 'JS-2', name: 'Two again', prices: { EUR: 250 } }, { sku: 'JS-3', name: 'Three' }]);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ created: 1, updated: 1, total: 2 });
    expect(await product('JS-2')).toMatchObject({ name: 'Two again', prices: { EUR: 250 } });

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('id', '>', String(auditBefore)).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.entity_type, a.entity_id])).toEqual([
      ['products.imported', 'product_import', first.json().importId],
      ['products.imported', 'product_import', second.json().importId],
    ]);
    const events = await t.ctx.db.selectFrom('outbox_event').select(['type', 'payload']).where('aggregate_id', '=', second.json().importId).execute();
    expect(events).toEqual([{ type: 'products.imported', payload: expect.objectContaining({ format: 'json', created: 1, updated: 1, total: 2 }) }]);
  });

  it('imports 20,000 CSV rows in one go, then re-imports them as updates', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 20_000; i++) {
      lines.push(`BULK-${String(i).padStart(5, '0')},Article ${i},ST-${Math.floor(i / 5)},${['S', 'M', 'L', 'XL', 'XXL'][i % 5]},ecru,${(i % 90) + 9}.99,${200 + (i % 50)},false,false,true`);
    }
    const before = await productCount();
    const started = performance.now();
    const res = await csv(lines.join('\n'));
    const elapsed = performance.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 20_000, updated: 0, total: 20_000 });
    expect(await productCount()).toBe(before + 20_000);
    expect(elapsed).toBeLessThan(20_000);
    expect(await product('BULK-12345')).toMatchObject({ styleId: 'ST-2469', attributes: { size: 'S', colour: 'ecru' }, prices: { EUR: 2499 }, weightGrams: 245 });

    const again = await csv(lines.join('\n').replaceAll(',ecru,', ',sable,'));
    expect(again.json()).toMatchObject({ created: 0, updated: 20_000, total: 20_000 });
    expect((await product('BULK-00007')).attributes.colour).toBe('sable');
    expect(await productCount()).toBe(before + 20_000);
  });

  it.each([
    ['a negative price', `${HEADER}\nNEW-1,Ok,,,,1.00,,,,\nNEW-2,Bad,,,,-1.00,,,,`, { row: 2, field: 'priceEUR' }],
    ['a price with too many decimals', `${HEADER}\nNEW-1,Bad,,,,29.999,,,,`, { row: 1, field: 'priceEUR' }],
    ['a price with a comma', `sku,name,priceEUR\nNEW-1,Bad,"29,99"`, { row: 1, field: 'priceEUR' }],
    ['an unknown currency column', `sku,name,priceXYZ\nNEW-1,Bad,1.00`, { row: 0, field: 'priceXYZ' }],
    ['an unknown column', `sku,name,colour,flavour\nNEW-1,Bad,red,mint`, { row: 0, field: 'flavour' }],
    ['a missing name column', `sku,priceEUR\nNEW-1,1.00`, { row: 0, field: 'name' }],
    ['an empty name', `${HEADER}\nNEW-1,,,,,1.00,,,,`, { row: 1, field: 'name' }],
    ['a bad boolean', `sku,name,active\nNEW-1,Bad,maybe`, { row: 1, field: 'active' }],
    ['a fractional weight', `sku,name,weightGrams\nNEW-1,Bad,12.5`, { row: 1, field: 'weightGrams' }],
    ['a bad SKU', `sku,name\n-bad,Bad`, { row: 1, field: 'sku' }],
    ['a duplicate SKU', `sku,name\nNEW-1,One\nNEW-2,Two\nNEW-1,Again`, { row: 3, field: 'sku' }],
    ['a row with too many cells', `sku,name\nNEW-1,One\nNEW-2,Two,extra`, { row: null, field: null }],
    ['an unterminated quote', `sku,name\nNEW-1,"One\nNEW-2,Two`, { row: null, field: null }],
    ['a header and no rows', `sku,name\n`, { row: null, field: null }],
  ])('refuses CSV with %s: 400 import_invalid, nothing written', async (_label, text, expected) => {
    const before = await productCount();
    const res = await csv(text);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('import_invalid');
    expect(res.json().error.details.errors).toContainEqual(expect.objectContaining(expected));
    expect(await productCount()).toBe(before);
    expect((await t.app.inject({ url: '/v1/products/NEW-1', headers: t.admin })).statusCode).toBe(404);
  });

  it.each([
    ['a negative price', { sku: 'NEW-1', name: 'x', prices: { EUR: -1 } }, 'prices.EUR'],
    ['a float price', { sku: 'NEW-1', name: 'x', prices: { EUR: 29.99 } }, 'prices.EUR'],
    ['a price as a string', { sku: 'NEW-1', name: 'x', prices: { EUR: '2999' } }, 'prices.EUR'],
    ['a malformed currency code', { sku: 'NEW-1', name: 'x', prices: { euro: 2999 } }, 'prices.euro'],
    ['an unknown currency', { sku: 'NEW-1', name: 'x', prices: { XYZ: 2999 } }, 'prices.XYZ'],
    ['an unknown field', { sku: 'NEW-1', name: 'x', colour: 'red' }, 'colour'],
    ['a missing name', { sku: 'NEW-1' }, 'name'],
    ['a missing SKU', { name: 'x' }, 'sku'],
    ['a row that is not an object', 'NEW-1', null],
  ])('refuses JSON with %s after a valid row: nothing written', async (_label, bad, field) => {
    const before = await productCount();
    const res = await json({ products: [{ sku: 'NEW-0', name: 'valid' }, bad] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'import_invalid', details: { errors: [expect.objectContaining({ row: 2, field })] } });
    expect(await productCount()).toBe(before);
  });

  it('reports every bad row, at most 100, with the total count', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ sku: `MANY-${i}`, name: 'x', prices: { EUR: i % 2 === 0 ? 100 : -100 } }));
    rows.push({ sku: 'MANY-0', name: 'again', prices: { EUR: 1 } });
    const res = await json(rows);
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details;
    expect(details.errorCount).toBe(76);
    expect(details.errors).toHaveLength(76);
    expect(details.errors[0]).toEqual({ row: 2, field: 'prices.EUR', message: 'must be >= 0' });
    expect(details.errors.at(-1)).toEqual({ row: 151, field: 'sku', message: 'duplicate SKU MANY-0: already in row 1' });
    const big = await json(Array.from({ length: 300 }, (_, i) => ({ sku: `BIG-${i}` })));
    expect(big.json().error.details).toMatchObject({ errorCount: 300 });
    expect(big.json().error.details.errors).toHaveLength(100);
  });

  it('refuses malformed JSON, a wrong body shape and an unsupported content type', async () => {
    const before = await productCount();
    const broken = await t.app.inject({ method: 'POST', url: '/v1/products/import', headers: { ...t.admin, 'content-type': 'application/json' }, payload: '[{"sku":' });
    expect(broken.json().error.code).toBe('invalid_json');
    expect((await json({ items: [] })).statusCode).toBe(400);
    expect((await json([])).json().error.code).toBe('import_invalid');
    const xml = await t.app.inject({ method: 'POST', url: '/v1/products/import', headers: { ...t.admin, 'content-type': 'application/xml' }, payload: '<p/>' });
    expect(xml.statusCode).toBe(415);
    expect(await productCount()).toBe(before);
  });
});
