import { Card, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { useChannels } from '../../inventory/queries';
import { EmptyState, ErrorAlert, Loading } from '../../ui/feedback';
import { ActiveBadge, NameWithId, ReadOnlyNote } from '../parts';
import { useCanEdit } from '../permissions';

/** Sales channels with the stock they may sell: eligible locations and pool rules. */
export function ChannelsTab() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const canEdit = useCanEdit('channels');
  const channels = useChannels();
  if (channels.isPending) return <Loading />;
  if (channels.isError) return <ErrorAlert error={channels.error} onRetry={() => void channels.refetch()} />;
  if (channels.data.length === 0) return <EmptyState title={t('channels.none')} />;
  return (
    <Card withBorder>
      <ReadOnlyNote canEdit={canEdit} />
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover aria-label={t('tabs.channels')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('channels.name')}</Table.Th>
              <Table.Th>{t('channels.type')}</Table.Th>
              <Table.Th>{t('channels.eligible')}</Table.Th>
              <Table.Th>{t('channels.pool')}</Table.Th>
              <Table.Th>{t('locations.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.data.map((c) => {
              const pool = [
                c.pool.maxShare !== undefined ? t('channels.shareCap', { share: fmt.percent(c.pool.maxShare) }) : null,
                c.pool.maxQuantity !== undefined ? t('channels.quantityCap', { quantity: c.pool.maxQuantity }) : null,
                ...c.pool.protections.map((p) => t('channels.protectionFor', { quantity: p.quantity, channel: p.channelId })),
              ].filter(Boolean);
              return (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <NameWithId to={`/bo/settings/channels/${encodeURIComponent(c.id)}`} name={c.name} id={c.id} />
                  </Table.Td>
                  <Table.Td>{t(`common:channel.${c.type}`, { defaultValue: c.type })}</Table.Td>
                  <Table.Td>{c.eligibleLocationIds === null ? t('channels.allLocations') : t('channels.someLocations', { count: c.eligibleLocationIds.length })}</Table.Td>
                  <Table.Td>{pool.length === 0 ? t('channels.noPool') : pool.join(' · ')}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={c.active} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
