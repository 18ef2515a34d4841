import { Badge, Card, Group, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { EmptyState, ErrorAlert, Loading } from '../../ui/feedback';
import { ActiveBadge, NameWithId, ReadOnlyNote } from '../parts';
import { useCanEdit } from '../permissions';
import type { Carrier } from '../types';

export const carriersKey = ['carriers'] as const;

/** Carriers and the services they sell (cut-off, pick-up and delivery days, rates by weight). */
export function CarriersTab() {
  const { t } = useTranslation('settings');
  const canEdit = useCanEdit('carriers');
  const carriers = useQuery({ queryKey: carriersKey, queryFn: () => api.get<{ items: Carrier[] }>('/v1/carriers') });
  if (carriers.isPending) return <Loading />;
  if (carriers.isError) return <ErrorAlert error={carriers.error} onRetry={() => void carriers.refetch()} />;
  if (carriers.data.items.length === 0) return <EmptyState title={t('carriers.none')} />;
  return (
    <Card withBorder>
      <ReadOnlyNote canEdit={canEdit} />
      <Table striped highlightOnHover aria-label={t('tabs.carriers')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('carriers.name')}</Table.Th>
            <Table.Th>{t('carriers.services')}</Table.Th>
            <Table.Th>{t('carriers.tracking')}</Table.Th>
            <Table.Th>{t('locations.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {carriers.data.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <NameWithId to={`/bo/settings/carriers/${encodeURIComponent(c.id)}`} name={c.name} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {c.services.map((s) => (
                    <Badge key={s.service} variant="light">
                      {s.name} ({t(`common:service.${s.service}`)}, {s.cutoff})
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{c.trackingUrlTemplate ? t('carriers.hasTracking') : t('carriers.noTracking')}</Table.Td>
              <Table.Td>
                <ActiveBadge active={c.active} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
