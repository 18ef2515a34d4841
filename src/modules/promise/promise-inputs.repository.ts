import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { SupplyArrival } from '../../domain/promise/net-supply.js';
import { promiseDataVersionSql } from './promise.repository.js';

export interface ProductFacts {
  sku: string;
  weightGrams: number;
  backorderable: boolean;
  preorderable: boolean;
  active: boolean;
}

/** What a promise reads besides master data, for a set of SKUs, as committed when the statement ran. */
export interface PromiseInputRows {
  products: ProductFacts[];
  /** Open incoming supply, earliest arrival first (not yet net of backorders). */
  arrivals: SupplyArrival[];
  /** Units backordered per `${sku}@${locationId}` (they wait for that supply). */
  waiting: Map<string, number>;
  /** Units committed per location and local day, from `fromDay` on. */
  loads: Array<{ locationId: string; day: string; units: number }>;
  /** The master data version in the same snapshot (see PromiseData): no statement of its own. */
  dataVersion: string;
}

type Row = {
  products: Array<[string, number | null, boolean, boolean, boolean]>;
  arrivals: Array<[string, string, number, number]>;
  waiting: Array<[string, string, number]>;
  loads: Array<[string, string, number]>;
  version: string;
};

/**
 * Product facts, open supply, backordered units, pick loads and the master data version in one
 * statement (one snapshot, one round trip) instead of five. SKUs travel as one JSON parameter: PGlite does not bind a JS array as a
 * PostgreSQL array.
 */
export async function readPromiseInputs(db: DbOrTx, skus: readonly string[], fromDay: string): Promise<PromiseInputRows> {
  const wanted = JSON.stringify(skus);
  const r = await sql<Row>`
    WITH wanted AS (SELECT json_array_elements_text(${wanted}::json) AS sku)
    SELECT
      (SELECT coalesce(json_agg(json_build_array(p.sku, p.weight_grams, p.backorderable, p.preorderable, p.active)), '[]'::json)
         FROM product p WHERE p.sku IN (SELECT sku FROM wanted)) AS products,
      (SELECT coalesce(json_agg(json_build_array(s.sku, s.location_id, s.quantity, floor(extract(epoch FROM s.expected_at) * 1000)::bigint)
                                ORDER BY s.expected_at, s.sku, s.location_id, s.id), '[]'::json)
         FROM incoming_supply s WHERE s.status = 'open' AND s.sku IN (SELECT sku FROM wanted)) AS arrivals,
      (SELECT coalesce(json_agg(json_build_array(w.sku, w.location_id, w.units)), '[]'::json)
         FROM (SELECT a.sku, a.location_id, sum(a.quantity)::int AS units FROM order_allocation a
               WHERE a.status = 'backordered' AND a.sku IN (SELECT sku FROM wanted) GROUP BY a.sku, a.location_id) w) AS waiting,
      (SELECT coalesce(json_agg(json_build_array(l.location_id, l.day::text, l.units)), '[]'::json)
         FROM location_pick_load l WHERE l.day >= ${fromDay}::date) AS loads,
      ${promiseDataVersionSql} AS version`.execute(db);
  const row = r.rows[0]!;
  return {
    products: row.products.map(([sku, weight, backorderable, preorderable, active]) => ({ sku, weightGrams: weight ?? 0, backorderable, preorderable, active })),
    arrivals: row.arrivals.map(([sku, locationId, quantity, expectedAt]) => ({ sku, locationId, quantity, expectedAt: Number(expectedAt) })),
    waiting: new Map(row.waiting.map(([sku, locationId, units]) => [`${sku}@${locationId}`, units])),
    loads: row.loads.map(([locationId, day, units]) => ({ locationId, day, units })),
    dataVersion: row.version ?? '',
  };
}
