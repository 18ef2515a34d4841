import type { PromiseOption } from '../promise/delivery-promise.js';
import type { LineStatus } from './order-lifecycle.js';
import { fail, ok, type Result } from '../shared/result.js';

/** Units of one order line at one location: held there, awaited from supply, or already handed over. */
export interface PlannedAllocation {
  /** Index of the order line (0-based, request order). */
  lineIndex: number;
  sku: string;
  locationId: string;
  quantity: number;
  status: 'reserved' | 'backordered' | 'fulfilled';
  transfer: boolean;
  carrier?: Record<string, unknown>;
  departureDate?: string;
  availableFrom?: string;
  earliest?: string;
  latest?: string;
  confidence?: number;
}

export interface OrderedLine {
  sku: string;
  quantity: number;
}

/**
 * Spreads units found per SKU (shipment lines, hold lines) over the order lines of that SKU: first the
 * line the unit was computed for when it matches, then the first order line with room left. Refuses
 * when the units do not add up to exactly what each line ordered.
 */
function spread<T extends { sku: string; quantity: number; lineIndex?: number }>(
  units: readonly T[],
  lines: readonly OrderedLine[],
  make: (unit: T, lineIndex: number, quantity: number) => PlannedAllocation,
  code: string,
): Result<PlannedAllocation[]> {
  const room = lines.map((l) => l.quantity);
  const out: PlannedAllocation[] = [];
  for (const unit of units) {
    let left = unit.quantity;
    const hinted = unit.lineIndex;
    const order = hinted !== undefined && lines[hinted]?.sku === unit.sku ? [hinted, ...lines.keys()] : [...lines.keys()];
    for (const i of order) {
      if (left === 0) break;
      if (lines[i]!.sku !== unit.sku || room[i] === 0) continue;
      const take = Math.min(left, room[i]!);
      room[i] = room[i]! - take;
      left -= take;
      out.push(make(unit, i, take));
    }
    if (left > 0) return fail(code, `${left} more unit(s) of ${unit.sku} than the order lines hold`, { sku: unit.sku, extra: left });
  }
  const short = lines.flatMap((l, i) => (room[i]! > 0 ? [{ sku: l.sku, lineIndex: i, missing: room[i]! }] : []));
  if (short.length > 0) return fail(code, 'some order lines are not covered', { short });
  return ok(out);
}

/**
 * The allocations of a promise option: each shipment's lines at its location, held ('reserved') or,
 * for pre-ordered / backordered units, awaiting supply ('backordered'), with the shipment's dates.
 * Promise line ids are the 1-based positions of the cart the option was computed for.
 */
export function allocateOption(option: PromiseOption, lines: readonly OrderedLine[]): Result<PlannedAllocation[]> {
  const units = option.shipments.flatMap((s) => s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, lineIndex: Number(l.lineId) - 1, shipment: s })));
  return spread(
    units,
    lines,
    ({ sku, shipment: s }, lineIndex, quantity) => ({
      lineIndex,
      sku,
      locationId: s.locationId,
      quantity,
      status: s.availableFrom !== undefined ? 'backordered' : 'reserved',
      transfer: s.transfer,
      ...(s.carrier ? { carrier: { ...s.carrier } } : {}),
      ...(s.departureDate !== undefined ? { departureDate: s.departureDate } : {}),
      ...(s.availableFrom !== undefined ? { availableFrom: s.availableFrom } : {}),
      earliest: s.earliest,
      latest: s.latest,
      confidence: s.confidence,
    }),
    'promise_option_mismatch',
  );
}

/** The allocations of a consumed cart hold: its units, as held, over the order lines (no dates). */
export function allocateHold(held: readonly { sku: string; locationId: string; quantity: number }[], lines: readonly OrderedLine[], pickupStoreId?: string): Result<PlannedAllocation[]> {
  return spread(
    held,
    lines,
    (h, lineIndex, quantity) => ({ lineIndex, sku: h.sku, locationId: h.locationId, quantity, status: 'reserved', transfer: pickupStoreId !== undefined && h.locationId !== pickupStoreId }),
    'reservation_mismatch',
  );
}

/** A line's status from its allocations: awaiting supply wins over held; handed over is completed. */
export function lineStatusOf(allocations: readonly Pick<PlannedAllocation, 'status'>[]): LineStatus {
  if (allocations.length === 0) return 'pending';
  if (allocations.some((a) => a.status === 'backordered')) return 'backordered';
  if (allocations.every((a) => a.status === 'fulfilled')) return 'completed';
  return 'allocated';
}
