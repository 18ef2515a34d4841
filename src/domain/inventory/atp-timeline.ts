/**
 * ATP by date: today's available to promise, then how it grows as open incoming supply (purchase
 * orders, transfers) arrives. Per location, ATP(t) = max(0, onHand − reserved − safetyStock + incoming
 * arrived by t); the network figure is the sum of the per-location figures (a shortfall at one location
 * is not covered by another location's stock in the per-location floor).
 *
 * Supply already overdue (expected before `now`) is not on hand yet, so it is not in today's figure: it
 * appears in a point at `now` flagged `overdue`. Points are in time order, one per distinct arrival
 * instant, and never decrease (incoming quantities are positive).
 *
 * Example: onHand 5, reserved 7, safety 0 (today 0); +4 on the 10th → 2; +10 on the 12th → 12.
 */
export interface TimelinePosition {
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

export interface IncomingLine {
  locationId: string;
  quantity: number;
  expectedAt: Date;
}

export interface AtpPoint {
  at: Date;
  incoming: number;
  atp: number;
  overdue: boolean;
}

export function atpTimeline(positions: readonly TimelinePosition[], incoming: readonly IncomingLine[], now: Date): AtpPoint[] {
  const base = new Map<string, number>();
  for (const p of positions) base.set(p.locationId, (base.get(p.locationId) ?? 0) + p.onHand - p.reserved - p.safetyStock);
  const arrived = new Map<string, number>();
  const networkAtp = (): number => {
    let sum = 0;
    for (const locationId of new Set([...base.keys(), ...arrived.keys()])) {
      sum += Math.max(0, (base.get(locationId) ?? 0) + (arrived.get(locationId) ?? 0));
    }
    return sum;
  };

  const points: AtpPoint[] = [{ at: now, incoming: 0, atp: networkAtp(), overdue: false }];
  const byInstant = new Map<number, IncomingLine[]>();
  for (const line of incoming) {
    const at = Math.max(line.expectedAt.getTime(), now.getTime());
    byInstant.set(at, [...(byInstant.get(at) ?? []), line]);
  }
  for (const at of [...byInstant.keys()].sort((a, b) => a - b)) {
    const lines = byInstant.get(at)!;
    for (const line of lines) arrived.set(line.locationId, (arrived.get(line.locationId) ?? 0) + line.quantity);
    points.push({
      at: new Date(at),
      incoming: lines.reduce((s, l) => s + l.quantity, 0),
      atp: networkAtp(),
      overdue: lines.some((l) => l.expectedAt.getTime() < now.getTime()),
    });
  }
  return points;
}
