import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { ProductTable } from '../../db/schema.js';
import type { Product, ProductImportRow, ProductInput } from './product.schemas.js';

export function toProduct(r: Selectable<ProductTable>): Product {
  return {
    sku: r.sku,
    name: r.name,
    styleId: r.style_id,
    attributes: r.attributes,
    prices: r.prices,
    weightGrams: r.weight_grams,
    backorderable: r.backorderable,
    preorderable: r.preorderable,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function findProduct(db: DbOrTx, sku: string, forUpdate = false): Promise<Product | undefined> {
  let q = db.selectFrom('product').selectAll().where('sku', '=', sku);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toProduct(row) : undefined;
}

export interface ProductFilter {
  styleId?: string;
  active?: boolean;
  /** Part of the SKU or of the name, any case (`%` and `_` are taken literally). */
  q?: string;
  after?: string;
  limit: number;
}

const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Keyset page ordered by SKU. */
export async function listProducts(db: DbOrTx, f: ProductFilter): Promise<Product[]> {
  let q = db.selectFrom('product').selectAll().orderBy('sku').limit(f.limit);
  if (f.styleId !== undefined) q = q.where('style_id', '=', f.styleId);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.q !== undefined) {
    const pattern = likePattern(f.q.trim());
    q = q.where((eb) => eb.or([eb('sku', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (f.after !== undefined) q = q.where('sku', '>', f.after);
  return (await q.execute()).map(toProduct);
}

/** Column values of a product as replaced by PUT or an import: absent optional fields take their defaults. */
function productColumns(sku: string, input: ProductInput) {
  return {
    sku,
    name: input.name,
    style_id: input.styleId ?? null,
    attributes: input.attributes ?? {},
    prices: input.prices ?? {},
    weight_grams: input.weightGrams ?? null,
    backorderable: input.backorderable ?? false,
    preorderable: input.preorderable ?? false,
    active: input.active ?? true,
  };
}

export async function upsertProductRow(tx: Tx, sku: string, input: ProductInput, now: Date): Promise<Product> {
  const { sku: _sku, ...columns } = productColumns(sku, input);
  const update = { ...columns, attributes: JSON.stringify(columns.attributes), prices: JSON.stringify(columns.prices) };
  const row = await tx
    .insertInto('product')
    .values({ sku, ...update, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('sku').doUpdateSet({ ...update, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toProduct(row);
}

/**
 * Creates or replaces many products with one statement per chunk. The chunk travels as a single jsonb
 * parameter expanded by jsonb_to_recordset: no 65,535-parameter ceiling and little parsing work, so
 * tens of thousands of rows go through in seconds even on PGlite. `xmax = 0` marks a freshly inserted row.
 */
export async function upsertProductRows(
  tx: Tx,
  rows: readonly ProductImportRow[],
  now: Date,
  chunkSize = 5_000,
): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = JSON.stringify(rows.slice(i, i + chunkSize).map((r) => productColumns(r.sku, r)));
    const result = await sql<{ created: number; total: number }>`
      WITH upserted AS (
        INSERT INTO product (sku, name, style_id, attributes, prices, weight_grams, backorderable, preorderable, active, created_at, updated_at)
        SELECT r.sku, r.name, r.style_id, r.attributes, r.prices, r.weight_grams, r.backorderable, r.preorderable, r.active,
               ${now}::timestamptz, ${now}::timestamptz
        FROM jsonb_to_recordset(${chunk}::jsonb) AS r(
          sku text, name text, style_id text, attributes jsonb, prices jsonb, weight_grams integer,
          backorderable boolean, preorderable boolean, active boolean)
        ON CONFLICT (sku) DO UPDATE SET
          name = excluded.name, style_id = excluded.style_id, attributes = excluded.attributes, prices = excluded.prices,
          weight_grams = excluded.weight_grams, backorderable = excluded.backorderable,
          preorderable = excluded.preorderable, active = excluded.active, updated_at = excluded.updated_at
        RETURNING (xmax = 0) AS inserted
      )
      SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*)::int AS total FROM upserted`.execute(tx);
    const counts = result.rows[0]!;
    created += counts.created;
    updated += counts.total - counts.created;
  }
  return { created, updated };
}
