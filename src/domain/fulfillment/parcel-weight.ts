/**
 * The parcels a merged shipment goes on with once some of the units packed in them left it (its lead's
 * order cancelled or re-routed): the units' catalogue weight comes out of the weighed parcels. Which
 * parcel held which unit is not recorded, so it is shared over them in proportion to their weight
 * (largest remainders take the odd grams); each parcel keeps at least 1 g, and its size and reference.
 * Example: [{ weightGrams: 900 }] less 300 g -> [{ weightGrams: 600 }];
 * [{ weightGrams: 600 }, { weightGrams: 300 }] less 300 g -> [{ weightGrams: 400 }, { weightGrams: 200 }].
 */
export function lighterParcels<P extends { weightGrams: number }>(parcels: readonly P[], removedGrams: number): P[] {
  const total = parcels.reduce((s, p) => s + p.weightGrams, 0);
  if (removedGrams <= 0 || total === 0) return [...parcels];
  const removed = Math.min(removedGrams, total);
  const exact = parcels.map((p) => (removed * p.weightGrams) / total);
  const shares = exact.map(Math.floor);
  let odd = removed - shares.reduce((s, n) => s + n, 0);
  for (const i of parcels.map((_, i) => i).sort((a, b) => exact[b]! - shares[b]! - (exact[a]! - shares[a]!) || a - b)) {
    if (odd === 0) break;
    shares[i]! += 1;
    odd -= 1;
  }
  return parcels.map((p, i) => ({ ...p, weightGrams: Math.max(1, p.weightGrams - shares[i]!) }));
}
