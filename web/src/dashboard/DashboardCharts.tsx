import { AreaChart, BarChart, DonutChart } from '@mantine/charts';
import { Paper, SimpleGrid, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { STATUS_CHART_COLOR } from './status-colors';
import type { Dashboard } from './types';

const HEIGHT = 240;
/** Counts: whole ticks only. */
const COUNT_AXIS = { allowDecimals: false } as const;

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Charts of the day (by channel, by status, per hour) and of the last seven days. */
export function DashboardCharts({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard');
  const { t: common } = useTranslation();
  const fmt = useFormat();
  const whole = (n: number) => fmt.number(n, { maximumFractionDigits: 0 });
  const byChannel = data.byChannel.map((c) => ({ channel: c.name, kept: c.orders - c.cancelled, cancelled: c.cancelled }));
  const byStatus = data.byStatus.map((s) => ({ name: common(`orderStatus.${s.status}`, { defaultValue: s.status }), value: s.orders, color: STATUS_CHART_COLOR[s.status] ?? 'gray.5' }));
  const days = data.last7Days.map((d) => ({ day: fmt.date(`${d.date}T12:00:00Z`, 'UTC'), orders: d.orders }));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      {data.orders.count > 0 && (
        <>
          <ChartCard title={t('charts.byChannel')}>
            <BarChart
              h={HEIGHT}
              data={byChannel}
              dataKey="channel"
              type="stacked"
              withLegend
              valueFormatter={whole}
              yAxisProps={COUNT_AXIS}
              series={[
                { name: 'kept', label: t('charts.kept'), color: 'indigo.6' },
                { name: 'cancelled', label: t('charts.cancelled'), color: 'red.4' },
              ]}
            />
          </ChartCard>
          <ChartCard title={t('charts.byStatus')}>
            <DonutChart h={HEIGHT} mx="auto" data={byStatus} withLabels withLabelsLine withLegend withTooltip chartLabel={whole(data.orders.count)} valueFormatter={whole} />
          </ChartCard>
          <ChartCard title={t('charts.hourly')}>
            <AreaChart h={HEIGHT} data={data.hourly} dataKey="hour" curveType="monotone" valueFormatter={whole} yAxisProps={COUNT_AXIS} series={[{ name: 'orders', label: t('charts.orders'), color: 'indigo.6' }]} />
          </ChartCard>
        </>
      )}
      <ChartCard title={t('charts.last7Days')}>
        <BarChart h={HEIGHT} data={days} dataKey="day" valueFormatter={whole} yAxisProps={COUNT_AXIS} series={[{ name: 'orders', label: t('charts.orders'), color: 'teal.6' }]} />
      </ChartCard>
    </SimpleGrid>
  );
}
