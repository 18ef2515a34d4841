/**
 * Applying a batch of stock movements (POS sales, WMS receipts, adjustments) to positions that the
 * caller has locked. Movements are applied in the order given, one after the other:
 *
 * - a movement whose `occurredAt` is at or before the position's last absolute set (`lastSetAt`) is
 *   already counted in that set, so it is `stale`: recorded as seen, not applied again;
 * - a delta that would drive on hand below 0 is clamped to 0 and reported (`clamped`): the feed is a
 *   fact (the sale happened), the count we held was wrong, and rejecting it would lose the sale.
 *
 * Invariants: on hand never goes below 0; each movement is either applied (one step with
 * `onHandAfter = max(0, onHandBefore + delta)`) or stale; the final on hand of a position is the
 * `onHandAfter` of its last applied step.
 */
export interface MovementInput {
  eventId: string;
  sku: string;
  locationId: string;
  delta: number;
  occurredAt?: Date;
}

export interface LockedPosition {
  onHand: number;
  lastSetAt: Date | null;
}

export interface MovementStep {
  eventId: string;
  sku: string;
  locationId: string;
  onHandBefore: number;
  onHandAfter: number;
}

export interface MovementOutcome {
  steps: MovementStep[];
  /** Final on hand per position key (`positionKey(sku, locationId)`), only for positions a step changed. */
  finalOnHand: Map<string, number>;
  clamped: { eventId: string; sku: string; locationId: string; delta: number; applied: number }[];
  stale: string[];
}

export const positionKey = (sku: string, locationId: string): string => `${sku}\u0000${locationId}`;

export function applyMovements(positions: ReadonlyMap<string, LockedPosition>, movements: readonly MovementInput[]): MovementOutcome {
  const current = new Map<string, number>();
  const outcome: MovementOutcome = { steps: [], finalOnHand: new Map(), clamped: [], stale: [] };
  for (const m of movements) {
    const key = positionKey(m.sku, m.locationId);
    const position = positions.get(key);
    if (!position) throw new Error(`position ${m.sku}@${m.locationId} was not locked before applying movements`);
    if (m.occurredAt && position.lastSetAt && m.occurredAt.getTime() <= position.lastSetAt.getTime()) {
      outcome.stale.push(m.eventId);
      continue;
    }
    const before = current.get(key) ?? position.onHand;
    const after = Math.max(0, before + m.delta);
    if (after !== before + m.delta) outcome.clamped.push({ eventId: m.eventId, sku: m.sku, locationId: m.locationId, delta: m.delta, applied: after - before });
    current.set(key, after);
    outcome.steps.push({ eventId: m.eventId, sku: m.sku, locationId: m.locationId, onHandBefore: before, onHandAfter: after });
  }
  for (const [key, onHand] of current) if (onHand !== positions.get(key)!.onHand) outcome.finalOnHand.set(key, onHand);
  return outcome;
}
