/**
 * Incoming supply still free to promise: each (SKU, location)'s open supply minus the units orders
 * already wait for there (backorders, pre-orders), taken from the earliest arrival first, so a second
 * customer is never promised the units a first one is waiting for.
 * Example: arrivals of 5 (1 Dec) and 10 (8 Dec), 7 units backordered → 0 on 1 Dec, 8 on 8 Dec.
 */
export interface SupplyArrival {
  sku: string;
  locationId: string;
  quantity: number;
  expectedAt: number;
}

export function netSupply(arrivals: readonly SupplyArrival[], committed: ReadonlyMap<string, number>): SupplyArrival[] {
  const left = new Map(committed);
  return [...arrivals]
    .sort((a, b) => a.expectedAt - b.expectedAt)
    .flatMap((a) => {
      const key = `${a.sku}@${a.locationId}`;
      const taken = Math.min(a.quantity, left.get(key) ?? 0);
      if (taken > 0) left.set(key, left.get(key)! - taken);
      return a.quantity - taken > 0 ? [{ ...a, quantity: a.quantity - taken }] : [];
    });
}
