import { ActionIcon, Badge, Button, Card, Checkbox, Chip, Group, NumberInput, SimpleGrid, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { ErrorAlert, Loading } from '../../ui/feedback';
import { MoneyInput, numberOrUndefined, type FieldErrors } from '../form';
import { EditForm } from '../parts';
import { useCanEdit } from '../permissions';
import { useCostCurrency } from '../queries';
import { LOCATION_TYPES, WEEKDAYS, type Carrier, type CarrierInput, type CarrierService, type LocationType, type Weekday } from '../types';
import { useEditor } from '../use-editor';
import { carriersKey } from './CarriersTab';

const toDraft = (c: Carrier): CarrierInput => ({ name: c.name, trackingUrlTemplate: c.trackingUrlTemplate, active: c.active, services: c.services });

function Weekdays({ label, value, onChange, error }: { label: string; value: Weekday[]; onChange: (v: Weekday[]) => void; error?: string }) {
  const { t } = useTranslation('settings');
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Chip.Group multiple value={value} onChange={(v) => onChange(WEEKDAYS.filter((d) => v.includes(d)))}>
        <Group gap={4}>
          {WEEKDAYS.map((d) => (
            <Chip key={d} value={d} size="xs">
              {t(`weekdayShort.${d}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** One service of a carrier; its transit lanes are learned and published data, shown but not edited here. */
function ServiceCard({ service, index, onChange, errors, canEdit }: { service: CarrierService; index: number; onChange: (s: CarrierService) => void; errors: FieldErrors; canEdit: boolean }) {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const currency = useCostCurrency();
  const e = (field: string) => errors[`services.${index}.${field}`];
  const set = <K extends keyof CarrierService>(key: K, value: CarrierService[K]) => onChange({ ...service, [key]: value });
  const setRate = (i: number, patch: Partial<CarrierService['rates'][number]>) => set('rates', service.rates.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Card withBorder>
      <Group mb="sm">
        <Title order={3}>{service.name}</Title>
        <Badge variant="light">{t(`common:service.${service.service}`)}</Badge>
      </Group>
      <Stack>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <TextInput label={t('carriers.serviceName')} value={service.name} onChange={(ev) => set('name', ev.currentTarget.value)} error={e('name')} />
          <TextInput type="time" label={t('carriers.cutoff')} description={t('carriers.cutoffHelp')} value={service.cutoff} onChange={(ev) => set('cutoff', ev.currentTarget.value)} error={e('cutoff')} />
          <NumberInput clampBehavior="none" label={t('carriers.maxDistance')} description={t('carriers.maxDistanceHelp')} value={service.maxDistanceKm ?? ''} onChange={(v) => set('maxDistanceKm', numberOrUndefined(v))} min={0} error={e('maxDistanceKm')} />
        </SimpleGrid>
        <Checkbox.Group label={t('carriers.originTypes')} value={service.originTypes} onChange={(v) => set('originTypes', v as LocationType[])} error={e('originTypes')}>
          <Group mt={6}>
            {LOCATION_TYPES.map((lt) => (
              <Checkbox key={lt} value={lt} label={t(`locationType.${lt}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <TagsInput label={t('carriers.countries')} description={t('carriers.countriesHelp')} value={service.destinationCountries} onChange={(v) => set('destinationCountries', v.map((c) => c.trim().toUpperCase()))} error={e('destinationCountries')} />
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Weekdays label={t('carriers.pickupDays')} value={service.pickupWeekdays} onChange={(v) => set('pickupWeekdays', v)} error={e('pickupWeekdays')} />
          <Weekdays label={t('carriers.deliveryDays')} value={service.deliveryWeekdays} onChange={(v) => set('deliveryWeekdays', v)} error={e('deliveryWeekdays')} />
        </SimpleGrid>
        <div>
          <Title order={4} mb="xs">
            {t('carriers.rates')}
          </Title>
          <Table aria-label={t('carriers.rates')} w="fit-content">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('carriers.upToGrams')}</Table.Th>
                <Table.Th>{t('carriers.price')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {service.rates.map((r, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <NumberInput clampBehavior="none" aria-label={t('carriers.upToGramsOf', { n: i + 1 })} value={r.maxWeightGrams} onChange={(v) => setRate(i, { maxWeightGrams: numberOrUndefined(v) ?? 0 })} allowDecimal={false} min={1} suffix=" g" error={e(`rates.${i}.maxWeightGrams`)} w={160} />
                  </Table.Td>
                  <Table.Td>
                    <MoneyInput aria-label={t('carriers.priceOf', { n: i + 1 })} currency={currency} value={r.costMinor} onChange={(v) => setRate(i, { costMinor: v ?? 0 })} error={e(`rates.${i}.costMinor`)} w={150} />
                  </Table.Td>
                  <Table.Td>
                    {canEdit && service.rates.length > 1 && (
                      <ActionIcon variant="subtle" color="red" aria-label={t('carriers.removeRate', { n: i + 1 })} onClick={() => set('rates', service.rates.filter((_, j) => j !== i))}>
                        <IconX size={16} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {canEdit && (
            <Button mt="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => set('rates', [...service.rates, { maxWeightGrams: (service.rates.at(-1)?.maxWeightGrams ?? 0) + 1000, costMinor: service.rates.at(-1)?.costMinor ?? 0 }])}>
              {t('carriers.addRate')}
            </Button>
          )}
        </div>
        <div>
          <Title order={4} mb={4}>
            {t('carriers.lanes')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('carriers.lanesHelp')}
          </Text>
          <Table aria-label={t('carriers.lanes')}>
            <Table.Tbody>
              {service.lanes.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    {l.country} · {l.maxDistanceKm === null ? t('carriers.anyDistance') : t('carriers.upToKm', { km: fmt.number(l.maxDistanceKm) })}
                  </Table.Td>
                  <Table.Td>{l.transit.map((x) => t('carriers.transitShare', { days: x.days, share: fmt.percent(x.share) })).join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </Stack>
    </Card>
  );
}

/** A carrier and its services (PUT /v1/carriers/{id} replaces the whole carrier). */
export function CarrierEditPage() {
  const { t } = useTranslation('settings');
  const id = useParams().carrierId!;
  const canEdit = useCanEdit('carriers');
  const path = `/v1/carriers/${encodeURIComponent(id)}`;
  const editor = useEditor<Carrier, CarrierInput>({
    queryKey: ['carrier', id],
    load: () => api.get<Carrier>(path),
    toDraft,
    save: (d) => api.put<Carrier>(path, { ...d, trackingUrlTemplate: d.trackingUrlTemplate?.trim() ? d.trackingUrlTemplate.trim() : null }),
    invalidate: [carriersKey],
  });
  const { draft, query, fieldErrors: errors } = editor;
  if (query.isPending) return <Loading />;
  if (query.isError || !draft) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const labels = {
    name: t('carriers.name'),
    trackingUrlTemplate: t('carriers.trackingUrl'),
    'services.name': t('carriers.serviceName'),
    'services.cutoff': t('carriers.cutoff'),
    'services.maxDistanceKm': t('carriers.maxDistance'),
    'services.originTypes': t('carriers.originTypes'),
    'services.destinationCountries': t('carriers.countries'),
    'services.pickupWeekdays': t('carriers.pickupDays'),
    'services.deliveryWeekdays': t('carriers.deliveryDays'),
    'services.rates.maxWeightGrams': t('carriers.upToGrams'),
    'services.rates.costMinor': t('carriers.price'),
    'services.rates': t('carriers.rates'),
  };
  return (
    <EditForm
      label={t('carriers.formLabel', { name: query.data.name })}
      back={{ to: '/bo/settings/carriers', label: t('tabs.carriers') }}
      title={query.data.name}
      canEdit={canEdit}
      editor={editor}
      labels={labels}
    >
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label={t('carriers.name')} required value={draft.name} onChange={(e) => editor.update((d) => ({ ...d, name: e.currentTarget.value }))} error={errors.name} />
          <Switch label={t('carriers.active')} checked={draft.active ?? true} onChange={(e) => editor.update((d) => ({ ...d, active: e.currentTarget.checked }))} mt="md" />
          <TextInput
            label={t('carriers.trackingUrl')}
            description={t('carriers.trackingUrlHelp')}
            value={draft.trackingUrlTemplate ?? ''}
            onChange={(e) => editor.update((d) => ({ ...d, trackingUrlTemplate: e.currentTarget.value }))}
            error={errors.trackingUrlTemplate}
          />
        </SimpleGrid>
      </Card>
      {draft.services.map((s, i) => (
        <ServiceCard key={s.service} service={s} index={i} errors={errors} canEdit={canEdit} onChange={(next) => editor.update((d) => ({ ...d, services: d.services.map((x, j) => (j === i ? next : x)) }))} />
      ))}
    </EditForm>
  );
}
