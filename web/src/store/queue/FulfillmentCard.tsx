import { Card, Group, Stack, Text } from '@mantine/core';
import { IconClock, IconPackage, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../format';
import { KindBadge, PriorityBadge, StatusBadge, unitsOf } from '../parts';
import type { Fulfillment, Priority } from '../types';

const EDGE: Record<Priority, string> = { overdue: 'red', urgent: 'orange', today: 'blue', later: 'gray' };

/** One fulfillment in the queue: a big card, the whole of it a link to its work screen. */
export function FulfillmentCard({ f, timeZone }: { f: Fulfillment; timeZone: string }) {
  const { t } = useTranslation('store');
  const fmt = useFormat();
  const incoming = f.kind === 'transfer' && f.status === 'shipped';
  return (
    <Card
      component={Link}
      to={`/store/fulfillments/${f.id}`}
      withBorder
      padding="md"
      radius="md"
      data-testid="fulfillment-card"
      style={{ borderLeft: `6px solid var(--mantine-color-${EDGE[f.priority]}-6)` }}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={700} size="lg" style={{ wordBreak: 'break-all' }}>
            {f.orderNumber}
          </Text>
          {!incoming && <PriorityBadge priority={f.priority} />}
        </Group>
        <Group gap={6}>
          <KindBadge f={f} size="md" />
          <StatusBadge status={f.status} size="md" />
        </Group>
        {f.customer.name && (
          <Group gap={6} wrap="nowrap">
            <IconUser size={18} aria-hidden />
            <Text>{f.customer.name}</Text>
          </Group>
        )}
        <Group justify="space-between" wrap="nowrap">
          <Group gap={6} wrap="nowrap">
            <IconClock size={18} aria-hidden />
            <Text size="sm">{f.dueAt ? t('queue.due', { when: fmt.dateTime(f.dueAt, timeZone) }) : t('queue.noDue')}</Text>
          </Group>
          <Group gap={6} wrap="nowrap">
            <IconPackage size={18} aria-hidden />
            <Text size="sm" fw={600}>
              {t('queue.units', { count: unitsOf(f) })}
            </Text>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
