import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, newIdempotencyKey } from '../api/client';
import { useErrorText } from '../ui/feedback';
import type { Fulfillment } from './types';

/** Query keys of the store app: the queue lists and each fulfillment. */
export const QUEUE_KEY = ['store', 'fulfillments'] as const;
export const fulfillmentKey = (id: string) => ['store', 'fulfillment', id] as const;

export function useFulfillment(id: string) {
  return useQuery({ queryKey: fulfillmentKey(id), queryFn: ({ signal }) => api.get<Fulfillment>(`/v1/fulfillments/${encodeURIComponent(id)}`, undefined, signal) });
}

export type StepName = 'accept' | 'reject' | 'pick' | 'pack' | 'ship' | 'receive' | 'ready-for-pickup' | 'collect';

/**
 * One step on a fulfillment (POST /v1/fulfillments/{id}/{step}); each user action gets its own
 * Idempotency-Key, so a double tap or a retried request never applies a step twice. The answer is the
 * fulfillment as it is now: it replaces the cached one and the queue is refreshed.
 */
export function useStep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ step, body }: { step: StepName; body?: unknown }) =>
      api.post<Fulfillment>(`/v1/fulfillments/${encodeURIComponent(id)}/${step}`, body ?? {}, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (next) => {
      client.setQueryData(fulfillmentKey(id), next);
      if (next.id !== id) client.setQueryData(fulfillmentKey(next.id), next);
      void client.invalidateQueries({ queryKey: QUEUE_KEY });
    },
    onError: (error) => {
      // Someone else moved it on (another associate, a time-out): show what it is now.
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) void client.invalidateQueries({ queryKey: fulfillmentKey(id) });
    },
  });
}

/** Errors of the store's steps in plain words: the store's own sentences first, then the common ones. */
export function useStoreErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation('store');
  const common = useErrorText();
  return (error) => {
    if (error instanceof ApiError && i18n.exists(`errors.${error.code}`, { ns: 'store' })) return t(`errors.${error.code}`);
    return common(error);
  };
}
