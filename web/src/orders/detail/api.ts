import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Page } from '../../api/client';
import type { Location } from '../../api/types';
import { useErrorText } from '../../ui/feedback';
import type { Decision, Fulfillment, Order, OrderReturn, RerouteResult, SentNotification, TimelineEntry } from './types';

/** Every query of the order page starts with this key: one invalidation refreshes the whole page. */
const ROOT = 'orderDetail';
const path = (id: string) => `/v1/orders/${encodeURIComponent(id)}`;

/** The order by id or number, as the URL gives it. */
export function useOrder(idOrNumber: string) {
  return useQuery({ queryKey: [ROOT, idOrNumber, 'order'], queryFn: ({ signal }) => api.get<Order>(path(idOrNumber), undefined, signal) });
}

/** The rest of the page, loaded once the order (and so its id) is known. */
export function useOrderParts(orderId: string) {
  const [fulfillments, sourcing, timeline, sent, returns] = useQueries({
    queries: [
      { queryKey: [ROOT, orderId, 'fulfillments'], queryFn: ({ signal }) => api.get<Page<Fulfillment>>('/v1/fulfillments', { orderId, limit: 100 }, signal) },
      { queryKey: [ROOT, orderId, 'sourcing'], queryFn: ({ signal }) => api.get<{ items: Decision[] }>(`${path(orderId)}/sourcing`, undefined, signal) },
      { queryKey: [ROOT, orderId, 'timeline'], queryFn: ({ signal }) => api.get<{ items: TimelineEntry[] }>(`${path(orderId)}/timeline`, undefined, signal) },
      { queryKey: [ROOT, orderId, 'notifications'], queryFn: ({ signal }) => api.get<{ items: SentNotification[] }>(`${path(orderId)}/notifications`, undefined, signal) },
      { queryKey: [ROOT, orderId, 'returns'], queryFn: ({ signal }) => api.get<Page<OrderReturn>>('/v1/returns', { orderId, limit: 100 }, signal) },
    ],
  });
  return { fulfillments: fulfillments!, sourcing: sourcing!, timeline: timeline!, sent: sent!, returns: returns! };
}

/**
 * Names of the locations the page mentions (a handful: where units are, the alternatives), each read
 * once and kept: `name(id)` answers the id itself until its name is known (or for a location the user
 * may not read).
 */
export function useLocationNames(ids: readonly string[]): (id: string) => string {
  const unique = [...new Set(ids)].sort();
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['location', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Location>(`/v1/locations/${encodeURIComponent(id)}`, undefined, signal),
      staleTime: 10 * 60_000,
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  results.forEach((r, i) => {
    if (r.data) names.set(unique[i]!, r.data.name);
  });
  return (id) => names.get(id) ?? id;
}

/** Stores where an order can be collected, for the pickup switch. */
export function usePickupStores(enabled: boolean) {
  return useQuery({
    queryKey: ['locations', 'pickup-stores'],
    queryFn: ({ signal }) => api.get<Page<Location>>('/v1/locations', { type: 'store', capability: 'pickup', active: true, limit: 500 }, signal),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/**
 * An action on the order: on success the whole page is read again and a notification says what
 * happened; on failure the caller shows the error (the dialog stays open).
 */
function useOrderAction<V, R>(run: (vars: V) => Promise<R>, done: (result: R, vars: V) => string) {
  const client = useQueryClient();
  const { t } = useTranslation('orderDetail');
  return useMutation({
    mutationFn: run,
    onSuccess: (result, vars) => {
      notifications.show({ color: 'green', title: t('actions.done'), message: done(result, vars) });
    },
    onSettled: () => client.invalidateQueries({ queryKey: [ROOT] }),
  });
}

export interface CancelVars {
  lineIds?: string[];
  reason: string;
  note?: string;
  key: string;
}
export function useCancel(order: Order) {
  const { t } = useTranslation('orderDetail');
  return useOrderAction(
    ({ key, ...body }: CancelVars) => api.post<Order>(`${path(order.id)}/cancel`, body, { idempotencyKey: key }),
    (_r, vars) => (vars.lineIds ? t('cancel.doneLines', { count: vars.lineIds.length }) : t('cancel.doneOrder', { number: order.number })),
  );
}

export function useChangeAddress(order: Order) {
  const { t } = useTranslation('orderDetail');
  return useOrderAction(
    ({ key, address }: { key: string; address: Record<string, string> }) => api.patch<Order>(`${path(order.id)}/delivery`, { address }, { idempotencyKey: key }),
    () => t('address.done'),
  );
}

export function useChangePickup(order: Order) {
  const { t } = useTranslation('orderDetail');
  return useOrderAction(
    ({ key, pickupLocationId }: { key: string; pickupLocationId: string }) => api.patch<Order>(`${path(order.id)}/pickup`, { pickupLocationId }, { idempotencyKey: key }),
    () => t('pickup.done'),
  );
}

export function useReroute() {
  const { t } = useTranslation('orderDetail');
  return useOrderAction(
    ({ key, fulfillmentId, ...body }: { key: string; fulfillmentId: string; reason: string; excludeLocation: boolean }) =>
      api.post<RerouteResult>(`/v1/fulfillments/${encodeURIComponent(fulfillmentId)}/reroute`, body, { idempotencyKey: key }),
    (r) => t('reroute.done', { number: r.fulfillment.number }),
  );
}

/** Errors of the order's actions in plain words: this page's sentences first, then the common ones. */
export function useActionErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation('orderDetail');
  const common = useErrorText();
  return (error) => {
    if (error instanceof ApiError && i18n.exists(`errors.${error.code}`, { ns: 'orderDetail' })) return t(`errors.${error.code}`);
    return common(error);
  };
}
