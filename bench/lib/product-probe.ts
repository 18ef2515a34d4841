import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

/** Whether the product route a figure needs is registered (it may not have landed yet). */
export function hasRoute(app: FastifyInstance, method: 'GET' | 'POST', url: string): boolean {
  return app.hasRoute({ method, url });
}

export interface StockConservation {
  /** Σ reserved over the positions looked at. */
  reserved: number;
  /** Σ quantity of their active reservation rows. */
  activeQuantity: number;
  activeRows: number;
  /** Positions where reserved > on_hand - safety_stock (an oversell). */
  oversold: number;
}

/** Reads the stock/reservation invariants after a run: reserved must equal what active holds account for. */
export async function stockConservation(pool: pg.Pool, skuLike: string): Promise<StockConservation> {
  const r = await pool.query<{ reserved: number; oversold: number; active_quantity: number; active_rows: number }>(
    `SELECT
       (SELECT coalesce(sum(reserved), 0)::int8 FROM stock_position WHERE sku LIKE $1) AS reserved,
       (SELECT count(*)::int8 FROM stock_position WHERE sku LIKE $1 AND reserved > on_hand - safety_stock) AS oversold,
       (SELECT coalesce(sum(quantity), 0)::int8 FROM reservation WHERE sku LIKE $1 AND status = 'active') AS active_quantity,
       (SELECT count(*)::int8 FROM reservation WHERE sku LIKE $1 AND status = 'active') AS active_rows`,
    [skuLike],
  );
  const row = r.rows[0]!;
  return { reserved: Number(row.reserved), activeQuantity: Number(row.active_quantity), activeRows: Number(row.active_rows), oversold: Number(row.oversold) };
}

export async function activeHoldsWithReference(pool: pg.Pool, reference: string): Promise<number> {
  const r = await pool.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM reservation WHERE reference = $1 AND status = 'active'`, [reference]);
  return Number(r.rows[0]!.n);
}

/** Flushes dirty pages between phases so a checkpoint does not land in the middle of one side's window. */
export async function checkpoint(pool: pg.Pool): Promise<void> {
  await pool.query('CHECKPOINT');
}
