import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Location } from '../api/types';

/** Master data offered in filters: a few channels and locations, one page of 500 holds them all. */
const STALE_MS = 5 * 60_000;

export function useChannelOptions(): Array<{ id: string; name: string }> {
  const channels = useQuery({
    queryKey: ['channels', 'options'],
    queryFn: ({ signal }) => api.get<{ items: Array<{ id: string; name: string }> }>('/v1/channels', { limit: 500 }, signal),
    staleTime: STALE_MS,
  });
  return channels.data?.items ?? [];
}

export function useLocationOptions(): Location[] {
  const locations = useQuery({
    queryKey: ['locations', 'options'],
    queryFn: ({ signal }) => api.get<{ items: Location[] }>('/v1/locations', { limit: 500 }, signal),
    staleTime: STALE_MS,
  });
  return locations.data?.items ?? [];
}
