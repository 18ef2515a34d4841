import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useFormat } from '../format';
import { useChannelOptions } from '../orders/options';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../ui/feedback';
import { ChannelTable } from './ChannelTable';
import { DashboardCharts } from './DashboardCharts';
import { LateOrders } from './LateOrders';
import { StatCards } from './StatCards';
import type { Dashboard } from './types';

/** The figures move with every order: refreshed every minute, and on demand. */
const REFRESH_MS = 60_000;
/** Days and hours are read in the browser's zone (the API checks it is a real IANA zone). */
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The back office control tower (GET /v1/reports/dashboard): the day's orders by channel and status,
 * split and stockout rates, planned sourcing cost, hourly and 7-day charts, and the orders late or at
 * risk now. The day and the channel live in the URL; without a day the server's today is shown.
 */
export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? undefined;
  const channelId = params.get('channel') ?? undefined;
  const setParam = (name: string, value: string | null) =>
    setParams(
      (p) => {
        if (value) p.set(name, value);
        else p.delete(name);
        return p;
      },
      { replace: true },
    );

  const report = useQuery({
    queryKey: ['reports', 'dashboard', date, channelId, TIME_ZONE],
    queryFn: ({ signal }) => api.get<Dashboard>('/v1/reports/dashboard', { date, channelId, timeZone: TIME_ZONE }, signal),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const channels = useChannelOptions();
  const data = report.data;

  return (
    <Stack gap="md">
      <PageHeader title={t('title')}>
        <Button variant="light" leftSection={<IconRefresh size={18} />} loading={report.isFetching} onClick={() => void report.refetch()}>
          {t('controls.refresh')}
        </Button>
      </PageHeader>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput type="date" label={t('controls.day')} value={date ?? data?.date ?? ''} onChange={(e) => setParam('date', e.currentTarget.value || null)} w={180} />
        <Button variant="default" onClick={() => setParam('date', null)} disabled={date === undefined}>
          {t('controls.today')}
        </Button>
        <Select
          label={t('controls.channel')}
          placeholder={t('controls.allChannels')}
          data={channels.map((c) => ({ value: c.id, label: c.name }))}
          value={channelId ?? null}
          onChange={(v) => setParam('channel', v)}
          clearable
          w={260}
        />
        {data && (
          <Text size="sm" c="dimmed" pb={8}>
            {t('controls.updatedAt', { time: fmt.time(data.generatedAt) })}
          </Text>
        )}
      </Group>

      {report.isError && <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />}
      {report.isPending && <Loading />}
      {data && (
        <>
          <StatCards data={data} />
          {data.orders.count === 0 && <EmptyState title={t('empty')} />}
          <DashboardCharts data={data} />
          {data.orders.count > 0 && <ChannelTable channels={data.byChannel} />}
          <LateOrders late={data.late} />
        </>
      )}
    </Stack>
  );
}
