/**
 * Which held ship fulfillments are released together (release-held.ts). Work of one customer (e-mail)
 * to one address and service may ship as one parcel from a location (a merge), so such work is released
 * in one transaction: a group is due as soon as one of its members is, and its later members go with it
 * (they would otherwise wait to ship alone). Work without a customer e-mail or an address is a group of
 * its own order. Pure.
 */

export interface HeldItem {
  fulfillmentId: string;
  orderId: string;
  locationId: string;
  releaseAt: number;
  email: string | null;
  address: Record<string, unknown> | null;
  service: string | null;
}

export interface ReleaseGroup<T extends HeldItem> {
  /** Orders to lock, in id order. */
  orderIds: string[];
  items: T[];
}

/** An address as compared for merging: case, accents, spaces and punctuation do not matter. */
export function normaliseAddress(a: Record<string, unknown>): string {
  const part = (k: string) =>
    String(a[k] ?? '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return ['line1', 'line2', 'postalCode', 'city', 'country'].map(part).join('|');
}

/** Same customer, same normalised address, same service: the key work must share to be merged. */
export function mergeKey(item: Pick<HeldItem, 'email' | 'address' | 'service'>): string | undefined {
  if (!item.email || !item.address) return undefined;
  return `${item.email.trim().toLowerCase()}#${normaliseAddress(item.address)}#${item.service ?? 'standard'}`;
}

/** The groups due at `now` (any member's release time passed), oldest first. */
export function dueReleaseGroups<T extends HeldItem>(items: readonly T[], now: number): ReleaseGroup<T>[] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = mergeKey(item) ?? `order:${item.orderId}`;
    byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  // Work of one order always goes together, even when its key differs from another group's (it cannot).
  const groups = [...byKey.values()]
    .filter((g) => g.some((i) => i.releaseAt <= now))
    .map((g) => ({ orderIds: [...new Set(g.map((i) => i.orderId))].sort(), items: g, first: Math.min(...g.map((i) => i.releaseAt)) }));
  return groups.sort((a, b) => a.first - b.first || (a.orderIds[0]! < b.orderIds[0]! ? -1 : 1)).map(({ orderIds, items: g }) => ({ orderIds, items: g }));
}
