import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';

const BOM = '\uFEFF';
const ASOF = '2026-11-20T05:00:00Z';

/** PIM and ERP exports as French spreadsheets write them: BOM, ';' separators, decimal commas, quoted fields. */
describe('CSV feeds as a PIM or ERP exports them', () => {
  let t: TestApp;
  let store: { authorization: string };

  const put = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  };
  const csv = (url: string, body: string, headers: { authorization: string } = t.admin) =>
    t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'text/csv' }, payload: body });
  const stockFile = (body: string, query = `asOf=${ASOF}&source=erp-nightly`, headers?: { authorization: string }) => csv(`/v1/integrations/erp/stock?${query}`, body, headers);
  /** Everything a stock or product import writes: "nothing written" means none of these moved. */
  const writes = async () =>
    (
      await sql<Record<string, number>>`
        SELECT (SELECT count(*)::int FROM product) AS products,
               (SELECT count(*)::int FROM stock_position) AS positions,
               (SELECT coalesce(sum(on_hand), 0)::int FROM stock_position) AS on_hand,
               (SELECT count(*)::int FROM inventory_ledger) AS ledger,
               (SELECT count(*)::int FROM outbox_event) AS events`.execute(t.ctx.db)
    ).rows[0]!;

  beforeAll(async () => {
    t = await createTestApp();
    for (const [id, type] of [['store-paris', 'store'], ['store-lyon', 'store'], ['wh-lyon', 'warehouse']] as const) {
      await put(`/v1/locations/${id}`, { name: id, type, timeZone: 'Europe/Paris', address: { country: 'FR' } });
    }
    await put('/v1/products/OLD-1', { name: 'Ancien', prices: { EUR: 1000 } });
    await put('/v1/inventory/store-paris/OLD-1', { onHand: 5, asOf: '2026-11-01T00:00:00Z' });
    await put('/v1/inventory/store-lyon/OLD-1', { onHand: 4, asOf: '2026-11-01T00:00:00Z' });
    const key = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'paris till', role: 'store', locationIds: ['store-paris'] } });
    store = { authorization: `Bearer ${key.json().secret}` };
  });
  afterAll(() => t.close());

  it('imports products from a PIM export: BOM, ";", decimal commas, a quoted name holding ";" and quotes', async () => {
    const res = await csv(
      '/v1/products/import',
      [`${BOM}sku;name;priceEUR;size;attr.ean`, 'PIM-1;"Pull ""marin""; laine";29,99;M;3760123456789', 'PIM-2;Chaussettes;4,5;;3760123456796', 'PIM-3;Bonnet;12.00;;'].join('\r\n'),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 3, updated: 0, total: 3 });
    const pim1 = (await t.app.inject({ url: '/v1/products/PIM-1', headers: t.admin })).json();
    expect(pim1).toMatchObject({ name: 'Pull "marin"; laine', prices: { EUR: 2999 }, attributes: { size: 'M', ean: '3760123456789' } });
    expect((await t.app.inject({ url: '/v1/products/PIM-2', headers: t.admin })).json()).toMatchObject({ prices: { EUR: 450 }, attributes: { ean: '3760123456796' } });
    expect((await t.app.inject({ url: '/v1/products/PIM-3', headers: t.admin })).json()).toMatchObject({ prices: { EUR: 1200 } });
  });

  it.each([
    ['a price with three decimals', 'sku;name;priceEUR\nPIM-9;Trop précis;29,999', 'priceEUR'],
    ['a thousands separator', 'sku;name;priceEUR\nPIM-9;Cher;1.299,00', 'priceEUR'],
    ['a decimal comma in a "," file', 'sku,name,priceEUR\nPIM-9,Virgule,"29,99"', 'priceEUR'],
  ])('refuses a product file with %s: 400, nothing written', async (_label, text, field) => {
    const before = await writes();
    const res = await csv('/v1/products/import', text);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.errors).toContainEqual(expect.objectContaining({ row: 1, field }));
    expect(await writes()).toEqual(before);
  });

  it('imports one stock file for several locations: each named location gets a full snapshot, others are untouched', async () => {
    const file = [`${BOM}sku;ean;location;qty`, 'PIM-1;3760123456789;store-paris;12', 'PIM-2;3760123456796;store-paris;0', 'PIM-1;3760123456789;wh-lyon;"1200"', 'PIM-2;3760123456796;wh-lyon;7,000'].join('\r\n');
    const ledgerBefore = (await writes()).ledger;
    const res = await stockFile(file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      asOf: '2026-11-20T05:00:00.000Z',
      received: 4,
      locations: [
        { locationId: 'store-paris', received: 2, created: 2, zeroed: 1, oversoldCount: 0 },
        { locationId: 'wh-lyon', received: 2, created: 2, zeroed: 0 },
      ],
    });
    expect(await position(t.ctx.db, 'PIM-1', 'store-paris')).toEqual({ onHand: 12, reserved: 0 });
    expect(await position(t.ctx.db, 'PIM-2', 'store-paris')).toEqual({ onHand: 0, reserved: 0 });
    expect(await position(t.ctx.db, 'PIM-1', 'wh-lyon')).toEqual({ onHand: 1200, reserved: 0 });
    expect(await position(t.ctx.db, 'PIM-2', 'wh-lyon')).toEqual({ onHand: 7, reserved: 0 });
    // Absent from the file at a location it names: counted as 0. A location the file does not name keeps its stock.
    expect(await position(t.ctx.db, 'OLD-1', 'store-paris')).toEqual({ onHand: 0, reserved: 0 });
    expect(await position(t.ctx.db, 'OLD-1', 'store-lyon')).toEqual({ onHand: 4, reserved: 0 });
    // PIM-1 and OLD-1 at Paris, PIM-1 and PIM-2 at the warehouse changed (PIM-2 at Paris was created at 0).
    const ledger = await t.ctx.db.selectFrom('inventory_ledger').select(['sku', 'location_id', 'on_hand_after', 'source']).orderBy('id').offset(ledgerBefore!).execute();
    expect(ledger.map((l) => `${l.location_id}/${l.sku}=${l.on_hand_after}@${l.source}`).sort()).toEqual([
      'store-paris/OLD-1=0@erp-nightly',
      'store-paris/PIM-1=12@erp-nightly',
      'wh-lyon/PIM-1=1200@erp-nightly',
      'wh-lyon/PIM-2=7@erp-nightly',
    ]);
    await expectInventoryConsistent(t);

    // The same file again (a retry after a timeout): nothing moves.
    const before = await writes();
    const again = await stockFile(file);
    expect(again.statusCode).toBe(200);
    expect(again.json().locations.map((l: { stale: number; changed: number }) => [l.stale, l.changed])).toEqual([[3, 0], [2, 0]]);
    expect(await writes()).toEqual(before);
  });

  it('finds columns an ERP names its own way, with ?columns= and a tab-separated file', async () => {
    const file = ['Code article\tLibellé\tMagasin\tQté dispo', 'PIM-3\tBonnet\tstore-lyon\t9', 'OLD-1\tAncien\tstore-lyon\t2'].join('\n');
    const res = await stockFile(file, `asOf=2026-11-21T05:00:00Z&columns=${encodeURIComponent('sku:Code article,onHand:Qté dispo,locationId:Magasin')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await position(t.ctx.db, 'PIM-3', 'store-lyon')).toEqual({ onHand: 9, reserved: 0 });
    expect(await position(t.ctx.db, 'OLD-1', 'store-lyon')).toEqual({ onHand: 2, reserved: 0 });
  });

  it('takes a ";" file with a location column on the one-location snapshot route when every row names that location', async () => {
    const ok = await csv(`/v1/inventory/snapshots?locationId=store-lyon&asOf=2026-11-22T05:00:00Z`, `${BOM}Référence;Magasin;Quantité\nPIM-3;store-lyon;8\nOLD-1;store-lyon;2`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await position(t.ctx.db, 'PIM-3', 'store-lyon')).toEqual({ onHand: 8, reserved: 0 });
    const before = await writes();
    const other = await csv(`/v1/inventory/snapshots?locationId=store-lyon&asOf=2026-11-23T05:00:00Z`, 'sku;location;qty\nPIM-3;store-lyon;1\nPIM-1;wh-lyon;1');
    expect(other.statusCode).toBe(400);
    expect(other.json().error).toMatchObject({ code: 'invalid_csv', details: { errors: [{ line: 3, message: 'location wh-lyon' }] } });
    expect(await writes()).toEqual(before);
  });

  it.each([
    ['an unknown location', 'sku;location;qty\nPIM-1;store-paris;1\nPIM-1;store-nice;1', 422, 'unknown_location'],
    ['an unknown SKU', 'sku;location;qty\nPIM-1;store-paris;1\nGHOST;wh-lyon;1', 422, 'unknown_sku'],
    ['a SKU twice at one location', 'sku;location;qty\nPIM-1;store-paris;1\nPIM-2;store-paris;1\nPIM-1;store-paris;3', 400, 'duplicate_sku_in_snapshot'],
    ['a fraction of a unit', 'sku;location;qty\nPIM-1;store-paris;1\nPIM-2;wh-lyon;2,5', 400, 'invalid_csv'],
    ['a negative quantity', 'sku;location;qty\nPIM-1;store-paris;-1', 400, 'invalid_csv'],
    ['no location column', 'sku;ean;qty\nPIM-1;3760123456789;1', 400, 'invalid_csv'],
    ['two quantity columns', 'sku;location;qty;stock\nPIM-1;store-paris;1;2', 400, 'invalid_csv'],
    ['an unterminated quote', 'sku;location;qty\n"PIM-1;store-paris;1', 400, 'invalid_csv'],
    ['a mapping naming no column', 'sku;location;qty\nPIM-1;store-paris;1', 400, 'invalid_csv', `asOf=${ASOF}&columns=onHand:Quantite`],
    ['a mapping of an unknown field', 'sku;location;qty\nPIM-1;store-paris;1', 400, 'invalid_csv', `asOf=${ASOF}&columns=price:Prix`],
    ['no asOf', 'sku;location;qty\nPIM-1;store-paris;1', 400, 'validation_failed', 'source=erp'],
  ])('refuses a stock file with %s, every location untouched', async (_label, body, status, code, query?: string) => {
    const before = await writes();
    const res = await stockFile(body, query ?? `asOf=2026-12-01T00:00:00Z`);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await writes()).toEqual(before);
  });

  it('lets only admin and integration keys send stock files, and only as text/csv', async () => {
    const before = await writes();
    expect((await stockFile('sku;location;qty\nPIM-1;store-paris;1', `asOf=${ASOF}`, store)).statusCode).toBe(403);
    const json = await t.app.inject({ method: 'POST', url: `/v1/integrations/erp/stock?asOf=${ASOF}`, headers: t.admin, payload: { items: [] } });
    expect(json.statusCode).toBe(415);
    expect(await writes()).toEqual(before);
  });
});
