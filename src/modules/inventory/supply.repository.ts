import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { IncomingSupplyTable } from '../../db/schema.js';
import type { SupplyInput, SupplyLine } from './inventory.schemas.js';

const toLine = (r: Selectable<IncomingSupplyTable>): SupplyLine => ({
  id: r.id,
  kind: r.kind,
  reference: r.reference,
  sku: r.sku,
  locationId: r.location_id,
  quantity: r.quantity,
  expectedAt: new Date(r.expected_at).toISOString(),
  status: r.status,
});

/**
 * Creates or updates the lines of a purchase order or transfer, keyed by (kind, reference, sku,
 * location). A line already received or cancelled is history and keeps its figures.
 */
export async function upsertSupplyLines(tx: Tx, input: SupplyInput, now: Date): Promise<SupplyLine[]> {
  const lines = input.lines;
  await sql`
    INSERT INTO incoming_supply (kind, reference, sku, location_id, quantity, expected_at, created_at, updated_at)
    SELECT ${input.kind}, ${input.reference}, l.sku, l.location_id, l.quantity, l.expected_at, ${now}, ${now}
    FROM unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.locationId)}::text[], ${lines.map((l) => l.quantity)}::int[],
      ${lines.map((l) => l.expectedAt)}::timestamptz[]) AS l(sku, location_id, quantity, expected_at)
    ORDER BY l.sku, l.location_id
    ON CONFLICT (kind, reference, sku, location_id) DO UPDATE
      SET quantity = EXCLUDED.quantity, expected_at = EXCLUDED.expected_at, updated_at = EXCLUDED.updated_at
      WHERE incoming_supply.status = 'open'`.execute(tx);
  return listSupply(tx, { kind: input.kind, reference: input.reference });
}

export async function listSupply(db: DbOrTx, f: { kind?: string; reference?: string; sku?: string; locationId?: string; status?: string }): Promise<SupplyLine[]> {
  let q = db.selectFrom('incoming_supply').selectAll().orderBy('expected_at').orderBy('sku').orderBy('location_id').limit(5_000);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.reference) q = q.where('reference', '=', f.reference);
  if (f.sku) q = q.where('sku', '=', f.sku);
  if (f.locationId) q = q.where('location_id', '=', f.locationId);
  if (f.status) q = q.where('status', '=', f.status);
  return (await q.execute()).map(toLine);
}

export async function lockSupplyLine(tx: Tx, id: string): Promise<SupplyLine | undefined> {
  const row = await tx.selectFrom('incoming_supply').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toLine(row) : undefined;
}

export async function setSupplyStatus(tx: Tx, id: string, status: 'received' | 'cancelled', now: Date): Promise<SupplyLine> {
  const row = await tx.updateTable('incoming_supply').set({ status, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toLine(row);
}

/** Open lines of a SKU (optionally at one location), for ATP by date. */
export async function openSupplyOf(db: DbOrTx, sku: string, locationIds?: readonly string[]) {
  let q = db.selectFrom('incoming_supply').select(['location_id', 'quantity', 'expected_at']).where('sku', '=', sku).where('status', '=', 'open');
  if (locationIds) q = q.where('location_id', 'in', locationIds.length > 0 ? [...locationIds] : ['']);
  return (await q.execute()).map((r) => ({ locationId: r.location_id, quantity: r.quantity, expectedAt: new Date(r.expected_at) }));
}
