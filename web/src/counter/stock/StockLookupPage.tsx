import { Badge, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconShoppingCartPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { EmptyState, Loading, PageHeader } from '../../ui/feedback';
import { findProduct, useCurrency, usePosChannel, useStyleSiblings, type Availability, type Position, type Product } from '../api';
import { CounterError, ProductPicker, Section } from '../shared';

const NEARBY_SHOWN = 8;

/**
 * Stock lookup at the counter: a SKU here (ATP, on hand, reserved), in the other stores nearest first,
 * and what the network can still sell for home delivery; then "order it for the customer".
 */
export function StockLookupPage() {
  const { t } = useTranslation('counter');
  const [params, setParams] = useSearchParams();
  const sku = params.get('sku') ?? undefined;
  const pick = (p: Product) => setParams({ sku: p.sku });
  return (
    <Stack gap="md" pb="md">
      <PageHeader title={t('stock.title')} />
      <ProductPicker onPick={pick} submitLabel={t('stock.find')} autoFocus={!sku} />
      {sku ? <SkuStock sku={sku} onPick={pick} /> : <EmptyState title={t('stock.empty')} />}
    </Stack>
  );
}

function SkuStock({ sku, onPick }: { sku: string; onPick(p: Product): void }) {
  const { t } = useTranslation('counter');
  const product = useQuery({ queryKey: ['product', sku], queryFn: () => findProduct(sku) });
  if (product.isPending) return <Loading />;
  if (product.isError) return <CounterError error={product.error} onRetry={() => void product.refetch()} />;
  if (!product.data) return <EmptyState title={t('stock.unknownSku', { sku })} />;
  return (
    <Stack gap="md">
      <ProductCard product={product.data} onPick={onPick} />
      <StockFigures product={product.data} />
      <Button component={Link} to={`/store/new-order?sku=${encodeURIComponent(sku)}`} size="xl" fullWidth leftSection={<IconShoppingCartPlus />}>
        {t('stock.orderIt')}
      </Button>
    </Stack>
  );
}

function ProductCard({ product, onPick }: { product: Product; onPick(p: Product): void }) {
  const { t } = useTranslation('counter');
  const fmt = useFormat();
  const currency = useCurrency();
  const siblings = useStyleSiblings(product);
  const sizes = (siblings.data?.items ?? []).filter((p) => p.attributes.colour === product.attributes.colour);
  return (
    <Section title={product.name}>
      <Group gap="xs">
        <Badge variant="light" size="lg" ff="monospace">
          {product.sku}
        </Badge>
        <Text fw={600}>{fmt.money(product.prices[currency], currency)}</Text>
      </Group>
      {sizes.length > 1 && (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t('stock.otherSizes')}
          </Text>
          <Group gap={6}>
            {sizes.map((p) => (
              <Button
                key={p.sku}
                size="sm"
                miw={48}
                variant={p.sku === product.sku ? 'filled' : 'default'}
                aria-pressed={p.sku === product.sku}
                aria-label={t('stock.sizeButton', { size: p.attributes.size ?? p.sku })}
                onClick={() => onPick(p)}
              >
                {p.attributes.size ?? p.sku}
              </Button>
            ))}
          </Group>
        </Stack>
      )}
    </Section>
  );
}

function StockFigures({ product }: { product: Product }) {
  const { t } = useTranslation('counter');
  const fmt = useFormat();
  const { locationId, location } = useStoreLocation();
  const pos = usePosChannel();
  const [showAll, setShowAll] = useState(false);
  const here = useQuery({
    queryKey: ['inventory', product.sku],
    queryFn: () => api.get<{ positions: Position[] }>(`/v1/inventory/${encodeURIComponent(product.sku)}`),
  });
  const point = location.latitude !== null && location.longitude !== null ? { lat: location.latitude, lon: location.longitude } : {};
  // Nearest first from this store (great-circle distance computed by the API), with the POS channel's
  // network figure: what a home delivery ordered here can draw on.
  const network = useQuery({
    queryKey: ['availability', product.sku, locationId, pos.data?.id ?? null],
    queryFn: () => api.get<Availability>('/v1/availability', { skus: product.sku, limit: 100, ...point, ...(pos.data ? { channel: pos.data.id } : {}) }),
    enabled: !pos.isPending,
  });
  if (here.isError) return <CounterError error={here.error} onRetry={() => void here.refetch()} />;
  if (network.isError) return <CounterError error={network.error} onRetry={() => void network.refetch()} />;
  if (here.isPending || network.isPending) return <Loading />;
  const mine = here.data.positions.find((p) => p.locationId === locationId);
  const item = network.data.items[0];
  const stores = (item?.locations ?? []).filter((l) => l.type === 'store' && l.locationId !== locationId);
  const shown = showAll ? stores : stores.slice(0, NEARBY_SHOWN);
  return (
    <Stack gap="md">
      <SimpleGrid cols={2} spacing="sm">
        <Section title={t('stock.here')}>
          <Text fz={40} fw={700} lh={1} data-testid="atp-here">
            {fmt.number(mine?.atp ?? 0)}
          </Text>
          <Text size="sm" c="dimmed">
            {mine ? t(mine.safetyStock > 0 ? 'stock.hereDetailSafety' : 'stock.hereDetail', { onHand: fmt.number(mine.onHand), reserved: fmt.number(mine.reserved), safety: fmt.number(mine.safetyStock) }) : t('stock.notCarried')}
          </Text>
        </Section>
        <Section title={t('stock.homeDelivery')}>
          <Text fz={40} fw={700} lh={1} data-testid="atp-network">
            {fmt.number(item?.networkAtp ?? 0)}
          </Text>
          <Text size="sm" c="dimmed">
            {(item?.networkAtp ?? 0) > 0 ? t('stock.networkDetail') : t('stock.networkNone')}
          </Text>
        </Section>
      </SimpleGrid>
      <Section title={t('stock.nearby')}>
        {stores.length === 0 ? (
          <Text c="dimmed">{t('stock.nearbyNone')}</Text>
        ) : (
          <Stack gap={0} component="ul" aria-label={t('stock.nearby')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {shown.map((l) => (
              <Group key={l.locationId} component="li" justify="space-between" wrap="nowrap" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <div>
                  <Title order={4} size="h5" fw={600}>
                    {l.name}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {l.distanceKm === null ? t('stock.distanceUnknown') : t('stock.distance', { km: fmt.number(l.distanceKm, { maximumFractionDigits: 1 }) })}
                  </Text>
                </div>
                <Badge size="xl" variant="light" tt="none" style={{ flexShrink: 0, overflow: 'visible' }} color={l.atp > 2 ? 'green' : 'orange'}>
                  {t('stock.units', { count: l.atp, n: fmt.number(l.atp) })}
                </Badge>
              </Group>
            ))}
          </Stack>
        )}
        {stores.length > NEARBY_SHOWN && (
          <Button variant="subtle" size="md" onClick={() => setShowAll((v) => !v)}>
            {showAll ? t('stock.showFewer') : t('stock.showAll', { count: stores.length })}
          </Button>
        )}
      </Section>
    </Stack>
  );
}
