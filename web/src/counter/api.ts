import { useQuery } from '@tanstack/react-query';
import { api, ApiError, type Page } from '../api/client';
import type { Position, Product } from '../api/types';

export type { Position, Product };

/** API shapes the counter screens read (only the fields they use). */
export interface Availability {
  channel: string | null;
  items: Array<{
    sku: string;
    known: boolean;
    networkAtp: number;
    locations: Array<{ locationId: string; name: string; type: string; atp: number; distanceKm: number | null }>;
  }>;
}

interface Channel {
  id: string;
  name: string;
  type: string;
  active: boolean;
}

/**
 * The sales channel orders taken at the counter are recorded on: the first active channel of type `pos`
 * (the demo network's is `pos`). Undefined while loading; null when the network has none.
 */
export function usePosChannel() {
  return useQuery({
    queryKey: ['channels', 'pos'],
    queryFn: async () => {
      const page = await api.get<Page<Channel>>('/v1/channels', { active: true, limit: 200 });
      return page.items.find((c) => c.type === 'pos' && c.active) ?? null;
    },
    staleTime: 10 * 60_000,
  });
}

/** The currency of the network's prices and promise costs (the promise settings say which). */
export function useCurrency(): string {
  const settings = useQuery({
    queryKey: ['promise-settings'],
    queryFn: () => api.get<{ currency: string }>('/v1/promise/settings'),
    staleTime: 10 * 60_000,
  });
  return settings.data?.currency ?? 'EUR';
}

/** One product by exact SKU, or undefined when there is none (a typed or scanned code that is not a SKU). */
export async function findProduct(sku: string): Promise<Product | undefined> {
  try {
    return await api.get<Product>(`/v1/products/${encodeURIComponent(sku)}`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return undefined;
    throw e;
  }
}

/**
 * What a typed or scanned term designates: the product whose SKU it is (a scanner types the exact code),
 * else the active products whose SKU or name contains it.
 */
export async function searchProducts(term: string): Promise<{ exact?: Product; matches: Product[] }> {
  const trimmed = term.trim();
  const [exact, page] = await Promise.all([
    findProduct(trimmed).then((p) => p ?? (trimmed.toUpperCase() !== trimmed ? findProduct(trimmed.toUpperCase()) : undefined)),
    api.get<Page<Product>>('/v1/products', { q: trimmed, active: true, limit: 20 }),
  ]);
  return { ...(exact ? { exact } : {}), matches: page.items };
}

/** The other sizes and colours of a product's style. */
export function useStyleSiblings(product: Product | undefined) {
  return useQuery({
    queryKey: ['products', 'style', product?.styleId],
    queryFn: () => api.get<Page<Product>>('/v1/products', { styleId: product!.styleId!, active: true, limit: 100 }),
    enabled: !!product?.styleId,
    staleTime: 5 * 60_000,
  });
}
