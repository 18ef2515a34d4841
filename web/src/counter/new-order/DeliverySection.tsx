import { Alert, Group, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuildingStore, IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { Loading } from '../../ui/feedback';
import { CounterError, Section } from '../shared';
import type { CartLine, DeliveryDraft, Method, PromiseAnswer, PromiseOption } from './draft';

const COUNTRIES = ['FR', 'BE', 'LU', 'MC', 'DE', 'ES', 'IT', 'NL', 'PT', 'CH', 'GB'];

/** A postal code worth asking a promise for (the API answers `located: false` for one it cannot place). */
const looksComplete = (postalCode: string) => postalCode.trim().length >= 4;

/**
 * Every way the cart can reach the customer from POST /v1/promise (no hold: the order computes its own
 * promise, with the same engine, when it is placed). Asked again when the cart or the place changes.
 */
function usePromise(channel: string | undefined, cart: readonly CartLine[], place: { postalCode: string; country: string } | null, services?: string[]) {
  const lines = cart.map((l) => ({ sku: l.product.sku, quantity: l.quantity }));
  const [debounced] = useDebouncedValue(place, 400);
  const ready = !!channel && lines.length > 0 && !!debounced && looksComplete(debounced.postalCode);
  return useQuery({
    queryKey: ['promise', channel, lines, debounced, services],
    queryFn: () =>
      api.post<PromiseAnswer>('/v1/promise', {
        channel,
        lines,
        destination: { postalCode: debounced!.postalCode.trim(), country: debounced!.country },
        ...(services ? { services } : {}),
      }),
    enabled: ready,
    staleTime: 30_000,
  });
}

export function DeliverySection({
  channel,
  cart,
  delivery,
  onChange,
  errors,
}: {
  channel: string | undefined;
  cart: CartLine[];
  delivery: DeliveryDraft;
  onChange(d: DeliveryDraft): void;
  errors: { address?: string; service?: string; store?: string };
}) {
  const { t } = useTranslation('counter');
  const { t: tc } = useTranslation();
  const set = (patch: Partial<DeliveryDraft>) => onChange({ ...delivery, ...patch });
  return (
    <Section title={t('order.delivery')}>
      <SegmentedControl
        aria-label={t('order.delivery')}
        size="md"
        fullWidth
        orientation="vertical"
        value={delivery.method}
        onChange={(v) => set({ method: v as Method })}
        data={[
          { value: 'ship', label: tc('method.ship') },
          { value: 'pickup', label: t('order.pickupElsewhere') },
          { value: 'carry_out', label: tc('method.carry_out') },
        ]}
      />
      {delivery.method === 'ship' && <HomeDelivery channel={channel} cart={cart} delivery={delivery} onChange={onChange} errors={errors} />}
      {delivery.method === 'pickup' && <StorePickup channel={channel} cart={cart} delivery={delivery} onChange={onChange} error={errors.store} />}
      {delivery.method === 'carry_out' && (
        <Alert icon={<IconInfoCircle />} color="blue">
          {t('order.carryOutNote')}
        </Alert>
      )}
    </Section>
  );
}

function HomeDelivery({ channel, cart, delivery, onChange, errors }: { channel: string | undefined; cart: CartLine[]; delivery: DeliveryDraft; onChange(d: DeliveryDraft): void; errors: { address?: string; service?: string } }) {
  const { t } = useTranslation('counter');
  const { t: tc } = useTranslation();
  const fmt = useFormat();
  const { address } = delivery;
  const setAddress = (patch: Partial<DeliveryDraft['address']>) => onChange({ ...delivery, address: { ...address, ...patch } });
  const promise = usePromise(channel, cart, { postalCode: address.postalCode, country: address.country }, ['standard', 'express', 'same_day']);
  const options = promise.data?.options.filter((o) => o.kind === 'ship') ?? [];
  const unavailable = promise.data?.unavailable.filter((u) => u.kind === 'ship') ?? [];
  // A service the new cart or address no longer offers is not kept silently.
  useEffect(() => {
    if (promise.data && delivery.service && !options.some((o) => o.service === delivery.service)) onChange({ ...delivery, service: null });
  });
  const regions = new Intl.DisplayNames([fmt.locale], { type: 'region' });
  return (
    <Stack gap="sm">
      <TextInput label={t('order.line1')} size="lg" autoComplete="off" value={address.line1} onChange={(e) => setAddress({ line1: e.currentTarget.value })} error={errors.address && !address.line1.trim() ? errors.address : undefined} />
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label={t('order.postalCode')} size="lg" inputMode="numeric" autoComplete="off" value={address.postalCode} onChange={(e) => setAddress({ postalCode: e.currentTarget.value })} error={errors.address && !address.postalCode.trim() ? errors.address : undefined} />
        <TextInput label={t('order.city')} size="lg" autoComplete="off" value={address.city} onChange={(e) => setAddress({ city: e.currentTarget.value })} error={errors.address && !address.city.trim() ? errors.address : undefined} />
      </SimpleGrid>
      <Select
        label={t('order.country')}
        size="lg"
        allowDeselect={false}
        value={address.country}
        onChange={(v) => v && setAddress({ country: v })}
        data={COUNTRIES.map((c) => ({ value: c, label: regions.of(c) ?? c }))}
      />
      {!looksComplete(address.postalCode) ? (
        <Text c="dimmed" size="sm">
          {t('order.typePostalCode')}
        </Text>
      ) : promise.isError ? (
        <CounterError error={promise.error} onRetry={() => void promise.refetch()} />
      ) : promise.isFetching && !promise.data ? (
        <Loading label={t('order.computingPromise')} />
      ) : promise.data && promise.data.destination?.located === false ? (
        <Alert color="orange">{t('order.unknownPostalCode')}</Alert>
      ) : (
        <Radio.Group label={t('order.service')} value={delivery.service} onChange={(v) => onChange({ ...delivery, service: v })} error={errors.service}>
          <Stack gap="xs" mt="xs">
            {options.map((o) => (
              <Radio.Card key={o.optionId} value={o.service!} p="md" radius="md">
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text fw={600}>{tc(`service.${o.service}`, { defaultValue: o.service })}</Text>
                    <Text size="sm">{deliveryWindow(o, fmt, t)}</Text>
                  </div>
                  <Radio.Indicator />
                </Group>
              </Radio.Card>
            ))}
            {unavailable.map((u) => (
              <Text key={u.optionId} size="sm" c="dimmed">
                {t('order.serviceUnavailable', { service: tc(`service.${u.service}`, { defaultValue: u.service }), reason: reasonText(u.reasons[0]?.code, t) })}
              </Text>
            ))}
          </Stack>
        </Radio.Group>
      )}
    </Stack>
  );
}

function StorePickup({ channel, cart, delivery, onChange, error }: { channel: string | undefined; cart: CartLine[]; delivery: DeliveryDraft; onChange(d: DeliveryDraft): void; error?: string }) {
  const { t } = useTranslation('counter');
  const fmt = useFormat();
  const { location } = useStoreLocation();
  const country = location.address.country ?? 'FR';
  const promise = usePromise(channel, cart, { postalCode: delivery.pickupNear, country });
  const options = (promise.data?.options ?? []).filter((o) => o.kind === 'click_and_collect').sort((a, b) => (a.pickupLocation?.distanceKm ?? 0) - (b.pickupLocation?.distanceKm ?? 0));
  const unavailable = (promise.data?.unavailable ?? []).filter((u) => u.kind === 'click_and_collect');
  useEffect(() => {
    if (promise.data && delivery.pickupLocationId && !options.some((o) => o.pickupLocation?.locationId === delivery.pickupLocationId)) onChange({ ...delivery, pickupLocationId: null, pickupName: null });
  });
  return (
    <Stack gap="sm">
      <TextInput
        label={t('order.storesNear')}
        description={t('order.storesNearHint')}
        size="lg"
        inputMode="numeric"
        autoComplete="off"
        value={delivery.pickupNear}
        onChange={(e) => onChange({ ...delivery, pickupNear: e.currentTarget.value })}
      />
      {promise.isError ? (
        <CounterError error={promise.error} onRetry={() => void promise.refetch()} />
      ) : promise.isFetching && !promise.data ? (
        <Loading label={t('order.computingPromise')} />
      ) : (
        <Radio.Group
          label={t('order.pickupStore')}
          value={delivery.pickupLocationId}
          onChange={(v) => onChange({ ...delivery, pickupLocationId: v, pickupName: options.find((o) => o.pickupLocation?.locationId === v)?.pickupLocation?.name ?? null })}
          error={error}
        >
          <Stack gap="xs" mt="xs">
            {options.length === 0 && promise.data && <Text c="dimmed">{t('order.noPickupStore')}</Text>}
            {options.map((o) => {
              const store = o.pickupLocation!;
              return (
                <Radio.Card key={o.optionId} value={store.locationId} p="md" radius="md">
                  <Group justify="space-between" wrap="nowrap">
                    <Group gap="sm" wrap="nowrap">
                      <IconBuildingStore size={22} />
                      <div>
                        <Text fw={600}>
                          {store.name}
                          {store.locationId === location.id ? ` · ${t('order.thisStore')}` : ''}
                        </Text>
                        <Text size="sm">{t('order.readyFrom', { when: fmt.dateTime(o.earliest) })}</Text>
                        {store.distanceKm !== null && (
                          <Text size="xs" c="dimmed">
                            {t('stock.distance', { km: fmt.number(store.distanceKm, { maximumFractionDigits: 1 }) })}
                          </Text>
                        )}
                      </div>
                    </Group>
                    <Radio.Indicator />
                  </Group>
                </Radio.Card>
              );
            })}
            {options.length === 0 &&
              unavailable.slice(0, 3).map((u) => (
                <Text key={u.optionId} size="sm" c="dimmed">
                  {reasonText(u.reasons[0]?.code, t)}
                </Text>
              ))}
          </Stack>
        </Radio.Group>
      )}
    </Stack>
  );
}

type T = (key: string, opts?: Record<string, unknown>) => string;

/** Delivery dates of a home delivery option: calendar days at the destination ('YYYY-MM-DD'). */
export function deliveryWindow(o: Pick<PromiseOption, 'earliest' | 'latest'>, fmt: ReturnType<typeof useFormat>, t: T): string {
  const from = fmt.date(o.earliest, 'UTC');
  const to = fmt.date(o.latest, 'UTC');
  return from === to ? t('order.deliveredOn', { date: from }) : t('order.deliveredBetween', { from, to });
}

function reasonText(code: string | undefined, t: T): string {
  return t(`order.reasons.${code ?? 'other'}`, { defaultValue: t('order.reasons.other') });
}
