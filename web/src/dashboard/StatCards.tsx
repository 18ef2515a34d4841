import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { useValues } from './money';
import type { Dashboard } from './types';

function StatCard({ label, value, hint, color }: { label: string; value: ReactNode; hint?: ReactNode; color?: string }) {
  return (
    <Paper withBorder p="md" radius="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={700} fz={26} c={color} lh={1.3}>
        {value}
      </Text>
      {hint && (
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** The day's headline figures: orders, value, late now, split, stockout and sourcing cost. */
export function StatCards({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const values = useValues();
  const cost = data.sourcingCost;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 6 }} spacing="sm">
      <StatCard label={t('cards.orders')} value={fmt.number(data.orders.count)} hint={t('cards.ordersHint', { count: data.orders.cancelled })} />
      <StatCard label={t('cards.value')} value={values(data.orders.values)} hint={t('cards.valueHint')} />
      <StatCard
        label={t('cards.late')}
        value={fmt.number(data.late.delayed)}
        color={data.late.delayed > 0 ? 'red' : undefined}
        hint={t('cards.lateHint', { count: data.late.atRisk })}
      />
      <StatCard label={t('cards.split')} value={fmt.percent(data.split.rate)} hint={t('cards.splitHint', { split: data.split.split, orders: data.split.orders })} />
      <StatCard
        label={t('cards.stockout')}
        value={fmt.percent(data.stockout.rate)}
        color={(data.stockout.rate ?? 0) > 0 ? 'orange' : undefined}
        hint={t('cards.stockoutHint', { lines: data.stockout.stockoutLines, total: data.stockout.lines })}
      />
      <StatCard
        label={t('cards.cost')}
        value={cost.length === 0 ? '—' : cost.map((c) => fmt.money(c.averageMinor, c.currency)).join(' · ')}
        hint={t('cards.costHint', { count: cost.reduce((s, c) => s + c.orders, 0) })}
      />
    </SimpleGrid>
  );
}
