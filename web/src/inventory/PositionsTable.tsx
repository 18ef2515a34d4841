import { Badge, Button, Card, Group, Switch, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Location } from '../api/types';
import { useSession } from '../auth/session';
import { useFormat } from '../format';
import { EmptyState } from '../ui/feedback';
import { AdjustStockModal } from './AdjustStockModal';
import type { Position } from './types';

/** Who may set stock from the back office: the API takes absolute counts from admins (and feeds, stores). */
export const useCanAdjustStock = () => useSession()?.user.role === 'admin';

/** On hand, reserved, safety stock and ATP of the SKU at each location; admins correct a count. */
export function PositionsTable({ sku, positions, locations }: { sku: string; positions: Position[]; locations: Location[] }) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const canAdjust = useCanAdjustStock();
  const [withStockOnly, setWithStockOnly] = useState(true);
  const [adjusting, setAdjusting] = useState<{ position: Position | undefined } | null>(null);
  const byId = new Map(locations.map((l) => [l.id, l]));
  const rows = positions
    .filter((p) => !withStockOnly || p.onHand > 0 || p.reserved > 0)
    .sort((a, b) => b.atp - a.atp || b.onHand - a.onHand || a.locationId.localeCompare(b.locationId));
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={3}>{t('positions.title')}</Title>
        <Group gap="md">
          <Switch label={t('positions.withStockOnly')} checked={withStockOnly} onChange={(e) => setWithStockOnly(e.currentTarget.checked)} />
          {canAdjust && (
            <Button variant="light" onClick={() => setAdjusting({ position: undefined })}>
              {t('positions.setElsewhere')}
            </Button>
          )}
        </Group>
      </Group>
      {rows.length === 0 ? (
        <EmptyState title={t('positions.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label={t('positions.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.location')}</Table.Th>
                <Table.Th ta="right">{t('col.onHand')}</Table.Th>
                <Table.Th ta="right">{t('col.reserved')}</Table.Th>
                <Table.Th ta="right">{t('col.safetyStock')}</Table.Th>
                <Table.Th ta="right">{t('col.atp')}</Table.Th>
                <Table.Th>{t('col.lastCount')}</Table.Th>
                {canAdjust && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => {
                const l = byId.get(p.locationId);
                return (
                  <Table.Tr key={p.locationId}>
                    <Table.Td>
                      <Text size="sm">{l?.name ?? p.locationId}</Text>
                      <Group gap={6}>
                        <Text size="xs" c="dimmed">
                          {t(`locationType.${l?.type ?? 'store'}`)}
                          {l?.address.city ? ` · ${l.address.city}` : ''}
                        </Text>
                        {l && !l.active && (
                          <Badge size="xs" color="gray">
                            {t('inactive')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{fmt.number(p.onHand)}</Table.Td>
                    <Table.Td ta="right">{fmt.number(p.reserved)}</Table.Td>
                    <Table.Td ta="right">{fmt.number(p.safetyStock)}</Table.Td>
                    <Table.Td ta="right" fw={700} c={p.atp > 0 ? 'teal.8' : 'dimmed'}>
                      {fmt.number(p.atp)}
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(p.lastSetAt)}</Table.Td>
                    {canAdjust && (
                      <Table.Td>
                        <Button size="xs" variant="subtle" onClick={() => setAdjusting({ position: p })} aria-label={t('positions.adjustAt', { location: l?.name ?? p.locationId })}>
                          {t('positions.adjust')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {adjusting && <AdjustStockModal key={adjusting.position?.locationId ?? 'new'} sku={sku} position={adjusting.position} locations={locations} opened onClose={() => setAdjusting(null)} />}
    </Card>
  );
}
