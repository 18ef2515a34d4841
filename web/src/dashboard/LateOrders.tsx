import { Anchor, Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../format';
import { EmptyState } from '../ui/feedback';
import type { Dashboard } from './types';

/** The open orders the SLA watch finds late or at risk now, delayed first, each linking to its detail. */
export function LateOrders({ late }: { late: Dashboard['late'] }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const shown = late.items.length;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="dashboard-late">
      <Group justify="space-between" align="baseline" mb="sm" wrap="wrap">
        <Title order={3} size="h5" id="dashboard-late">
          {t('late.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('late.subtitle')}
        </Text>
      </Group>
      {shown === 0 ? (
        <EmptyState title={t('late.empty')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover aria-labelledby="dashboard-late">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('late.order')}</Table.Th>
                  <Table.Th>{t('late.state')}</Table.Th>
                  <Table.Th>{t('late.reason')}</Table.Th>
                  <Table.Th>{t('late.customer')}</Table.Th>
                  <Table.Th>{t('late.channel')}</Table.Th>
                  <Table.Th>{t('late.promised')}</Table.Th>
                  <Table.Th>{t('late.expected')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {late.items.map((o) => (
                  <Table.Tr key={o.orderId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/bo/orders/${o.orderId}`} fw={600}>
                        {o.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={o.state === 'delayed' ? 'red' : 'orange'} variant="light">
                        {t(`late.states.${o.state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t(`late.reasons.${o.reason}`, { defaultValue: o.reason })}</Table.Td>
                    <Table.Td>{o.customerName ?? '—'}</Table.Td>
                    <Table.Td>{o.channelId}</Table.Td>
                    <Table.Td>{fmt.dateTime(o.promiseLatest)}</Table.Td>
                    <Table.Td>{fmt.dateTime(o.etaLatest)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {late.delayed + late.atRisk > shown && (
            <Text size="sm" c="dimmed" mt="xs">
              {t('late.firstOnly', { count: shown })}
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}
