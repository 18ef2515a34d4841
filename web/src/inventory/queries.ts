import { useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { api, type Page, type Query } from '../api/client';
import type { Location } from '../api/types';
import type { AtpByDate, Availability, Channel, LedgerRow, Position, Product, StockHold, SupplyLine } from './types';

const PAGE = 50;

/** Every item of a paginated list (master data: a few hundred locations or channels at most). */
export async function fetchAll<T>(path: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(path, { ...query, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Query keys other screens invalidate after a change (settings save a location, a stock adjustment). */
export const keys = {
  locations: ['locations'] as const,
  channels: ['channels'] as const,
  sku: (sku: string) => ['inventory', 'sku', sku] as const,
};

export const useAllLocations = () =>
  useQuery({ queryKey: [...keys.locations, 'all'], queryFn: () => fetchAll<Location>('/v1/locations'), staleTime: 60_000 });

export const useChannels = () => useQuery({ queryKey: [...keys.channels, 'all'], queryFn: () => fetchAll<Channel>('/v1/channels'), staleTime: 60_000 });

const nextCursor = <T,>(page: Page<T>) => page.nextCursor ?? undefined;

export const useProductSearch = (q: string) =>
  useInfiniteQuery({
    queryKey: ['products', 'search', q],
    queryFn: ({ pageParam }) => api.get<Page<Product>>('/v1/products', { q, limit: PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    enabled: q.length > 0,
  });

export const useLocationStock = (locationId: string | null) =>
  useInfiniteQuery({
    queryKey: ['inventory', 'location', locationId],
    queryFn: ({ pageParam }) => api.get<Page<Position>>(`/v1/inventory/locations/${encodeURIComponent(locationId!)}`, { limit: PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    enabled: locationId !== null,
  });

const skuPath = (sku: string) => `/v1/inventory/${encodeURIComponent(sku)}`;

export const useProduct = (sku: string) => useQuery({ queryKey: ['products', sku], queryFn: () => api.get<Product>(`/v1/products/${encodeURIComponent(sku)}`) });

export const useSkuPositions = (sku: string) =>
  useQuery({ queryKey: [...keys.sku(sku), 'positions'], queryFn: () => api.get<{ sku: string; positions: Position[] }>(skuPath(sku)) });

export const useHolds = (sku: string) =>
  useQuery({ queryKey: [...keys.sku(sku), 'holds'], queryFn: () => api.get<{ sku: string; items: StockHold[] }>(`${skuPath(sku)}/holds`) });

export const useAtpByDate = (sku: string) => useQuery({ queryKey: [...keys.sku(sku), 'atp-by-date'], queryFn: () => api.get<AtpByDate>(`${skuPath(sku)}/atp-by-date`) });

export const useSupply = (sku: string) =>
  useQuery({ queryKey: [...keys.sku(sku), 'supply'], queryFn: () => api.get<{ items: SupplyLine[] }>('/v1/supply', { sku, status: 'open' }) });

export const useLedger = (sku: string, locationId: string | null) =>
  useInfiniteQuery({
    queryKey: [...keys.sku(sku), 'ledger', locationId],
    queryFn: ({ pageParam }) => api.get<Page<LedgerRow>>(`${skuPath(sku)}/ledger`, { locationId, limit: 25, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
  });

/** What each active channel may sell of the SKU across the network (pool rules applied), from GET /v1/availability. */
export function useNetworkAtp(sku: string, channels: readonly Channel[]) {
  return useQueries({
    queries: channels.map((c) => ({
      queryKey: [...keys.sku(sku), 'network-atp', c.id],
      queryFn: () => api.get<Availability>('/v1/availability', { skus: sku, channel: c.id, limit: 1 }),
    })),
  });
}
