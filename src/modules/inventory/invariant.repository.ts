import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { PositionAudit } from '../../domain/inventory/invariant-check.js';
import type { PositionKey } from './stock.repository.js';

/**
 * A claim on stock that `stock_position.reserved` must account for. Each source yields, for the
 * position whose columns are `p.sku` / `p.location_id`, the quantity it holds. Contexts that reserve
 * stock in their own tables (order allocations, transfers) add their source here, and the invariant
 * check then expects reserved = the sum over all sources.
 */
export interface ReservedSource {
  name: string;
  quantity: RawBuilder<number>;
}

export const reservedSources: ReservedSource[] = [
  {
    name: 'reservation',
    quantity: sql<number>`(SELECT coalesce(sum(r.quantity), 0)::int FROM reservation r
      WHERE r.sku = p.sku AND r.location_id = p.location_id AND r.status = 'active')`,
  },
  {
    // Units an order holds (migration 0007): a consumed cart or promise hold becomes these.
    name: 'allocation',
    quantity: sql<number>`(SELECT coalesce(sum(a.quantity), 0)::int FROM order_allocation a
      WHERE a.sku = p.sku AND a.location_id = p.location_id AND a.status = 'reserved')`,
  },
];

interface AuditRow {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  ledger_on_hand: number | null;
  ledger_reserved: number;
  sources: Record<string, number>;
}

/** Positions (`p`) with what the ledger and the reserved sources say about them; one statement, one snapshot. */
function auditQuery(positions: RawBuilder<unknown>) {
  const sources = sql.join(reservedSources.map((s) => sql`${sql.lit(s.name)}::text, ${s.quantity}`));
  return sql<AuditRow>`
    SELECT p.sku, p.location_id, p.on_hand, p.reserved,
      (SELECT l.on_hand_after FROM inventory_ledger l WHERE l.sku = p.sku AND l.location_id = p.location_id ORDER BY l.id DESC LIMIT 1) AS ledger_on_hand,
      (SELECT coalesce(sum(l.reserved_after - l.reserved_before), 0)::int FROM inventory_ledger l WHERE l.sku = p.sku AND l.location_id = p.location_id) AS ledger_reserved,
      jsonb_build_object(${sources}) AS sources
    FROM (${positions}) p
    ORDER BY p.sku, p.location_id`;
}

const toAudit = (r: AuditRow): PositionAudit => ({
  sku: r.sku,
  locationId: r.location_id,
  onHand: r.on_hand,
  reserved: r.reserved,
  ledgerOnHand: r.ledger_on_hand,
  ledgerReserved: r.ledger_reserved,
  reservedSources: r.sources,
});

/** One page of positions in (sku, location) order, after the given key. */
export async function auditPositionsPage(db: DbOrTx, after: PositionKey | undefined, limit: number): Promise<PositionAudit[]> {
  const page = sql`SELECT sku, location_id, on_hand, reserved FROM stock_position
    WHERE (sku, location_id) > (${after?.sku ?? ''}, ${after?.locationId ?? ''})
    ORDER BY sku, location_id LIMIT ${limit}`;
  return (await auditQuery(page).execute(db)).rows.map(toAudit);
}

/** The given positions, read again (after the caller locked them) before a fix. */
export async function auditPositions(tx: Tx, keys: readonly PositionKey[]): Promise<PositionAudit[]> {
  const chosen = sql`SELECT sku, location_id, on_hand, reserved FROM stock_position
    WHERE (sku, location_id) IN (SELECT * FROM unnest(${keys.map((k) => k.sku)}::text[], ${keys.map((k) => k.locationId)}::text[]))`;
  return (await auditQuery(chosen).execute(tx)).rows.map(toAudit);
}

/** Sets reserved of locked positions in one statement; returns the positions as written. */
export async function writeReserved(tx: Tx, updates: readonly (PositionKey & { reserved: number })[]) {
  if (updates.length === 0) return [];
  const result = await sql<{ sku: string; location_id: string; on_hand: number; reserved: number; safety_stock: number }>`
    UPDATE stock_position sp SET reserved = u.reserved
    FROM unnest(${updates.map((u) => u.sku)}::text[], ${updates.map((u) => u.locationId)}::text[], ${updates.map((u) => u.reserved)}::int[]) AS u(sku, location_id, reserved)
    WHERE sp.sku = u.sku AND sp.location_id = u.location_id
    RETURNING sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock`.execute(tx);
  return result.rows.map((r) => ({ sku: r.sku, locationId: r.location_id, onHand: r.on_hand, reserved: r.reserved, safetyStock: r.safety_stock }));
}

/**
 * Claims the scheduled run of a job (durable timer in job_run): returns true for exactly one caller
 * per due time, whichever Ordo process gets there first.
 */
export async function claimJobRun(db: DbOrTx, name: string, now: Date, next: Date): Promise<boolean> {
  const result = await sql`
    INSERT INTO job_run (name, last_run_at, next_run_at) VALUES (${name}, ${now}, ${next})
    ON CONFLICT (name) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, next_run_at = EXCLUDED.next_run_at
    WHERE job_run.next_run_at <= ${now}
    RETURNING name`.execute(db);
  return result.rows.length > 0;
}

export async function recordJobResult(db: DbOrTx, name: string, result: unknown): Promise<void> {
  await db.updateTable('job_run').set({ last_result: JSON.stringify(result) }).where('name', '=', name).execute();
}
