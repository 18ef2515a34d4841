import { Anchor, Badge, Card, Grid, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFormat } from '../format';
import { ErrorAlert, Loading, PageHeader } from '../ui/feedback';
import { HoldsCard } from './HoldsCard';
import { LedgerCard } from './LedgerCard';
import { PositionsTable } from './PositionsTable';
import { useAllLocations, useChannels, useNetworkAtp, useProduct, useSkuPositions } from './queries';
import { StockMap } from './StockMap';
import { SupplyCard } from './SupplyCard';
import type { Channel } from './types';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} aria-label={label}>
        {value}
      </Text>
    </Card>
  );
}

/** What each active channel may sell of the SKU (network ATP with its pool rules). */
function ChannelAtp({ sku, channels }: { sku: string; channels: Channel[] }) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const results = useNetworkAtp(sku, channels);
  return (
    <Card withBorder>
      <Title order={3} mb={4}>
        {t('sku.channels')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('sku.channelsHelp')}
      </Text>
      <Table aria-label={t('sku.channels')}>
        <Table.Tbody>
          {channels.map((c, i) => {
            const r = results[i];
            return (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td ta="right" fw={700}>
                  {r?.isPending ? <Loader size="xs" /> : r?.isError ? '—' : fmt.number(r?.data?.items[0]?.networkAtp ?? 0)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** One SKU across the network: stock per location, map and distances, reservations, supply, history. */
export function SkuPage() {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const sku = useParams().sku!;
  const product = useProduct(sku);
  const positions = useSkuPositions(sku);
  const locations = useAllLocations();
  const channels = useChannels();
  if (product.isError) return <ErrorAlert error={product.error} onRetry={() => void product.refetch()} />;
  if (positions.isError || locations.isError) return <ErrorAlert error={positions.error ?? locations.error} onRetry={() => void (positions.refetch(), locations.refetch())} />;
  if (product.isPending || positions.isPending || locations.isPending) return <Loading />;
  const list = positions.data.positions;
  const all = locations.data;
  const names = new Map(all.map((l) => [l.id, l.name]));
  const locationName = (id: string) => names.get(id) ?? id;
  const sum = (f: (p: (typeof list)[number]) => number) => list.reduce((n, p) => n + f(p), 0);
  const p = product.data;
  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/bo/inventory" size="sm">
          ← {t('title')}
        </Anchor>
        <PageHeader title={`${p.sku} · ${p.name}`}>
          {!p.active && <Badge color="gray">{t('inactive')}</Badge>}
          {p.backorderable && <Badge variant="light">{t('product.backorderable')}</Badge>}
          {p.preorderable && <Badge variant="light">{t('product.preorderable')}</Badge>}
        </PageHeader>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <SimpleGrid cols={2}>
            <Stat label={t('col.onHand')} value={fmt.number(sum((x) => x.onHand))} />
            <Stat label={t('col.reserved')} value={fmt.number(sum((x) => x.reserved))} />
            <Stat label={t('sku.totalAtp')} value={fmt.number(sum((x) => x.atp))} />
            <Stat label={t('sku.sellingLocations')} value={fmt.number(list.filter((x) => x.atp > 0).length)} />
          </SimpleGrid>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>{channels.isSuccess && <ChannelAtp sku={sku} channels={channels.data.filter((c) => c.active)} />}</Grid.Col>
      </Grid>
      <StockMap sku={sku} positions={list} locations={all} />
      <PositionsTable sku={sku} positions={list} locations={all} />
      <HoldsCard sku={sku} locationName={locationName} />
      <SupplyCard sku={sku} locationName={locationName} />
      <LedgerCard
        sku={sku}
        locationName={locationName}
        locationChoices={list.map((x) => ({ value: x.locationId, label: locationName(x.locationId) })).sort((a, b) => a.label.localeCompare(b.label))}
      />
    </Stack>
  );
}
