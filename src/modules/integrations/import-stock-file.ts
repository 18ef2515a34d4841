import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { importSnapshot } from '../inventory/import-snapshot.js';
import { outOfScope, unknownMasterData } from '../inventory/inventory-checks.js';
import { MAX_SNAPSHOT_ITEMS, type SnapshotItem, type SnapshotResult } from '../inventory/inventory.schemas.js';
import { parseStockCsv, parseStockColumns } from '../inventory/snapshot-csv.js';

export interface StockFileInput {
  text: string;
  asOf: string;
  source?: string;
  columns?: string;
}

export interface StockFileResult {
  asOf: string;
  received: number;
  locations: SnapshotResult[];
}

/**
 * A stock export covering several locations (`sku;ean;location;qty` as an ERP writes it): each location
 * the file names gets a full snapshot of it (SKUs of that location absent from the file go to 0), exactly
 * as POST /v1/inventory/snapshots would, in location id order. The whole file is checked first (rows,
 * one line per SKU and location, known SKUs and locations, the key's scope): a bad file writes nothing.
 * Each location then reconciles in its own transaction; should one fail midway, sending the same file
 * again is safe, since positions already set at this asOf are left as they are.
 */
export async function importStockFile(db: Db, actor: Actor, input: StockFileInput): Promise<Result<StockFileResult>> {
  const columns = parseStockColumns(input.columns);
  if (!columns.ok) return columns;
  const parsed = parseStockCsv(input.text, columns.value);
  if (!parsed.ok) return parsed;
  const { rows, hasLocation } = parsed.value;
  if (!hasLocation) return fail('invalid_csv', 'the file has no location column (location, store, site, warehouse, or ?columns=locationId:<header>); send a one-location file to POST /v1/inventory/snapshots?locationId=');
  if (rows.length > MAX_SNAPSHOT_ITEMS) return fail('invalid_csv', `${rows.length} rows: split files above ${MAX_SNAPSHOT_ITEMS}`);

  const byLocation = new Map<string, SnapshotItem[]>();
  const firstLine = new Map<string, number>();
  const repeated: { line: number; message: string }[] = [];
  for (const row of rows) {
    const key = `${row.locationId}\u0000${row.sku}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      repeated.push({ line: row.line, message: `${row.sku} at ${row.locationId} already on line ${first}` });
      continue;
    }
    firstLine.set(key, row.line);
    const items = byLocation.get(row.locationId!) ?? [];
    items.push({ sku: row.sku, onHand: row.onHand });
    byLocation.set(row.locationId!, items);
  }
  if (repeated.length > 0) return fail('duplicate_sku_in_snapshot', 'each SKU appears once per location in a stock file', { errors: repeated.slice(0, 100) });
  const locationIds = [...byLocation.keys()].sort();
  const denied = outOfScope(actor, locationIds);
  if (denied) return denied;
  const unknown = await unknownMasterData(db, [...new Set(rows.map((r) => r.sku))], locationIds);
  if (unknown) return unknown;

  const locations: SnapshotResult[] = [];
  for (const locationId of locationIds) {
    const applied = await importSnapshot(db, actor, { locationId, asOf: input.asOf, items: byLocation.get(locationId)!, ...(input.source ? { source: input.source } : {}) });
    // Locations before this one are reconciled: the answer says so, and the same file can be sent again.
    if (!applied.ok) return fail(applied.code, applied.message, { ...(applied.details as object), reconciled: locations.map((l) => l.locationId) });
    locations.push(applied.value);
  }
  return ok({ asOf: new Date(input.asOf).toISOString(), received: rows.length, locations });
}
