/** Small pieces the store screens share: badges for priority, kind and status, an item row, unit counts. */
import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Fulfillment, Priority } from './types';

const PRIORITY_COLOR: Record<Priority, string> = { overdue: 'red', urgent: 'orange', today: 'blue', later: 'gray' };

/** How urgent the work is (from its deadline, computed by the API in the store's time zone). */
export function PriorityBadge({ priority, size = 'lg' }: { priority: Priority; size?: 'md' | 'lg' | 'xl' }) {
  const { t } = useTranslation('store');
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant={priority === 'later' ? 'light' : 'filled'} size={size} data-priority={priority}>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

/** Ship, click & collect (or reserve & collect: paid at the counter), transfer. */
export function KindBadge({ f, size = 'lg' }: { f: Pick<Fulfillment, 'kind' | 'deliveryMethod'>; size?: 'md' | 'lg' }) {
  const { t } = useTranslation();
  const label = f.kind === 'pickup' && f.deliveryMethod === 'reserve_and_collect' ? t('method.reserve_and_collect') : t(`fulfillmentKind.${f.kind}`);
  return (
    <Badge variant="outline" color={f.kind === 'ship' ? 'indigo' : f.kind === 'pickup' ? 'teal' : 'grape'} size={size}>
      {label}
    </Badge>
  );
}

export function StatusBadge({ status, size = 'lg' }: { status: Fulfillment['status']; size?: 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color="dark" size={size}>
      {t(`fulfillmentStatus.${status}`)}
    </Badge>
  );
}

/** Units the fulfillment carries (every line, whatever its state). */
export const unitsOf = (f: Pick<Fulfillment, 'lines'>): number => f.lines.reduce((s, l) => s + l.quantity, 0);

/** One item of a fulfillment as a card: its name and SKU on the left, what is done with it on the right. */
export function ItemRow({ name, sku, done, children }: { name: string; sku: string; done?: boolean; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="item-row" bg={done ? 'var(--mantine-color-green-0)' : undefined}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600}>{name}</Text>
          <Text size="sm" c="dimmed">
            {sku}
          </Text>
        </Stack>
        {children}
      </Group>
    </Paper>
  );
}
