import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { api, type Page } from '../api/client';
import type { Location } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorAlert, Loading } from '../ui/feedback';

interface StoreLocation {
  /** The store the associate works in now. */
  locationId: string;
  location: Location;
  choices: { value: string; label: string }[];
  setLocationId(id: string): void;
}

const Ctx = createContext<StoreLocation | null>(null);
const STORAGE_KEY = 'ordo.store';

/**
 * The store the app works for: a store user's own location (the first of its scopes, or the one chosen
 * among them), an admin's chosen store. Remembered on the device.
 */
export function StoreLocationProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const stores = useQuery({
    queryKey: ['locations', 'stores'],
    queryFn: () => api.get<Page<Location>>('/v1/locations', { type: 'store', limit: 500 }),
    staleTime: 5 * 60_000,
  });
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(STORAGE_KEY));
  if (stores.isPending) return <Loading />;
  if (stores.isError) return <ErrorAlert error={stores.error} onRetry={() => void stores.refetch()} />;
  const scoped = session?.user.role === 'store' ? stores.data.items.filter((l) => session.user.locationIds.includes(l.id)) : stores.data.items;
  const location = scoped.find((l) => l.id === chosen) ?? scoped[0];
  if (!location) return <ErrorAlert error={new Error('no store is linked to this account')} />;
  const value: StoreLocation = {
    locationId: location.id,
    location,
    choices: scoped.map((l) => ({ value: l.id, label: l.name })),
    setLocationId: (id) => {
      localStorage.setItem(STORAGE_KEY, id);
      setChosen(id);
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useStoreLocation(): StoreLocation {
  const value = useContext(Ctx);
  if (!value) throw new Error('useStoreLocation outside StoreLocationProvider');
  return value;
}
