import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import type { Location } from '../api/types';
import type { User } from './types';

export const usersKey = ['users'] as const;

/** Users by e-mail, 100 a page ("load more" for the next). */
export function useUsers() {
  return useInfiniteQuery({
    queryKey: usersKey,
    queryFn: ({ pageParam }) => api.get<Page<User>>('/v1/users', { limit: 100, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Every location a store user can be given (stores first in the picker; warehouses use the store app too). */
export function useAllLocations() {
  return useQuery({
    queryKey: ['locations', 'all'],
    queryFn: () => api.get<Page<Location>>('/v1/locations', { limit: 500 }),
    staleTime: 5 * 60_000,
  });
}
