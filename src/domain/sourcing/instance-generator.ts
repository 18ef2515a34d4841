import type { SourcingCandidate, SourcingLine, SourcingPolicy, WeightBand } from './sourcing-types.js';

/**
 * Seeded sourcing instances for the optimiser's oracle test and the `sourcing` benchmark figure: a
 * network of warehouses (broad stock, cheap handling), stores (sparse stock, limited pick capacity,
 * preference from store load) and drop-ship suppliers (fee), with zone rate cards shared by distance.
 * Same seed, same instance.
 */

export interface InstanceOptions {
  lines: number;
  candidates: number;
  seed: number;
  /** Probability that a store has a pick-capacity limit (default 0.5). */
  capacityShare?: number;
  /** Probability of a shipment limit of 1-3 (default 0.25). */
  maxShipmentsShare?: number;
  /** Probability of ship-complete (default 0.05). */
  shipCompleteShare?: number;
  /** Probability that lines may be divided (default 0.3). */
  lineSplitShare?: number;
  /** Probability that a line repeats an earlier line's SKU (default 0.1). */
  repeatSkuShare?: number;
  /** Probability of one excluded location (default 0.2). */
  exclusionShare?: number;
  /** Largest line quantity (default 3). */
  maxQuantity?: number;
}

export interface SourcingInstance {
  lines: SourcingLine[];
  candidates: SourcingCandidate[];
  policy: SourcingPolicy;
}

/** mulberry32: a small, well-mixed 32-bit generator. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rate cards per distance zone: 1 kg, 5 kg, 20 kg parcels; heavier shipments go as several parcels. */
const ZONES: { maxKm: number; bands: WeightBand[] }[] = [
  { maxKm: 50, bands: [{ maxWeightGrams: 1_000, costMinor: 390 }, { maxWeightGrams: 5_000, costMinor: 590 }, { maxWeightGrams: 20_000, costMinor: 1_190 }] },
  { maxKm: 250, bands: [{ maxWeightGrams: 1_000, costMinor: 490 }, { maxWeightGrams: 5_000, costMinor: 720 }, { maxWeightGrams: 20_000, costMinor: 1_450 }] },
  { maxKm: 600, bands: [{ maxWeightGrams: 1_000, costMinor: 560 }, { maxWeightGrams: 5_000, costMinor: 840 }, { maxWeightGrams: 20_000, costMinor: 1_690 }] },
  { maxKm: Infinity, bands: [{ maxWeightGrams: 1_000, costMinor: 690 }, { maxWeightGrams: 5_000, costMinor: 990 }, { maxWeightGrams: 20_000, costMinor: 1_990 }] },
];

export function generateInstance(o: InstanceOptions): SourcingInstance {
  const rnd = seededRandom(o.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p: number): boolean => rnd() < p;
  const maxQuantity = o.maxQuantity ?? 3;

  const lines: SourcingLine[] = [];
  for (let i = 0; i < o.lines; i++) {
    const repeat = i > 0 && chance(o.repeatSkuShare ?? 0.1);
    const sku = repeat ? lines[int(0, i - 1)]!.sku : `SKU-${o.seed}-${i}`;
    const quantity = chance(0.6) ? 1 : int(1, maxQuantity);
    lines.push({ lineId: `L${i + 1}`, sku, quantity, weightGrams: int(1, 30) * 100 });
  }
  const skus = [...new Set(lines.map((l) => l.sku))];

  const warehouses = Math.max(1, Math.round(o.candidates * 0.04));
  const suppliers = Math.max(1, Math.round(o.candidates * 0.03));
  const candidates: SourcingCandidate[] = [];
  for (let c = 0; c < o.candidates; c++) {
    const type: SourcingCandidate['locationType'] = c < warehouses ? 'warehouse' : c < warehouses + suppliers ? 'supplier' : 'store';
    const stockShare = type === 'warehouse' ? 0.6 : type === 'supplier' ? 0.4 : 0.3;
    const available = new Map<string, number>();
    for (const sku of skus) if (chance(stockShare)) available.set(sku, type === 'store' ? int(1, 4) : int(2, 40));
    const distanceKm = type === 'store' ? int(1, 700) : int(50, 900);
    const zone = ZONES.find((z) => distanceKm <= z.maxKm)!;
    const limited = type === 'store' && chance(o.capacityShare ?? 0.5);
    candidates.push({
      locationId: `${type}-${String(c).padStart(4, '0')}`,
      locationType: type,
      available,
      ...(limited ? { capacityLeft: int(1, 8) } : {}),
      distanceKm,
      shippingBands: zone.bands,
      handlingCostMinor: type === 'warehouse' ? 150 : type === 'supplier' ? 350 : int(250, 450),
      preferenceCostMinor: type === 'supplier' ? 900 : type === 'store' ? int(-150, 250) : 0,
    });
  }
  const policy: SourcingPolicy = { splitPenaltyMinor: int(1, 6) * 100 };
  if (chance(o.maxShipmentsShare ?? 0.25)) policy.maxShipments = int(1, 3);
  if (chance(o.shipCompleteShare ?? 0.05)) policy.shipComplete = true;
  if (chance(o.lineSplitShare ?? 0.3)) policy.allowLineSplit = true;
  if (chance(o.exclusionShare ?? 0.2)) policy.excludedLocationIds = [candidates[int(0, candidates.length - 1)]!.locationId];
  return { lines, candidates, policy };
}
