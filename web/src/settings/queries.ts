import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { FulfillmentSettings, PromiseSettings } from './types';

export const promiseSettingsKey = ['settings', 'promise'] as const;
export const fulfillmentSettingsKey = ['settings', 'fulfillment'] as const;

export const loadPromiseSettings = () => api.get<PromiseSettings>('/v1/promise/settings');
export const loadFulfillmentSettings = () => api.get<FulfillmentSettings>('/v1/fulfillment-settings');

/** Currency of handling costs, carrier rates and routing costs (the promise settings say which). */
export function useCostCurrency(): string {
  const settings = useQuery({ queryKey: promiseSettingsKey, queryFn: loadPromiseSettings, staleTime: 5 * 60_000 });
  return settings.data?.currency ?? 'EUR';
}
