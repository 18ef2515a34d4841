import type { AssignedLine, CostSplit, PlannedShipment, SourcingCandidate, WeightBand } from './sourcing-types.js';

/**
 * The sourcing cost model, the one definition the optimiser, its MILP oracle and the explanations share.
 *
 * Shipment cost at a candidate = handling + shipping(weight) + preference.
 * Shipping: a parcel of weight w costs the cheapest band whose maximum is >= w (so the price never falls
 * when weight rises, even for an oddly ordered rate card). A shipment heavier than the heaviest band
 * (maximum M) becomes floor(W / M) full parcels at the price of M plus one parcel for the remainder;
 * a shipment of unknown weight (0 g) is still one parcel. Shipping is therefore non-decreasing in weight.
 * Plan cost = sum of shipment costs + splitPenalty x (shipments - 1); an empty plan costs 0.
 * A candidate without any band cannot ship to the destination and is never used.
 */

/** A rate card prepared for repeated lookups: maxima ascending, each with the cheapest price of any band that fits. */
export interface ShippingTable {
  maxes: Float64Array;
  costs: Float64Array;
  /** Heaviest band maximum (the full-parcel weight) and the price of a full parcel. */
  fullWeight: number;
  fullCost: number;
}

export function shippingTable(bands: readonly WeightBand[]): ShippingTable {
  if (bands.length === 0) throw new RangeError('a rate card needs at least one weight band');
  const sorted = [...bands].sort((a, b) => a.maxWeightGrams - b.maxWeightGrams || a.costMinor - b.costMinor);
  for (const b of sorted) {
    if (!(b.maxWeightGrams > 0) || !Number.isFinite(b.costMinor) || b.costMinor < 0) throw new RangeError(`invalid weight band ${JSON.stringify(b)}`);
  }
  const maxes = new Float64Array(sorted.length);
  const costs = new Float64Array(sorted.length);
  let cheapest = Infinity;
  for (let i = sorted.length - 1; i >= 0; i--) {
    cheapest = Math.min(cheapest, sorted[i]!.costMinor);
    maxes[i] = sorted[i]!.maxWeightGrams;
    costs[i] = cheapest;
  }
  return { maxes, costs, fullWeight: maxes[maxes.length - 1]!, fullCost: costs[costs.length - 1]! };
}

/** Price of one parcel of `weight` (<= the table's full weight). */
export function parcelCost(table: ShippingTable, weight: number): number {
  const { maxes, costs } = table;
  for (let i = 0; i < maxes.length; i++) if (weight <= maxes[i]!) return costs[i]!;
  return table.fullCost;
}

/** Shipping price of a shipment of `weightGrams`. */
export function shippingCost(table: ShippingTable, weightGrams: number): number {
  if (weightGrams <= table.fullWeight) return parcelCost(table, weightGrams);
  const full = Math.floor(weightGrams / table.fullWeight);
  const rest = weightGrams - full * table.fullWeight;
  return full * table.fullCost + (rest > 0 ? parcelCost(table, rest) : 0);
}

export function parcelCount(table: ShippingTable, weightGrams: number): number {
  return weightGrams <= table.fullWeight ? 1 : Math.ceil(weightGrams / table.fullWeight);
}

/** Lines of one shipment with their unit weight (from the order lines). */
export interface WeighedLine extends AssignedLine {
  unitWeightGrams: number;
}

/** The full cost of shipping `lines` from `candidate` (no feasibility check). */
export function shipmentCost(candidate: SourcingCandidate, lines: readonly WeighedLine[], table = shippingTable(candidate.shippingBands)): PlannedShipment {
  let weight = 0;
  for (const l of lines) weight += l.quantity * l.unitWeightGrams;
  const shippingMinor = shippingCost(table, weight);
  const breakdown = { handlingMinor: candidate.handlingCostMinor, shippingMinor, preferenceMinor: candidate.preferenceCostMinor };
  return {
    locationId: candidate.locationId,
    lines: lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
    weightGrams: weight,
    parcels: parcelCount(table, weight),
    costMinor: breakdown.handlingMinor + breakdown.shippingMinor + breakdown.preferenceMinor,
    breakdown,
  };
}

export function planCost(shipments: readonly Pick<PlannedShipment, 'costMinor'>[], splitPenaltyMinor: number): number {
  if (shipments.length === 0) return 0;
  let sum = 0;
  for (const s of shipments) sum += s.costMinor;
  return sum + splitPenaltyMinor * (shipments.length - 1);
}

/** A plan's cost by component; the components add up to `planCost`. */
export function planCostSplit(shipments: readonly Pick<PlannedShipment, 'breakdown'>[], splitPenaltyMinor: number): CostSplit {
  const split: CostSplit = { handlingMinor: 0, shippingMinor: 0, preferenceMinor: 0, splitPenaltyMinor: shipments.length > 1 ? splitPenaltyMinor * (shipments.length - 1) : 0 };
  for (const s of shipments) {
    split.handlingMinor += s.breakdown.handlingMinor;
    split.shippingMinor += s.breakdown.shippingMinor;
    split.preferenceMinor += s.breakdown.preferenceMinor;
  }
  return split;
}
