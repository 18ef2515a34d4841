import { Button, Center, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, type Page } from '../api/client';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../ui/feedback';
import { useChannelOptions } from './options';
import { apiQuery, hasCriteria, type OrderSummary } from './order-list';
import { OrderFilters } from './OrderFilters';
import { OrderTable } from './OrderTable';

const PAGE = 50;

/**
 * The back office order list (GET /v1/orders): search by number, external id, e-mail or phone, filters
 * by status, channel, location, delivery method and days, newest first with keyset "load more". The
 * criteria are the page's URL query.
 */
export function OrderListPage() {
  const { t } = useTranslation('orders');
  const { t: common } = useTranslation();
  const [params] = useSearchParams();
  const query = apiQuery(params);
  const channels = useChannelOptions();
  const orders = useInfiniteQuery({
    queryKey: ['orders', 'list', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<OrderSummary>>('/v1/orders', { ...query, limit: PAGE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <PageHeader title={t('title')} />
      <OrderFilters />
      {orders.isError && <ErrorAlert error={orders.error} onRetry={() => void orders.refetch()} />}
      {orders.isPending && <Loading />}
      {orders.isSuccess && items.length === 0 && <EmptyState title={hasCriteria(params) ? common('state.noResults') : t('empty')} />}
      {items.length > 0 && (
        <>
          <OrderTable orders={items} channelNames={new Map(channels.map((c) => [c.id, c.name]))} />
          <Center>
            <Stack align="center" gap={4}>
              <Text size="sm" c="dimmed" aria-live="polite">
                {t('shown', { count: items.length })}
              </Text>
              {orders.hasNextPage && (
                <Button variant="light" onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
                  {common('actions.loadMore')}
                </Button>
              )}
            </Stack>
          </Center>
        </>
      )}
    </Stack>
  );
}
