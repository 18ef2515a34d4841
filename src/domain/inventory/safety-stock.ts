/**
 * Safety stock (stock tampon) resolves from the most specific rule: (SKU, location) > location >
 * location type. Without any rule, a location's buffer grows as its data gets less reliable:
 * `ceil((1 - reliability) * RELIABILITY_BUFFER_UNITS)`, so a perfectly reliable warehouse keeps 0 and a
 * store whose counts are right 60% of the time keeps 2 units back.
 */
export const RELIABILITY_BUFFER_UNITS = 5;

export interface SafetyStockRules {
  skuLocation?: number;
  location?: number;
  locationType?: number;
}

export function defaultSafetyStock(reliability: number): number {
  return Math.ceil((1 - reliability) * RELIABILITY_BUFFER_UNITS - 1e-9);
}

export function resolveSafetyStock(rules: SafetyStockRules, reliability: number): number {
  return rules.skuLocation ?? rules.location ?? rules.locationType ?? defaultSafetyStock(reliability);
}

/** ATP = on hand − reserved − safety stock, never below 0. */
export function availableToPromise(p: { onHand: number; reserved: number; safetyStock: number }): number {
  return Math.max(0, p.onHand - p.reserved - p.safetyStock);
}
