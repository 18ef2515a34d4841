import { Button, Card, Group, Select, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { EmptyState, ErrorAlert, Loading } from '../ui/feedback';
import { useLedger } from './queries';
import type { LedgerRow } from './types';

function Change({ before, after }: { before: number; after: number }) {
  const fmt = useFormat();
  if (before === after) return <Text size="sm" c="dimmed">{fmt.number(after)}</Text>;
  const delta = after - before;
  return (
    <Text size="sm">
      {fmt.number(before)} → <b>{fmt.number(after)}</b>{' '}
      <Text span size="xs" c={delta > 0 ? 'teal.8' : 'red.8'}>
        ({delta > 0 ? '+' : ''}
        {fmt.number(delta)})
      </Text>
    </Text>
  );
}

/** The SKU's stock history (every change of on hand or reserved, with its cause), newest first, page by page. */
export function LedgerCard({ sku, locationChoices, locationName }: { sku: string; locationChoices: { value: string; label: string }[]; locationName: (id: string) => string }) {
  const { t } = useTranslation('inventory');
  const { t: tc } = useTranslation();
  const fmt = useFormat();
  const [locationId, setLocationId] = useState<string | null>(null);
  const ledger = useLedger(sku, locationId);
  const rows: LedgerRow[] = ledger.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm" align="flex-end" wrap="wrap">
        <Title order={3}>{t('ledger.title')}</Title>
        <Select label={t('ledger.location')} placeholder={t('ledger.allLocations')} clearable searchable data={locationChoices} value={locationId} onChange={setLocationId} w={280} />
      </Group>
      {ledger.isPending ? (
        <Loading />
      ) : ledger.isError ? (
        <ErrorAlert error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('ledger.empty')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table striped aria-label={t('ledger.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ledger.when')}</Table.Th>
                  <Table.Th>{t('col.location')}</Table.Th>
                  <Table.Th>{t('ledger.cause')}</Table.Th>
                  <Table.Th>{t('col.onHand')}</Table.Th>
                  <Table.Th>{t('col.reserved')}</Table.Th>
                  <Table.Th>{t('ledger.source')}</Table.Th>
                  <Table.Th>{t('ledger.actor')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{fmt.dateTime(r.occurredAt)}</Table.Td>
                    <Table.Td>{locationName(r.locationId)}</Table.Td>
                    <Table.Td>{t(`ledger.causes.${r.cause}`, { defaultValue: r.cause })}</Table.Td>
                    <Table.Td>
                      <Change before={r.onHandBefore} after={r.onHandAfter} />
                    </Table.Td>
                    <Table.Td>
                      <Change before={r.reservedBefore} after={r.reservedAfter} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.source ?? '—'}</Text>
                      {r.reference && (
                        <Text size="xs" c="dimmed">
                          {r.reference}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{r.actor}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {ledger.hasNextPage && (
            <Group justify="center" mt="sm">
              <Button variant="light" onClick={() => void ledger.fetchNextPage()} loading={ledger.isFetchingNextPage}>
                {tc('actions.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Card>
  );
}
