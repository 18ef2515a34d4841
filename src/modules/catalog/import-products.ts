import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { csvRecordsToRows, type CsvUpload } from './product-csv.parser.js';
import { validateImportRows } from './product-import.validator.js';
import { upsertProductRows } from './product.repository.js';
import type { ImportResult, ImportRowError } from './product.schemas.js';

export const MAX_IMPORT_ROWS = 100_000;
const REPORTED_ERRORS = 100;

export type ImportSource = { format: 'json'; rows: readonly unknown[] } | { format: 'csv'; upload: CsvUpload };

function invalid(errors: ImportRowError[]): Failure {
  const sorted = [...errors].sort((a, b) => (a.row ?? -1) - (b.row ?? -1));
  const rows = new Set(sorted.map((e) => e.row)).size;
  return fail('import_invalid', `${errors.length} problem(s) in ${rows} row(s); nothing was imported`, {
    errorCount: errors.length,
    errors: sorted.slice(0, REPORTED_ERRORS),
  });
}

function rowsOf(source: ImportSource): { rows: readonly unknown[]; errors: ImportRowError[] } {
  if (source.format === 'json') return { rows: source.rows, errors: [] };
  if ('malformed' in source.upload) {
    const { line, message } = source.upload.malformed;
    return { rows: [], errors: [{ row: null, field: null, message: line === null ? message : `line ${line}: ${message}` }] };
  }
  return csvRecordsToRows(source.upload.records, source.upload.delimiter);
}

/**
 * Creates or replaces many products at once (each row replaces its product like PUT /v1/products/{sku}).
 * All or nothing: every row is validated first and any problem fails the whole import with the list of
 * problems; otherwise one transaction writes every row, one audit entry and one `products.imported` event.
 */
export async function importProducts(db: Db, clock: Clock, actor: Actor, source: ImportSource): Promise<Result<ImportResult>> {
  const converted = rowsOf(source);
  if (converted.errors.length === 0 && converted.rows.length === 0) {
    return invalid([{ row: null, field: null, message: 'the import holds no products' }]);
  }
  if (converted.rows.length > MAX_IMPORT_ROWS) {
    return invalid([{ row: null, field: null, message: `${converted.rows.length} products: split imports above ${MAX_IMPORT_ROWS}` }]);
  }
  const { valid, errors } = validateImportRows(converted.rows);
  const allErrors = [...converted.errors, ...errors];
  if (allErrors.length > 0) return invalid(allErrors);

  const importId = crypto.randomUUID();
  return db.transaction().execute(async (tx) => {
    const counts = await upsertProductRows(tx, valid, clock.now());
    const summary = { importId, format: source.format, ...counts, total: valid.length };
    await writeAudit(tx, actor, 'products.imported', 'product_import', importId, null, summary);
    await appendEvents(tx, [{ type: 'products.imported', aggregateType: 'product_import', aggregateId: importId, payload: summary }]);
    return ok({ importId, created: counts.created, updated: counts.updated, total: valid.length });
  });
}
