/**
 * Invariant check of stock positions (ledger plus projection, DESIGN §7.7). For each position:
 *
 * - on hand must equal the `onHandAfter` of its last ledger row (0 when it has none);
 * - reserved must equal the sum of the reserved deltas of its ledger rows;
 * - reserved must equal the sum of every open claim on the stock (`reservedSources`: active cart
 *   reservations today; order allocations and others add their own source by name).
 *
 * Returns one drift per position that breaks any of them, and what a fix writes: reserved takes the
 * recomputed sum of sources (the claims are the truth), on hand stays as fed (the position is the truth)
 * and one compensating ledger row brings the ledger to the fixed state.
 * A position in balance yields nothing, so `findDrift` of a consistent network is `[]`.
 */
export interface PositionAudit {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  /** Last `on_hand_after` in the ledger, null when the position has no ledger row. */
  ledgerOnHand: number | null;
  /** Σ (reserved_after − reserved_before) over the position's ledger rows. */
  ledgerReserved: number;
  /** Open claims by source name, e.g. `{ reservation: 3, allocation: 2 }`. */
  reservedSources: Readonly<Record<string, number>>;
}

export type DriftKind = 'on_hand_vs_ledger' | 'reserved_vs_ledger' | 'reserved_vs_sources';

export interface Drift {
  sku: string;
  locationId: string;
  kinds: DriftKind[];
  onHand: number;
  reserved: number;
  ledgerOnHand: number;
  ledgerReserved: number;
  expectedReserved: number;
  reservedSources: Readonly<Record<string, number>>;
}

/** The compensating ledger row and the fixed position for one drift. */
export interface DriftFix {
  sku: string;
  locationId: string;
  onHandBefore: number;
  onHandAfter: number;
  reservedBefore: number;
  reservedAfter: number;
}

export function expectedReserved(sources: Readonly<Record<string, number>>): number {
  return Object.values(sources).reduce((s, q) => s + q, 0);
}

export function findDrift(positions: readonly PositionAudit[]): Drift[] {
  const drifts: Drift[] = [];
  for (const p of positions) {
    const ledgerOnHand = p.ledgerOnHand ?? 0;
    const expected = expectedReserved(p.reservedSources);
    const kinds: DriftKind[] = [];
    if (p.onHand !== ledgerOnHand) kinds.push('on_hand_vs_ledger');
    if (p.reserved !== p.ledgerReserved) kinds.push('reserved_vs_ledger');
    if (p.reserved !== expected) kinds.push('reserved_vs_sources');
    if (kinds.length > 0) {
      drifts.push({ sku: p.sku, locationId: p.locationId, kinds, onHand: p.onHand, reserved: p.reserved, ledgerOnHand, ledgerReserved: p.ledgerReserved, expectedReserved: expected, reservedSources: p.reservedSources });
    }
  }
  return drifts;
}

/**
 * The compensating row reads "the ledger believed (ledgerOnHand, ledgerReserved), the truth is
 * (onHand, expectedReserved)": after it, the last on_hand_after is the position's on hand and the sum
 * of reserved deltas is the recomputed reserved, so a second check finds nothing.
 */
export function compensationFor(d: Drift): DriftFix {
  return { sku: d.sku, locationId: d.locationId, onHandBefore: d.ledgerOnHand, onHandAfter: d.onHand, reservedBefore: d.ledgerReserved, reservedAfter: d.expectedReserved };
}
