/**
 * Where a return by mail should go: where its SKUs sell best, not back where they came from. A store
 * with the `returns` capability that is short of them (recent demand above what it has to sell) gets
 * them, the one that would sell most of the returned units first; otherwise the warehouse that sells
 * them most (it restocks the network); a network without a returns warehouse falls back to the store
 * with the most demand.
 */
export interface DestinationCandidate {
  locationId: string;
  type: string;
  /** Per SKU of the return: ATP now, and demand (units that left it recently plus units held for orders). */
  stock: ReadonlyMap<string, { atp: number; demand: number }>;
}

export interface ReturnedUnits {
  sku: string;
  quantity: number;
}

export interface DestinationProposal {
  locationId: string;
  rule: 'store_short' | 'warehouse' | 'most_demand';
  /** Returned units the chosen store lacks (store_short), its demand and ATP of the returned SKUs. */
  shortfall: number;
  demand: number;
  atp: number;
}

interface Scored extends DestinationProposal {
  type: string;
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The proposal, or undefined when no location takes returns. Deterministic: ties go to the smaller id. */
export function proposeDestination(candidates: readonly DestinationCandidate[], units: readonly ReturnedUnits[]): DestinationProposal | undefined {
  const scored: Scored[] = candidates.map((c) => {
    let shortfall = 0;
    let demand = 0;
    let atp = 0;
    for (const u of units) {
      const s = c.stock.get(u.sku) ?? { atp: 0, demand: 0 };
      shortfall += Math.min(u.quantity, Math.max(0, s.demand - s.atp));
      demand += s.demand;
      atp += s.atp;
    }
    return { locationId: c.locationId, type: c.type, rule: 'most_demand', shortfall, demand, atp };
  });
  const best = (list: Scored[], key: (s: Scored) => number): Scored | undefined =>
    [...list].sort((a, b) => key(b) - key(a) || b.demand - a.demand || a.atp - b.atp || compareIds(a.locationId, b.locationId))[0];

  const short = best(scored.filter((s) => s.type === 'store' && s.shortfall > 0), (s) => s.shortfall);
  const chosen = short ? { ...short, rule: 'store_short' as const } : pickWarehouse(scored, best);
  if (!chosen) return undefined;
  const { type: _type, ...proposal } = chosen;
  return proposal;
}

function pickWarehouse(scored: Scored[], best: (list: Scored[], key: (s: Scored) => number) => Scored | undefined): Scored | undefined {
  const warehouse = best(scored.filter((s) => s.type === 'warehouse'), (s) => s.demand);
  if (warehouse) return { ...warehouse, rule: 'warehouse' };
  const any = best(scored, (s) => s.demand);
  return any && { ...any, rule: 'most_demand' };
}
