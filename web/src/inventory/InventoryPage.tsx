import { Anchor, Badge, Button, Card, Group, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFormat } from '../format';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../ui/feedback';
import { useAllLocations, useLocationStock, useProductSearch } from './queries';

function LoadMore({ has, loading, onClick }: { has: boolean; loading: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  if (!has) return null;
  return (
    <Group justify="center" mt="sm">
      <Button variant="light" onClick={onClick} loading={loading}>
        {t('actions.loadMore')}
      </Button>
    </Group>
  );
}

const SkuLink = ({ sku }: { sku: string }) => (
  <Anchor component={Link} to={`/bo/inventory/${encodeURIComponent(sku)}`} ff="monospace">
    {sku}
  </Anchor>
);

/** Products whose SKU or name contains the words typed (GET /v1/products?q=). */
function SkuSearch({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const [text, setText] = useState(q);
  const results = useProductSearch(q);
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  return (
    <Stack>
      <form onSubmit={submit} role="search">
        <Group align="flex-end">
          <TextInput label={t('search.label')} placeholder={t('search.placeholder')} value={text} onChange={(e) => setText(e.currentTarget.value)} leftSection={<IconSearch size={16} />} w={360} maxLength={100} />
          <Button type="submit">{t('common:actions.search')}</Button>
        </Group>
      </form>
      {!q ? (
        <Text c="dimmed">{t('search.hint')}</Text>
      ) : results.isPending ? (
        <Loading />
      ) : results.isError ? (
        <ErrorAlert error={results.error} onRetry={() => void results.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('search.none', { q })} />
      ) : (
        <>
          <Table striped highlightOnHover aria-label={t('search.results')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.sku')}</Table.Th>
                <Table.Th>{t('col.product')}</Table.Th>
                <Table.Th ta="right">{t('col.price')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.sku}>
                  <Table.Td>
                    <SkuLink sku={p.sku} />
                  </Table.Td>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td ta="right">{p.prices.EUR !== undefined ? fmt.money(p.prices.EUR, 'EUR') : '—'}</Table.Td>
                  <Table.Td>{!p.active && <Badge color="gray">{t('inactive')}</Badge>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <LoadMore has={results.hasNextPage} loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()} />
        </>
      )}
    </Stack>
  );
}

/** Every position of one location, by SKU (GET /v1/inventory/locations/{id}). */
function LocationStock({ locationId, onChange }: { locationId: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const locations = useAllLocations();
  const stock = useLocationStock(locationId);
  const items = stock.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Select
        label={t('location.pick')}
        searchable
        w={360}
        value={locationId}
        onChange={onChange}
        data={(locations.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
        nothingFoundMessage={t('noMatch')}
        disabled={locations.isPending}
      />
      {locations.isError && <ErrorAlert error={locations.error} onRetry={() => void locations.refetch()} />}
      {!locationId ? (
        <Text c="dimmed">{t('location.hint')}</Text>
      ) : stock.isPending ? (
        <Loading />
      ) : stock.isError ? (
        <ErrorAlert error={stock.error} onRetry={() => void stock.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('location.empty')} />
      ) : (
        <>
          <Table striped highlightOnHover aria-label={t('location.stock')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.sku')}</Table.Th>
                <Table.Th ta="right">{t('col.onHand')}</Table.Th>
                <Table.Th ta="right">{t('col.reserved')}</Table.Th>
                <Table.Th ta="right">{t('col.safetyStock')}</Table.Th>
                <Table.Th ta="right">{t('col.atp')}</Table.Th>
                <Table.Th>{t('col.lastCount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.sku}>
                  <Table.Td>
                    <SkuLink sku={p.sku} />
                  </Table.Td>
                  <Table.Td ta="right">{fmt.number(p.onHand)}</Table.Td>
                  <Table.Td ta="right">{fmt.number(p.reserved)}</Table.Td>
                  <Table.Td ta="right">{fmt.number(p.safetyStock)}</Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {fmt.number(p.atp)}
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(p.lastSetAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <LoadMore has={stock.hasNextPage} loading={stock.isFetchingNextPage} onClick={() => void stock.fetchNextPage()} />
        </>
      )}
    </Stack>
  );
}

/** The inventory explorer: find a SKU (then its page), or read one location's stock. State lives in the URL. */
export function InventoryPage() {
  const { t } = useTranslation('inventory');
  const [params, setParams] = useSearchParams();
  const view = params.get('location') !== null || params.get('view') === 'location' ? 'location' : 'sku';
  const set = (next: Record<string, string | null>) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(next)) {
        if (v === null || v === '') p.delete(k);
        else p.set(k, v);
      }
      return p;
    });
  return (
    <>
      <PageHeader title={t('title')} />
      <Card withBorder>
        <Tabs value={view} onChange={(v) => set(v === 'location' ? { view: 'location' } : { view: null, location: null })} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="sku">{t('tabs.sku')}</Tabs.Tab>
            <Tabs.Tab value="location">{t('tabs.location')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="sku">
            <SkuSearch q={params.get('q') ?? ''} onSearch={(q) => set({ q })} />
          </Tabs.Panel>
          <Tabs.Panel value="location">
            <LocationStock locationId={params.get('location')} onChange={(id) => set({ location: id, view: 'location' })} />
          </Tabs.Panel>
        </Tabs>
      </Card>
    </>
  );
}
