import { Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { OrderStatusBadge } from './badges';
import { Section } from './Section';
import type { Order } from './types';

/** The order's lines with their status and quantities, and where each line's units are held (allocations). */
export function LinesCard({ order, name }: { order: Order; name: (id: string) => string }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  return (
    <Section id="lines-title" title={t('lines.title')}>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('lines.item')}</Table.Th>
              <Table.Th>{t('lines.status')}</Table.Th>
              <Table.Th ta="right">{t('lines.quantity')}</Table.Th>
              <Table.Th ta="right">{t('lines.total')}</Table.Th>
              <Table.Th>{t('lines.allocations')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.lines.map((l) => (
              <Table.Tr key={l.id} data-line={l.sku}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {l.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {l.sku} · {f.money(l.unitPriceMinor, order.currency)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <OrderStatusBadge status={l.status} size="sm" />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{f.number(l.quantity)}</Text>
                  {l.cancelledQuantity > 0 && l.status !== 'cancelled' && (
                    <Text size="xs" c="red">
                      {t('lines.cancelledUnits', { count: l.cancelledQuantity })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">{f.money(l.totalMinor, order.currency)}</Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {l.allocations.length === 0 && (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                    {l.allocations.map((a) => (
                      <Text size="xs" key={a.id} c={a.status === 'released' || a.status === 'missing' ? 'dimmed' : undefined} td={a.status === 'released' ? 'line-through' : undefined}>
                        {t('lines.allocation', { quantity: a.quantity, location: name(a.locationId), status: t(`allocationStatus.${a.status}`, { defaultValue: a.status }) })}
                        {a.transfer ? ` · ${t('lines.transfer')}` : ''}
                        {a.availableFrom ? ` · ${t('lines.availableFrom', { date: f.date(a.availableFrom) })}` : ''}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack gap={2} align="flex-end" mt="sm">
        <Text size="sm">{t('totals.subtotal', { amount: f.money(order.totals.subtotalMinor, order.currency) })}</Text>
        {order.totals.discountMinor > 0 && <Text size="sm">{t('totals.discount', { amount: f.money(order.totals.discountMinor, order.currency) })}</Text>}
        <Text size="sm">{t('totals.shipping', { amount: f.money(order.totals.shippingMinor, order.currency) })}</Text>
        <Text fw={600}>{t('totals.total', { amount: f.money(order.totals.totalMinor, order.currency) })}</Text>
      </Stack>
    </Section>
  );
}
