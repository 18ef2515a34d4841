import { parse } from 'csv-parse/sync';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import type { SnapshotItem } from './inventory.schemas.js';

const SKU = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const QUANTITY = /^\d{1,10}$/;
const MAX_ERRORS = 20;

/**
 * Reads a `sku,onHand` CSV (header required, `on_hand` also accepted; extra columns ignored) into
 * snapshot items. Every bad row is reported by line number (first 20), nothing is half-read.
 */
export function parseSnapshotCsv(text: string): Result<SnapshotItem[]> {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return fail('invalid_csv', `the CSV cannot be read: ${(err as Error).message}`);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const skuCol = header.indexOf('sku');
  const qtyCol = header.findIndex((h) => h === 'onhand' || h === 'on_hand');
  if (skuCol < 0 || qtyCol < 0) return fail('invalid_csv', 'the first line must be a header with the columns sku and onHand', { header: records[0] ?? [] });

  const items: SnapshotItem[] = [];
  const errors: { line: number; message: string }[] = [];
  for (let i = 1; i < records.length; i++) {
    const sku = records[i]![skuCol] ?? '';
    const qty = records[i]![qtyCol] ?? '';
    if (!SKU.test(sku)) errors.push({ line: i + 1, message: `invalid sku "${sku}"` });
    else if (!QUANTITY.test(qty) || Number(qty) > 2_000_000_000) errors.push({ line: i + 1, message: `onHand must be a non-negative integer, got "${qty}"` });
    else items.push({ sku, onHand: Number(qty) });
    if (errors.length >= MAX_ERRORS) break;
  }
  if (errors.length > 0) return fail('invalid_csv', `${errors.length === MAX_ERRORS ? 'at least ' : ''}${errors.length} bad row(s)`, { errors });
  return ok(items);
}
