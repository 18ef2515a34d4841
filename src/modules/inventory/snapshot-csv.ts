import { fail, ok, type Result } from '../../domain/shared/result.js';
import { parseCsvUpload } from '../catalog/product-csv.parser.js';
import type { SnapshotItem } from './inventory.schemas.js';

const SKU = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const LOCATION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
// Whole units; ERPs write "12,000" or "12.00" for 12 (a fraction of a unit is an error).
const QUANTITY = /^(\d{1,10})(?:[.,]0+)?$/;
const MAX_ERRORS = 20;

export const STOCK_FIELDS = ['sku', 'onHand', 'locationId'] as const;
export type StockField = (typeof STOCK_FIELDS)[number];
export type StockColumns = Partial<Record<StockField, string>>;

/** Header names stock exports (PIM, ERP, WMS, in English or French) use, compared by `headerKey`. */
const ALIASES: Record<StockField, readonly string[]> = {
  sku: ['sku', 'reference', 'ref'],
  onHand: ['onhand', 'qty', 'quantity', 'quantite', 'qte', 'stock'],
  locationId: ['location', 'locationid', 'store', 'site', 'warehouse', 'magasin', 'depot'],
};

/** `Quantité`, `on_hand`, `Location Id` -> `quantite`, `onhand`, `locationid`. */
const headerKey = (h: string): string => h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

export interface StockRow {
  line: number;
  sku: string;
  onHand: number;
  locationId?: string;
}

/**
 * Reads `?columns=sku:Code article,onHand:Qté dispo,locationId:Magasin`: the header each field is in,
 * for exports whose names no alias covers.
 */
export function parseStockColumns(text: string | undefined): Result<StockColumns> {
  const columns: StockColumns = {};
  for (const pair of text ? text.split(',') : []) {
    const at = pair.indexOf(':');
    const field = pair.slice(0, at).trim() as StockField;
    const header = pair.slice(at + 1).trim();
    if (at < 0 || !STOCK_FIELDS.includes(field) || !header) {
      return fail('invalid_csv', `columns takes field:header pairs separated by commas (fields: ${STOCK_FIELDS.join(', ')}), got "${pair}"`);
    }
    columns[field] = header;
  }
  return ok(columns);
}

/** The column of each field: the header named in `columns`, else the one alias that matches. */
function locateColumns(header: readonly string[], columns: StockColumns): Result<Partial<Record<StockField, number>>> {
  const keys = header.map(headerKey);
  const found: Partial<Record<StockField, number>> = {};
  const problems: string[] = [];
  for (const field of STOCK_FIELDS) {
    const wanted = columns[field];
    const matches = wanted !== undefined ? keys.flatMap((k, i) => (k === headerKey(wanted) ? [i] : [])) : keys.flatMap((k, i) => (ALIASES[field].includes(k) ? [i] : []));
    if (wanted !== undefined && matches.length === 0) problems.push(`no column "${wanted}" for ${field}`);
    if (matches.length > 1) problems.push(`columns ${matches.map((i) => `"${header[i]}"`).join(' and ')} could each be ${field}: name one with ?columns=${field}:<header>`);
    if (matches.length === 1) found[field] = matches[0]!;
  }
  if (found.sku === undefined || found.onHand === undefined) problems.push('the first line must be a header with a SKU column (sku, reference) and a quantity column (onHand, qty, quantity, stock)');
  return problems.length > 0 ? fail('invalid_csv', problems.join('; '), { header }) : ok(found);
}

/**
 * Reads a stock export into rows: separator `,` `;` or tab, BOM, quoted fields, header names from the
 * aliases above or `columns`, extra columns (EAN, label...) ignored, an optional location column. Every
 * bad row is reported by line number (first 20); nothing is half-read.
 */
export function parseStockCsv(text: string, columns: StockColumns = {}): Result<{ rows: StockRow[]; hasLocation: boolean }> {
  const upload = parseCsvUpload(text, { relaxColumnCount: true });
  if ('malformed' in upload) return fail('invalid_csv', `the CSV cannot be read: ${upload.malformed.message}`);
  const [header = [], ...data] = upload.records;
  const located = locateColumns(header, columns);
  if (!located.ok) return located;
  const { sku: skuCol, onHand: qtyCol, locationId: locCol } = located.value;

  const rows: StockRow[] = [];
  const errors: { line: number; message: string }[] = [];
  for (let i = 0; i < data.length && errors.length < MAX_ERRORS; i++) {
    const cells = data[i]!;
    const line = i + 2;
    const sku = cells[skuCol!] ?? '';
    const qty = QUANTITY.exec(cells[qtyCol!] ?? '');
    const locationId = locCol === undefined ? undefined : (cells[locCol] ?? '');
    if (!SKU.test(sku)) errors.push({ line, message: `invalid sku "${sku}"` });
    else if (!qty || Number(qty[1]) > 2_000_000_000) errors.push({ line, message: `onHand must be a non-negative whole number, got "${cells[qtyCol!] ?? ''}"` });
    else if (locationId !== undefined && !LOCATION.test(locationId)) errors.push({ line, message: `invalid location "${locationId}"` });
    else rows.push({ line, sku, onHand: Number(qty[1]), ...(locationId !== undefined ? { locationId } : {}) });
  }
  if (errors.length > 0) return fail('invalid_csv', `${errors.length === MAX_ERRORS ? 'at least ' : ''}${errors.length} bad row(s)`, { errors });
  return ok({ rows, hasLocation: locCol !== undefined });
}

/**
 * The snapshot of ONE location as a stock export: a location column, when the file has one, must name
 * that location on every row (a file covering several goes to POST /v1/integrations/erp/stock).
 */
export function parseSnapshotCsv(text: string, locationId: string): Result<SnapshotItem[]> {
  const parsed = parseStockCsv(text);
  if (!parsed.ok) return parsed;
  const elsewhere = parsed.value.rows.filter((r) => r.locationId !== undefined && r.locationId !== locationId).slice(0, MAX_ERRORS);
  if (elsewhere.length > 0) {
    return fail('invalid_csv', `rows for other locations than ${locationId}: send a multi-location file to POST /v1/integrations/erp/stock`, {
      errors: elsewhere.map((r) => ({ line: r.line, message: `location ${r.locationId}` })),
    });
  }
  return ok(parsed.value.rows.map((r) => ({ sku: r.sku, onHand: r.onHand })));
}
