import type { FulfillmentLine, Product } from '../types';

/** One SKU still to pick: the units of every pickable line of that SKU together (the API counts per SKU). */
export interface PickTarget {
  sku: string;
  name: string;
  wanted: number;
}

/** Lines still to pick: held units not picked yet (a transfer's units arrive picked; a reopened pickup's earlier lines stay picked). */
export const isPickable = (l: FulfillmentLine): boolean => l.allocationStatus === 'reserved' && l.pickedQuantity === null;

export function pickTargets(lines: readonly FulfillmentLine[]): PickTarget[] {
  const bySku = new Map<string, PickTarget>();
  for (const l of lines.filter(isPickable)) {
    const t = bySku.get(l.sku);
    if (t) t.wanted += l.quantity;
    else bySku.set(l.sku, { sku: l.sku, name: l.name, wanted: l.quantity });
  }
  return [...bySku.values()];
}

/** Catalogue attributes that may hold a product's printed barcode. */
const BARCODE_ATTRIBUTES = ['ean', 'ean13', 'gtin', 'gtin13', 'upc', 'barcode'];

/** Scanned code → SKU: each product's barcode (EAN/GTIN/UPC attribute), leading zeros aside (UPC-A is EAN-13 with a 0). */
export function barcodeIndex(products: readonly Product[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const p of products) {
    for (const [name, value] of Object.entries(p.attributes)) {
      if (BARCODE_ATTRIBUTES.includes(name.toLowerCase()) && value.trim() !== '') index.set(normaliseBarcode(value), p.sku);
    }
  }
  return index;
}

const normaliseBarcode = (code: string): string => code.trim().replace(/^0+(?=\d)/, '');

export type ScanOutcome =
  | { ok: true; sku: string; name: string; picked: number; wanted: number }
  | { ok: false; reason: 'unknown'; code: string }
  | { ok: false; reason: 'too_many'; sku: string; name: string; wanted: number };

/**
 * What one scan does: a keyboard-wedge scanner types the code then Enter. The code is a SKU of the
 * fulfillment (any case) or a product's barcode; it adds one unit to that SKU unless all its units are
 * already counted. Examples: "jsl-ind-40" with 0 of 2 counted → ok, 1/2; an EAN of another product → unknown.
 */
export function applyScan(raw: string, targets: readonly PickTarget[], barcodes: ReadonlyMap<string, string>, counts: Readonly<Record<string, number>>): ScanOutcome {
  const code = raw.trim();
  const bySku = targets.find((t) => t.sku.toLowerCase() === code.toLowerCase());
  const viaBarcode = /^\d+$/.test(code) ? barcodes.get(normaliseBarcode(code)) : undefined;
  const target = bySku ?? targets.find((t) => t.sku === viaBarcode);
  if (!target) return { ok: false, reason: 'unknown', code };
  const picked = counts[target.sku] ?? 0;
  if (picked >= target.wanted) return { ok: false, reason: 'too_many', sku: target.sku, name: target.name, wanted: target.wanted };
  return { ok: true, sku: target.sku, name: target.name, picked: picked + 1, wanted: target.wanted };
}

/** The pick body: every SKU answered, 0 when none was found. */
export const pickBody = (targets: readonly PickTarget[], counts: Readonly<Record<string, number>>) => ({
  lines: targets.map((t) => ({ sku: t.sku, quantity: Math.min(t.wanted, counts[t.sku] ?? 0) })),
});

export const missingUnits = (targets: readonly PickTarget[], counts: Readonly<Record<string, number>>): number =>
  targets.reduce((s, t) => s + Math.max(0, t.wanted - (counts[t.sku] ?? 0)), 0);
