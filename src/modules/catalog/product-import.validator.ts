import { Compile } from 'typebox/compile';
import { isKnownCurrency } from './currency.js';
import { ProductImportRow, type ImportRowError } from './product.schemas.js';

const checker = Compile(ProductImportRow);

const EXTRA_KEY_MESSAGE: Record<string, string> = {
  '': 'unknown field',
  prices: 'not an ISO 4217 currency code (3 capital letters, e.g. EUR)',
  attributes: 'not a valid attribute name (a letter, then letters, digits, _ or -)',
};

const fieldOf = (instancePath: string): string | null => (instancePath === '' ? null : instancePath.slice(1).split('/').join('.'));
const join = (parent: string | null, key: string): string => (parent ? `${parent}.${key}` : key);

/** Schema problems of one row, one entry per field (the alternatives of a union are joined). */
function schemaErrors(row: number, value: unknown): ImportRowError[] {
  const byField = new Map<string | null, string[]>();
  const add = (field: string | null, message: string) => {
    const messages = byField.get(field) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byField.set(field, messages);
  };
  for (const e of checker.Errors(value)) {
    const parent = fieldOf(e.instancePath);
    if (e.keyword === 'boolean') continue; // repeated by the additionalProperties error of the parent
    if (e.keyword === 'required') {
      for (const name of (e.params as { requiredProperties: string[] }).requiredProperties) add(join(parent, name), 'is required');
    } else if (e.keyword === 'additionalProperties') {
      const message = EXTRA_KEY_MESSAGE[parent ?? ''] ?? 'unknown field';
      for (const name of (e.params as { additionalProperties: string[] }).additionalProperties) add(join(parent, name), message);
    } else {
      add(parent, e.message);
    }
  }
  return [...byField].map(([field, messages]) => ({ row, field, message: messages.join('; ') }));
}

/**
 * Checks every row of an import (row 1 is `rows[0]`) against the product schema, ISO 4217 and SKU
 * uniqueness inside the import, and reports every problem rather than the first: the caller writes
 * nothing unless `errors` is empty.
 */
export function validateImportRows(rows: readonly unknown[]): { valid: ProductImportRow[]; errors: ImportRowError[] } {
  const valid: ProductImportRow[] = [];
  const errors: ImportRowError[] = [];
  const firstRowOfSku = new Map<string, number>();
  rows.forEach((value, index) => {
    const row = index + 1;
    if (!checker.Check(value)) {
      errors.push(...schemaErrors(row, value));
      const sku = (value as { sku?: unknown } | null)?.sku;
      if (typeof sku === 'string' && !firstRowOfSku.has(sku)) firstRowOfSku.set(sku, row);
      return;
    }
    let rowValid = true;
    for (const code of Object.keys(value.prices ?? {})) {
      if (!isKnownCurrency(code)) {
        errors.push({ row, field: `prices.${code}`, message: `${code} is not an ISO 4217 currency code` });
        rowValid = false;
      }
    }
    const first = firstRowOfSku.get(value.sku);
    if (first !== undefined) {
      errors.push({ row, field: 'sku', message: `duplicate SKU ${value.sku}: already in row ${first}` });
      rowValid = false;
    } else {
      firstRowOfSku.set(value.sku, row);
    }
    if (rowValid) valid.push(value);
  });
  return { valid, errors };
}
