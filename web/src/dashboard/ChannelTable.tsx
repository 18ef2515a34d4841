import { Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { useValues } from './money';
import type { ChannelFigures } from './types';

/** The day per channel: orders, cancellations, value and stock shortfalls. */
export function ChannelTable({ channels }: { channels: ChannelFigures[] }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const values = useValues();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="dashboard-channels">
      <Title order={3} size="h5" id="dashboard-channels">
        {t('channels.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('channels.stockoutHelp')}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-labelledby="dashboard-channels">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('channels.channel')}</Table.Th>
              <Table.Th ta="right">{t('channels.orders')}</Table.Th>
              <Table.Th ta="right">{t('channels.cancelled')}</Table.Th>
              <Table.Th ta="right">{t('channels.value')}</Table.Th>
              <Table.Th ta="right">{t('channels.stockoutRate')}</Table.Th>
              <Table.Th ta="right">{t('channels.stockoutLines')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.map((c) => (
              <Table.Tr key={c.channelId}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td ta="right">{fmt.number(c.orders)}</Table.Td>
                <Table.Td ta="right">{fmt.number(c.cancelled)}</Table.Td>
                <Table.Td ta="right">{values(c.values)}</Table.Td>
                <Table.Td ta="right">{fmt.percent(c.stockout.rate)}</Table.Td>
                <Table.Td ta="right">
                  {fmt.number(c.stockout.stockoutLines)} / {fmt.number(c.stockout.lines)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
