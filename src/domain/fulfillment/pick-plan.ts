import { fail, ok, type Result } from '../shared/result.js';

export interface PickableLine {
  id: string;
  sku: string;
  quantity: number;
}

export interface PickedLine {
  lineId: string;
  sku: string;
  quantity: number;
  picked: number;
  /** Units not found (quantity − picked). */
  missing: number;
}

/**
 * What a pick found, per fulfillment line, from what the associate scanned per SKU. Every SKU of the
 * fulfillment must be answered (0 when none was found: a short pick is said, never assumed); a SKU
 * counted on several lines fills them in order. Refuses (pick_mismatch) unknown SKUs, missing SKUs and
 * more units than the fulfillment asks for.
 * Example: lines [A×2, B×1], scanned {A: 1, B: 1} → A picked 1 missing 1, B picked 1.
 */
export function planPick(lines: readonly PickableLine[], scanned: readonly { sku: string; quantity: number }[]): Result<PickedLine[]> {
  const counted = scannedPerSku(lines, scanned, 'fulfillment');
  if (!counted.ok) return counted;
  const left = counted.value;
  return ok(
    lines.map((l) => {
      const picked = Math.min(l.quantity, left.get(l.sku) ?? 0);
      left.set(l.sku, (left.get(l.sku) ?? 0) - picked);
      return { lineId: l.id, sku: l.sku, quantity: l.quantity, picked, missing: l.quantity - picked };
    }),
  );
}

/**
 * The units scanned per SKU, checked against what `lines` ask for (of one fulfillment, or of a merged
 * shipment): refused (pick_mismatch) when a SKU is not asked for, left unanswered, or counted over.
 */
export function scannedPerSku(lines: ReadonlyArray<{ sku: string; quantity: number }>, scanned: readonly { sku: string; quantity: number }[], of: string): Result<Map<string, number>> {
  const counted = new Map<string, number>();
  for (const s of scanned) counted.set(s.sku, (counted.get(s.sku) ?? 0) + s.quantity);
  const wanted = new Map<string, number>();
  for (const l of lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  const unknown = [...counted.keys()].filter((sku) => !wanted.has(sku));
  const unanswered = [...wanted.keys()].filter((sku) => !counted.has(sku));
  const over = [...counted].filter(([sku, q]) => wanted.has(sku) && q > wanted.get(sku)!).map(([sku, q]) => ({ sku, counted: q, wanted: wanted.get(sku)! }));
  if (unknown.length > 0 || unanswered.length > 0 || over.length > 0) {
    return fail('pick_mismatch', `the pick must give, for every SKU of the ${of}, how many units were found (0 if none), never more than asked`, { unknown, unanswered, over });
  }
  return ok(counted);
}
