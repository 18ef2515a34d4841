import { Badge, Card, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { useAllLocations } from '../../inventory/queries';
import { EmptyState, ErrorAlert, Loading } from '../../ui/feedback';
import { ActiveBadge, NameWithId } from '../parts';
import { useCanEdit } from '../permissions';
import { LOCATION_TYPES } from '../types';

/** Every location of the network, filtered by type or name; each opens its form. */
export function LocationsTab() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const canEdit = useCanEdit('locations');
  const locations = useAllLocations();
  const [type, setType] = useState<string | null>(null);
  const [text, setText] = useState('');
  if (locations.isPending) return <Loading />;
  if (locations.isError) return <ErrorAlert error={locations.error} onRetry={() => void locations.refetch()} />;
  const needle = text.trim().toLowerCase();
  const rows = locations.data
    .filter((l) => !type || l.type === type)
    .filter((l) => !needle || `${l.id} ${l.name} ${l.address.city ?? ''} ${l.address.postalCode ?? ''}`.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <Card withBorder>
      <Group mb="md" align="flex-end">
        <TextInput label={t('locations.filter')} leftSection={<IconSearch size={16} />} value={text} onChange={(e) => setText(e.currentTarget.value)} w={280} />
        <Select label={t('locations.type')} clearable placeholder={t('locations.allTypes')} data={LOCATION_TYPES.map((v) => ({ value: v, label: t(`locationType.${v}`) }))} value={type} onChange={setType} w={240} />
        {!canEdit && (
          <Text size="sm" c="dimmed">
            {t('readOnly')}
          </Text>
        )}
      </Group>
      {rows.length === 0 ? (
        <EmptyState title={t('locations.none')} />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label={t('tabs.locations')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('locations.name')}</Table.Th>
                <Table.Th>{t('locations.type')}</Table.Th>
                <Table.Th>{t('locations.city')}</Table.Th>
                <Table.Th>{t('locations.capabilities')}</Table.Th>
                <Table.Th ta="right">{t('locations.dailyPickCapacity')}</Table.Th>
                <Table.Th ta="right">{t('locations.handlingCost')}</Table.Th>
                <Table.Th ta="right">{t('locations.priority')}</Table.Th>
                <Table.Th>{t('locations.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <NameWithId to={`/bo/settings/locations/${encodeURIComponent(l.id)}`} name={l.name} id={l.id} />
                  </Table.Td>
                  <Table.Td>{t(`locationType.${l.type}`)}</Table.Td>
                  <Table.Td>{l.address.city ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {l.capabilities.map((c) => (
                        <Badge key={c} size="xs" variant="light">
                          {t(`capability.${c}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{l.dailyPickCapacity === null ? t('locations.unlimited') : fmt.number(l.dailyPickCapacity)}</Table.Td>
                  <Table.Td ta="right">{fmt.money(l.handlingCostMinor, 'EUR')}</Table.Td>
                  <Table.Td ta="right">{fmt.number(l.priority)}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={l.active} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
