import { Button, Card, Grid, Group, SegmentedControl, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Location } from '../api/types';
import { useFormat } from '../format';
import { EmptyState, ErrorAlert } from '../ui/feedback';
import { FranceMap, type MapPoint } from './FranceMap';
import { distanceKm, positionOf, type LatLng } from './geo';
import type { Availability, Position } from './types';

const FIRST_ROWS = 15;

/** The SKU's locations on a map of France, and their distance from a postal code or a location. */
export function StockMap({ sku, positions, locations }: { sku: string; positions: Position[]; locations: Location[] }) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const [mode, setMode] = useState<'postalCode' | 'location'>('postalCode');
  const [postalCode, setPostalCode] = useState('');
  const [fromPostalCode, setFromPostalCode] = useState<{ code: string; at: LatLng } | null>(null);
  const [fromLocationId, setFromLocationId] = useState<string | null>(null);
  const [onlyAvailable, setOnlyAvailable] = useState(true);
  const [showAll, setShowAll] = useState(false);

  // The API knows where a postal code is (its own table): GET /v1/availability answers the origin it used.
  const locate = useMutation({
    mutationFn: (code: string) => api.get<Availability>('/v1/availability', { skus: sku, postalCode: code, country: 'FR', limit: 1 }),
    onSuccess: (res, code) => setFromPostalCode(res.origin ? { code, at: res.origin } : null),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (postalCode.trim()) locate.mutate(postalCode.trim());
  };

  const byLocation = useMemo(() => new Map(positions.map((p) => [p.locationId, p])), [positions]);
  const points: MapPoint[] = locations.flatMap((l) => {
    const at = positionOf(l);
    const p = byLocation.get(l.id);
    return at && (l.active || p) ? [{ id: l.id, name: l.name, place: l.address.city, at, atp: p?.atp ?? 0, onHand: p?.onHand ?? 0 }] : [];
  });
  const fromLocation = fromLocationId ? locations.find((l) => l.id === fromLocationId) : undefined;
  const origin = mode === 'postalCode' ? (fromPostalCode?.at ?? null) : fromLocation ? positionOf(fromLocation) : null;
  const byId = new Map(locations.map((l) => [l.id, l]));
  const rows = origin
    ? points
        .filter((p) => !onlyAvailable || p.atp > 0)
        .filter((p) => mode === 'postalCode' || p.id !== fromLocationId)
        .map((p) => ({ ...p, km: distanceKm(origin, p.at) }))
        .sort((a, b) => a.km - b.km || a.id.localeCompare(b.id))
    : [];
  const visible = showAll ? rows : rows.slice(0, FIRST_ROWS);

  return (
    <Card withBorder>
      <Title order={3} mb="sm">
        {t('map.title')}
      </Title>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <FranceMap
            points={points}
            origin={origin}
            selectedId={mode === 'location' ? fromLocationId : null}
            onSelect={(id) => {
              setMode('location');
              setFromLocationId(id);
            }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <Title order={4}>{t('distance.title')}</Title>
            <SegmentedControl
              value={mode}
              onChange={(v) => setMode(v as typeof mode)}
              data={[
                { value: 'postalCode', label: t('distance.fromPostalCode') },
                { value: 'location', label: t('distance.fromLocation') },
              ]}
            />
            {mode === 'postalCode' ? (
              <form onSubmit={submit}>
                <Group align="flex-end" gap="sm">
                  <TextInput label={t('distance.postalCode')} value={postalCode} onChange={(e) => setPostalCode(e.currentTarget.value)} inputMode="numeric" maxLength={10} w={180} />
                  <Button type="submit" variant="light" loading={locate.isPending}>
                    {t('distance.measure')}
                  </Button>
                </Group>
              </form>
            ) : (
              <Select
                label={t('distance.location')}
                searchable
                value={fromLocationId}
                onChange={setFromLocationId}
                data={locations.filter((l) => positionOf(l)).map((l) => ({ value: l.id, label: l.name }))}
                nothingFoundMessage={t('noMatch')}
              />
            )}
            {mode === 'postalCode' && locate.isError && <ErrorAlert error={locate.error} />}
            <Switch label={t('distance.onlyAvailable')} checked={onlyAvailable} onChange={(e) => setOnlyAvailable(e.currentTarget.checked)} />
            {!origin ? (
              <Text c="dimmed" size="sm">
                {t('distance.pickOrigin')}
              </Text>
            ) : rows.length === 0 ? (
              <EmptyState title={t('distance.none')} />
            ) : (
              <>
                <Table striped highlightOnHover aria-label={t('distance.title')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('col.location')}</Table.Th>
                      <Table.Th ta="right">{t('col.distance')}</Table.Th>
                      <Table.Th ta="right">{t('col.atp')}</Table.Th>
                      <Table.Th ta="right">{t('col.onHand')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {visible.map((r) => (
                      <Table.Tr key={r.id}>
                        <Table.Td>
                          <Text size="sm">{r.name}</Text>
                          <Text size="xs" c="dimmed">
                            {t(`locationType.${byId.get(r.id)?.type ?? 'store'}`)} · {byId.get(r.id)?.address.city ?? ''}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">{t('km', { value: fmt.number(r.km, { maximumFractionDigits: r.km < 10 ? 1 : 0 }) })}</Table.Td>
                        <Table.Td ta="right" fw={600}>
                          {fmt.number(r.atp)}
                        </Table.Td>
                        <Table.Td ta="right">{fmt.number(r.onHand)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {rows.length > visible.length && (
                  <Button variant="subtle" onClick={() => setShowAll(true)}>
                    {t('distance.showAll', { count: rows.length })}
                  </Button>
                )}
              </>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Card>
  );
}
