import { Anchor, Badge, Card, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../format';
import { QueryView } from './QueryView';
import { useHolds } from './queries';

const KIND_COLOUR = { cart: 'blue', promise: 'grape', order: 'indigo' } as const;

/** What "reserved" is made of: cart holds, held promises and units orders keep until they ship. */
export function HoldsCard({ sku, locationName }: { sku: string; locationName: (id: string) => string }) {
  const { t } = useTranslation('inventory');
  const { t: tc } = useTranslation();
  const fmt = useFormat();
  const holds = useHolds(sku);
  return (
    <Card withBorder>
      <Title order={3} mb={4}>
        {t('holds.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('holds.help')}
      </Text>
      <QueryView query={holds} isEmpty={(d) => d.items.length === 0} empty={t('holds.empty')}>
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-label={t('holds.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('holds.kind')}</Table.Th>
                  <Table.Th>{t('col.location')}</Table.Th>
                  <Table.Th ta="right">{t('col.quantity')}</Table.Th>
                  <Table.Th>{t('holds.for')}</Table.Th>
                  <Table.Th>{t('holds.since')}</Table.Th>
                  <Table.Th>{t('holds.until')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((h) => (
                  <Table.Tr key={`${h.kind}-${h.id}`}>
                    <Table.Td>
                      <Badge variant="light" color={KIND_COLOUR[h.kind]}>
                        {t(`holds.kinds.${h.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{locationName(h.locationId)}</Table.Td>
                    <Table.Td ta="right">{fmt.number(h.quantity)}</Table.Td>
                    <Table.Td>
                      {h.order ? (
                        <Anchor component={Link} to={`/bo/orders/${h.order.id}`}>
                          {t('holds.order', { number: h.order.number })}
                        </Anchor>
                      ) : (
                        <Text size="sm">{h.kind === 'promise' ? t('holds.checkout') : (h.reference ?? '—')}</Text>
                      )}
                      {h.channelId && (
                        <Text size="xs" c="dimmed">
                          {tc(`channel.${h.channelId}`, { defaultValue: h.channelId })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(h.createdAt)}</Table.Td>
                    <Table.Td>{h.expiresAt ? fmt.dateTime(h.expiresAt) : t('holds.untilShipped')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
    </Card>
  );
}
