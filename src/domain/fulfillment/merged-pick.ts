import { ok, type Result } from '../shared/result.js';
import { scannedPerSku } from './pick-plan.js';

/** One fulfillment of a merged parcel: its order's age and the units its lines still ask for. */
export interface MergedWork {
  fulfillmentId: string;
  /** When its order was placed (ms) and its number: the tie-break. */
  placedAt: number;
  orderNumber: string;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
}

export type ScanLine = { sku: string; quantity: number };

/** Oldest order first (placement, then number, then fulfillment id). */
export function byOrderAge(a: Omit<MergedWork, 'lines'>, b: Omit<MergedWork, 'lines'>): number {
  return a.placedAt - b.placedAt || cmp(a.orderNumber, b.orderNumber) || cmp(a.fulfillmentId, b.fulfillmentId);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * How the units an associate found for a merged parcel (one scan per SKU for the whole parcel) split
 * over its fulfillments: per SKU, the units found go to the OLDEST orders first, so when several orders
 * of the parcel ask for a short SKU the NEWEST order loses its units first (the stock-shortfall resolver
 * gives units up in the same order). Each fulfillment gets one scan line per SKU it asks for (0 when
 * none reached it), which planPick then spreads over its lines. Refuses (pick_mismatch) SKUs the parcel
 * does not hold, SKUs left unanswered and more units than the parcel asks for.
 * Example: A (older) SHIRT×1, B SHIRT×1 + JEANS×1, scanned SHIRT 1, JEANS 1 → A: SHIRT 1; B: SHIRT 0, JEANS 1.
 */
export function shareMergedPick(works: readonly MergedWork[], scanned: readonly ScanLine[]): Result<Map<string, ScanLine[]>> {
  const counted = scannedPerSku(works.flatMap((w) => w.lines), scanned, 'merged shipment');
  if (!counted.ok) return counted;
  const left = counted.value;
  const out = new Map<string, ScanLine[]>();
  for (const w of [...works].sort(byOrderAge)) {
    const need = new Map<string, number>();
    for (const l of w.lines) need.set(l.sku, (need.get(l.sku) ?? 0) + l.quantity);
    out.set(
      w.fulfillmentId,
      [...need].map(([sku, q]) => {
        const take = Math.min(q, left.get(sku) ?? 0);
        left.set(sku, (left.get(sku) ?? 0) - take);
        return { sku, quantity: take };
      }),
    );
  }
  return ok(out);
}
