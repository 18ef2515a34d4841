import type { Db } from '../../db/database.js';
import { netSupply, type SupplyArrival } from '../../domain/promise/net-supply.js';
import { nextRead } from './next-read.js';
import { readPromiseInputs, type ProductFacts, type PromiseInputRows } from './promise-inputs.repository.js';

/** A promise's database inputs besides master data. */
export interface PromiseInputsOf {
  products: Map<string, ProductFacts>;
  /** Open incoming supply of the SKUs, net of the units orders already wait for. */
  supply: SupplyArrival[];
  /** Units committed per location, per local day ('YYYY-MM-DD'), from the asked day on (shared: read only). */
  loads: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Version of the master data when these were read (PromiseData.at). */
  dataVersion: string;
}

interface Ask {
  skus: readonly string[];
  fromDay: string;
}

interface Batch {
  rows: PromiseInputRows;
  /** The batch's supply, netted once for all its promises. */
  supply: SupplyArrival[];
  /** The batch's loads by location and day, grouped once per asked day for all its promises. */
  loadsFrom: Map<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;
}

/**
 * Product facts, open supply (net of backorders) and pick loads, read fresh for every promise, never
 * cached: the promises that arrive during one round trip share the next statement (see `nextRead`), so
 * each still sees everything committed before it asked, and N concurrent promises cost one statement
 * instead of four each. (A quote that holds nothing may be served from `QuoteInputs` instead.)
 */
export class PromiseInputs {
  private readonly readBatch: (ask: Ask) => Promise<Batch>;

  constructor(db: Db, read: typeof readPromiseInputs = readPromiseInputs) {
    this.readBatch = nextRead(async (asks: Ask[]) => {
      const skus = [...new Set(asks.flatMap((a) => a.skus))];
      const fromDay = asks.reduce((min, a) => (a.fromDay < min ? a.fromDay : min), asks[0]!.fromDay);
      const rows = await read(db, skus, fromDay);
      return { rows, supply: netSupply(rows.arrivals, rows.waiting), loadsFrom: new Map() };
    });
  }

  /** The inputs of one promise's SKUs, with the pick loads of `fromDay` and later. */
  async read(skus: readonly string[], fromDay: string): Promise<PromiseInputsOf> {
    const batch = await this.readBatch({ skus, fromDay });
    const { rows, supply } = batch;
    // Netting is per (SKU, location): the batch's netted supply restricted to these SKUs is what netting
    // theirs alone gives.
    const mine = new Set(skus);
    let loads = batch.loadsFrom.get(fromDay);
    if (!loads) {
      const byLocation = new Map<string, Map<string, number>>();
      for (const l of rows.loads) {
        if (l.day < fromDay) continue;
        let days = byLocation.get(l.locationId);
        if (!days) byLocation.set(l.locationId, (days = new Map()));
        days.set(l.day, l.units);
      }
      batch.loadsFrom.set(fromDay, (loads = byLocation));
    }
    return {
      products: new Map(rows.products.filter((p) => mine.has(p.sku)).map((p) => [p.sku, p])),
      supply: supply.filter((s) => mine.has(s.sku)),
      loads,
      dataVersion: rows.dataVersion,
    };
  }
}
