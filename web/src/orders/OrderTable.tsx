import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useFormat } from '../format';
import type { OrderSummary } from './order-list';
import { OrderStatusBadge } from './detail/badges';

/**
 * Orders as rows; the number is the link (keyboard and screen readers), a click anywhere on the row opens
 * the order too. The table scrolls sideways on a phone.
 */
export function OrderTable({ orders, channelNames }: { orders: OrderSummary[]; channelNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation('orders');
  const { t: common } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>{t('table.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('table.number')}</Table.Th>
            <Table.Th>{t('table.date')}</Table.Th>
            <Table.Th>{t('table.customer')}</Table.Th>
            <Table.Th>{t('table.channel')}</Table.Th>
            <Table.Th>{t('table.method')}</Table.Th>
            <Table.Th>{t('table.status')}</Table.Th>
            <Table.Th ta="right">{t('table.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((o) => (
            <Table.Tr key={o.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/bo/orders/${o.id}`)}>
              <Table.Td>
                <Anchor component={Link} to={`/bo/orders/${o.id}`} fw={600} onClick={(e) => e.stopPropagation()}>
                  {o.number}
                </Anchor>
                {o.externalId && (
                  <Text size="xs" c="dimmed">
                    {o.externalId}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{fmt.dateTime(o.createdAt)}</Table.Td>
              <Table.Td>
                <Text size="sm">{o.customerName ?? o.email ?? '—'}</Text>
                {o.customerName && o.email && (
                  <Text size="xs" c="dimmed">
                    {o.email}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{channelNames.get(o.channel) ?? o.channel}</Table.Td>
              <Table.Td>{common(`method.${o.deliveryMethod}`, { defaultValue: o.deliveryMethod })}</Table.Td>
              <Table.Td>
                <OrderStatusBadge status={o.status} />
              </Table.Td>
              <Table.Td ta="right">{fmt.money(o.totalMinor, o.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
