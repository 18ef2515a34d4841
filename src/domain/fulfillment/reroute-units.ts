import { unitsValue } from '../orders/unit-value.js';

/** Units of one order line that must be served from somewhere else (a rejection, a short pick, a time-out). */
export interface RerouteUnit {
  orderLineId: string;
  sku: string;
  quantity: number;
}

/**
 * The units per order line, in order of first appearance, without empty entries: the promise gets one
 * cart line per order line, and cart line i + 1 is entry i (the promise's shortfalls name them so).
 * Example: [L1 A×1, L2 B×2, L1 A×1] → [L1 A×2, L2 B×2].
 */
export function mergeUnits(units: readonly RerouteUnit[]): RerouteUnit[] {
  const byLine = new Map<string, RerouteUnit>();
  for (const u of units) {
    if (u.quantity <= 0) continue;
    const seen = byLine.get(u.orderLineId);
    if (seen && seen.sku !== u.sku) throw new Error(`order line ${u.orderLineId} has units of ${seen.sku} and ${u.sku}`);
    byLine.set(u.orderLineId, { ...u, quantity: (seen?.quantity ?? 0) + u.quantity });
  }
  return [...byLine.values()];
}

/**
 * Splits merged units by the promise's shortfalls (`lineId` is the 1-based cart line): `unserved` is what
 * no location can serve, `served` the rest. Per order line, served + unserved = the units asked; a
 * shortfall never takes more than its line has.
 * Example: [L1 A×2, L2 B×1] with shortfall {lineId '1', quantity 1} → served [L1 A×1, L2 B×1], unserved [L1 A×1].
 */
export function splitByShortfalls(
  units: readonly RerouteUnit[],
  shortfalls: readonly { lineId: string; quantity: number }[],
): { served: RerouteUnit[]; unserved: RerouteUnit[] } {
  const short = new Map<number, number>();
  for (const s of shortfalls) {
    const i = Number(s.lineId) - 1;
    if (Number.isInteger(i) && i >= 0 && i < units.length) short.set(i, (short.get(i) ?? 0) + Math.max(0, s.quantity));
  }
  const served: RerouteUnit[] = [];
  const unserved: RerouteUnit[] = [];
  units.forEach((u, i) => {
    const missing = Math.min(u.quantity, short.get(i) ?? 0);
    if (u.quantity - missing > 0) served.push({ ...u, quantity: u.quantity - missing });
    if (missing > 0) unserved.push({ ...u, quantity: missing });
  });
  return { served, unserved };
}

/**
 * The money of `count` units of a line cancelled after `cancelledBefore` others. Cancelled units are
 * settled from the END of the line (goods that leave are captured from its start, see unitsValue), so
 * the two never claim the same unit's share and all parts add up to the line total.
 * Example: 3 units for 1000, one cancelled → 334 (the last unit's share); one more → 333.
 */
export function cancelledUnitsValue(line: { quantity: number; totalMinor: number }, cancelledBefore: number, count: number): number {
  return unitsValue(line, line.quantity - cancelledBefore - count, count);
}
