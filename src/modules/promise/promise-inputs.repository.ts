import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { SupplyArrival } from '../../domain/promise/net-supply.js';

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
 * Product facts, open supply, backordered units, pick loads and the master data version in one call (one
 * snapshot, one round trip) of the `promise_inputs` function (migrations 0019, 0027), whose plans PostgreSQL
 * keeps per connection. SKUs travel as one JSON parameter: PGlite does not bind a JS array as a
 * PostgreSQL array.
 */
export async function readPromiseInputs(db: DbOrTx, skus: readonly string[], fromDay: string): Promise<PromiseInputRows> {
  const r = await sql<Row>`SELECT * FROM promise_inputs(${JSON.stringify(skus)}::json, ${fromDay}::date)`.execute(db);
  const row = r.rows[0]!;
  return {
    products: row.products.map(([sku, weight, backorderable, preorderable, active]) => ({ sku, weightGrams: weight ?? 0, backorderable, preorderable, active })),
    arrivals: row.arrivals.map(([sku, locationId, quantity, expectedAt]) => ({ sku, locationId, quantity, expectedAt: Number(expectedAt) })),
    waiting: new Map(row.waiting.map(([sku, locationId, units]) => [`${sku}@${locationId}`, units])),
    loads: row.loads.map(([locationId, day, units]) => ({ locationId, day, units })),
    dataVersion: row.version ?? '',
  };
}
