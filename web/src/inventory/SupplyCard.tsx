import { Badge, Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { useAtpByDate, useSupply } from './queries';
import { QueryView } from './QueryView';

/** ATP today and as open purchase orders and transfers arrive, with those supply lines. */
export function SupplyCard({ sku, locationName }: { sku: string; locationName: (id: string) => string }) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const atp = useAtpByDate(sku);
  const supply = useSupply(sku);
  return (
    <Card withBorder>
      <Title order={3} mb="sm">
        {t('supply.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Stack gap="xs">
          <Title order={4}>{t('supply.byDate')}</Title>
          <QueryView query={atp}>
            {(data) => (
              <Table aria-label={t('supply.byDate')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('supply.date')}</Table.Th>
                    <Table.Th ta="right">{t('supply.incoming')}</Table.Th>
                    <Table.Th ta="right">{t('col.atp')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.points.map((p, i) => (
                    <Table.Tr key={p.at}>
                      <Table.Td>
                        {i === 0 ? t('supply.now') : fmt.date(p.at)}{' '}
                        {p.overdue && (
                          <Badge size="xs" color="orange">
                            {t('supply.overdue')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{p.incoming > 0 ? `+${fmt.number(p.incoming)}` : '—'}</Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {fmt.number(p.atp)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </QueryView>
        </Stack>
        <Stack gap="xs">
          <Title order={4}>{t('supply.lines')}</Title>
          <QueryView query={supply} isEmpty={(d) => d.items.length === 0} empty={t('supply.none')}>
            {(data) => (
              <Table aria-label={t('supply.lines')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('supply.reference')}</Table.Th>
                    <Table.Th>{t('col.location')}</Table.Th>
                    <Table.Th ta="right">{t('col.quantity')}</Table.Th>
                    <Table.Th>{t('supply.expected')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((l) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>
                        <Text size="sm">{l.reference}</Text>
                        <Text size="xs" c="dimmed">
                          {t(`supply.kinds.${l.kind}`, { defaultValue: l.kind })}
                        </Text>
                      </Table.Td>
                      <Table.Td>{locationName(l.locationId)}</Table.Td>
                      <Table.Td ta="right">{fmt.number(l.quantity)}</Table.Td>
                      <Table.Td>{fmt.dateTime(l.expectedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </QueryView>
        </Stack>
      </SimpleGrid>
    </Card>
  );
}
