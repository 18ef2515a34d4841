import { Button, Chip, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, type Page } from '../../api/client';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../ui/feedback';
import { QUEUE_KEY } from '../fulfillment-api';
import type { Fulfillment, FulfillmentKind } from '../types';
import { FulfillmentCard } from './FulfillmentCard';

const KINDS = ['all', 'ship', 'pickup', 'transfer'] as const;
const STATUSES = ['open', 'pending', 'accepted', 'picked', 'packed', 'ready_for_pickup'] as const;
type KindFilter = (typeof KINDS)[number];
type StatusFilter = (typeof STATUSES)[number];
/** New work must show up without anyone touching the phone. */
const REFRESH_MS = 30_000;
const PAGE = 50;

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

/**
 * The store's queue (GET /v1/fulfillments?locationId=…&status=open): most urgent first, as the API
 * orders it, refreshed every 30 s; the filters live in the URL so "back" from a fulfillment keeps them.
 * Transfers on their way to this store are listed apart: the store receives them, it does not prepare them.
 */
export function QueuePage() {
  const { t } = useTranslation('store');
  const fmt = useFormat();
  const { locationId, location } = useStoreLocation();
  const [params, setParams] = useSearchParams();
  const kind = pick<KindFilter>(params.get('kind'), KINDS, 'all');
  const status = pick<StatusFilter>(params.get('status'), STATUSES, 'open');
  const setFilter = (name: 'kind' | 'status', value: string, fallback: string) =>
    setParams(
      (p) => {
        if (value === fallback) p.delete(name);
        else p.set(name, value);
        return p;
      },
      { replace: true },
    );

  const queue = useInfiniteQuery({
    queryKey: [...QUEUE_KEY, 'queue', locationId, kind, status],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Fulfillment>>(
        '/v1/fulfillments',
        { locationId, status, kind: kind === 'all' ? undefined : (kind as FulfillmentKind), limit: PAGE, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
  });
  const showIncoming = (kind === 'all' || kind === 'transfer') && status === 'open';
  const incoming = useQuery({
    queryKey: [...QUEUE_KEY, 'incoming', locationId],
    queryFn: ({ signal }) => api.get<Page<Fulfillment>>('/v1/fulfillments', { destinationLocationId: locationId, kind: 'transfer', status: 'shipped', limit: PAGE }, signal),
    refetchInterval: REFRESH_MS,
    enabled: showIncoming,
  });

  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const arriving = showIncoming ? (incoming.data?.items ?? []) : [];
  const refreshing = queue.isFetching || incoming.isFetching;
  const refresh = () => {
    void queue.refetch();
    if (showIncoming) void incoming.refetch();
  };

  return (
    <Stack gap="sm">
      <PageHeader title={t('queue.title')}>
        <Button size="lg" variant="light" leftSection={<IconRefresh size={20} />} loading={refreshing} onClick={refresh}>
          {t('queue.refresh')}
        </Button>
      </PageHeader>
      {queue.dataUpdatedAt > 0 && (
        <Text size="sm" c="dimmed" mt={-12}>
          {t('queue.updated', { time: fmt.time(new Date(queue.dataUpdatedAt).toISOString()) })}
        </Text>
      )}

      <FilterChips label={t('queue.filterKind')} options={KINDS.map((k) => ({ value: k, label: t(`queue.kind.${k}`) }))} value={kind} onChange={(v) => setFilter('kind', v, 'all')} />
      <FilterChips label={t('queue.filterStatus')} options={STATUSES.map((s) => ({ value: s, label: t(`queue.status.${s}`) }))} value={status} onChange={(v) => setFilter('status', v, 'open')} />

      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <ErrorAlert error={queue.error} onRetry={refresh} />
      ) : items.length === 0 && arriving.length === 0 ? (
        <EmptyState title={kind === 'all' && status === 'open' ? t('queue.empty') : t('queue.emptyFiltered')}>
          <Text size="sm" c="dimmed" ta="center">
            {t('queue.emptyHint')}
          </Text>
        </EmptyState>
      ) : (
        <Stack gap="sm" component="section" aria-label={t('queue.listLabel')}>
          {items.map((f) => (
            <FulfillmentCard key={f.id} f={f} timeZone={location.timeZone} />
          ))}
          {queue.hasNextPage && (
            <Button size="lg" variant="default" loading={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()}>
              {t('actions.loadMore', { ns: 'common' })}
            </Button>
          )}
        </Stack>
      )}

      {arriving.length > 0 && (
        <Stack gap="sm" component="section" aria-labelledby="incoming-title" mt="md">
          <Title order={3} id="incoming-title">
            {t('queue.incoming')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('queue.incomingHint')}
          </Text>
          {arriving.map((f) => (
            <FulfillmentCard key={f.id} f={f} timeZone={location.timeZone} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** One row of filter chips, scrolled sideways on a phone. */
function FilterChips({ label, options, value, onChange }: { label: string; options: Array<{ value: string; label: string }>; value: string; onChange(value: string): void }) {
  return (
    <ScrollArea type="never">
      <Chip.Group value={value} onChange={onChange}>
        <Group gap="xs" wrap="nowrap" role="group" aria-label={label}>
          {options.map((o) => (
            <Chip key={o.value} value={o.value} size="md">
              {o.label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
    </ScrollArea>
  );
}
