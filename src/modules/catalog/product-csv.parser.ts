import { CsvError, parse } from 'csv-parse/sync';
import { decimalToMinor, isKnownCurrency } from './currency.js';
import type { ImportRowError } from './product.schemas.js';

/**
 * A CSV upload as the text/csv content type parser hands it to the import route. A malformed file is a
 * value, not a thrown error, so the route answers it in the import's own error format.
 */
export type CsvUpload =
  | { kind: 'csv'; records: string[][]; delimiter: CsvDelimiter }
  | { kind: 'csv'; malformed: { line: number | null; message: string } };

export type CsvDelimiter = ',' | ';' | '\t';

export function isCsvUpload(body: unknown): body is CsvUpload {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'csv';
}

/**
 * The separator of a file, read from its header line: PIM and ERP exports made for European
 * spreadsheets use ';' (their decimals then use ','), others ',' or a tab. ',' when nothing else wins.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as CsvDelimiter]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t'] ? ';' : counts['\t'] > counts[','] ? '\t' : ',';
}

/**
 * Reads a CSV file (UTF-8 with or without BOM, quoted fields, separator detected from the header).
 * `relaxColumnCount` lets rows have fewer or more cells than the header (a feed whose extra columns
 * are ignored anyway).
 */
export function parseCsvUpload(text: string, opts: { relaxColumnCount?: boolean } = {}): CsvUpload {
  const delimiter = detectDelimiter(text.replace(/^\uFEFF/, ''));
  try {
    const records = parse(text, { bom: true, skip_empty_lines: true, trim: true, delimiter, relax_column_count: opts.relaxColumnCount ?? false }) as string[][];
    return { kind: 'csv', records, delimiter };
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      return { kind: 'csv', malformed: { line: typeof line === 'number' ? line : null, message: err.message } };
    }
    throw err;
  }
}

/** What one header cell fills in a product. */
type Column =
  | { kind: 'sku' | 'name' | 'styleId' | 'weightGrams' }
  | { kind: 'flag'; field: 'backorderable' | 'preorderable' | 'active' }
  | { kind: 'attribute'; key: string }
  | { kind: 'price'; currency: string };

const FIXED: Record<string, Column> = {
  sku: { kind: 'sku' },
  name: { kind: 'name' },
  styleid: { kind: 'styleId' },
  weightgrams: { kind: 'weightGrams' },
  backorderable: { kind: 'flag', field: 'backorderable' },
  preorderable: { kind: 'flag', field: 'preorderable' },
  active: { kind: 'flag', field: 'active' },
  size: { kind: 'attribute', key: 'size' },
  colour: { kind: 'attribute', key: 'colour' },
};

function columnOf(header: string): Column | string {
  const fixed = FIXED[header.toLowerCase()];
  if (fixed) return fixed;
  const price = /^price([A-Za-z]{3})$/.exec(header);
  if (price) {
    const currency = price[1]!.toUpperCase();
    return isKnownCurrency(currency) ? { kind: 'price', currency } : `${currency} is not an ISO 4217 currency code`;
  }
  const attribute = /^attr\.(.+)$/.exec(header);
  if (attribute) return { kind: 'attribute', key: attribute[1]! };
  return 'unknown column (expected sku, name, styleId, size, colour, price<CUR>, attr.<name>, weightGrams, backorderable, preorderable, active)';
}

const FLAGS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false };

/**
 * Turns CSV records (header first) into product objects for the import validator. Empty cells mean
 * "absent" (the default applies); prices are decimals in major units converted to minor units
 * ("29.99", or "29,99" in a ';' file).
 * Header problems are reported as row 0 and stop there.
 */
export function csvRecordsToRows(records: readonly string[][], delimiter: CsvDelimiter): { rows: Record<string, unknown>[]; errors: ImportRowError[] } {
  // A ';' file comes from a spreadsheet that writes "29,99"; in a ',' file a comma never is a decimal mark.
  const decimal = (cell: string) => (delimiter === ';' && /^\d+,\d+$/.test(cell) ? cell.replace(',', '.') : cell);
  const [header = [], ...data] = records;
  const errors: ImportRowError[] = [];
  const seen = new Set<string>();
  const columns: Column[] = [];
  for (const cell of header) {
    const column = columnOf(cell);
    const identity = typeof column === 'string' ? cell : JSON.stringify(column);
    if (typeof column === 'string') errors.push({ row: 0, field: cell, message: column });
    else if (seen.has(identity)) errors.push({ row: 0, field: cell, message: 'column given twice' });
    else columns.push(column);
    seen.add(identity);
  }
  for (const required of ['sku', 'name']) {
    if (!header.some((h) => h.toLowerCase() === required)) errors.push({ row: 0, field: required, message: 'missing column' });
  }
  if (errors.length > 0) return { rows: [], errors };

  const rows = data.map((cells, index) => {
    const row = index + 1;
    const product: Record<string, unknown> = {};
    const attributes: Record<string, string> = {};
    const prices: Record<string, number> = {};
    columns.forEach((column, i) => {
      const text = cells[i] ?? '';
      const field = header[i]!;
      if (text === '') return;
      switch (column.kind) {
        case 'sku':
        case 'name':
        case 'styleId':
          product[column.kind] = text;
          break;
        case 'attribute':
          attributes[column.key] = text;
          break;
        case 'flag': {
          const flag = FLAGS[text.toLowerCase()];
          if (flag === undefined) errors.push({ row, field, message: `"${text}" is not true/false (or 1/0, yes/no)` });
          else product[column.field] = flag;
          break;
        }
        case 'weightGrams':
          if (/^\d{1,9}$/.test(text)) product.weightGrams = Number(text);
          else errors.push({ row, field, message: `"${text}" is not a whole number of grams` });
          break;
        case 'price': {
          const parsed = decimalToMinor(decimal(text), column.currency);
          if ('error' in parsed) errors.push({ row, field, message: parsed.error });
          else prices[column.currency] = parsed.minor;
          break;
        }
      }
    });
    if (Object.keys(attributes).length > 0) product.attributes = attributes;
    if (Object.keys(prices).length > 0) product.prices = prices;
    return product;
  });
  return { rows, errors };
}
