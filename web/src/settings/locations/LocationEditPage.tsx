import { Badge, Card, Checkbox, Group, List, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { keys } from '../../inventory/queries';
import { ErrorAlert, Loading } from '../../ui/feedback';
import { MoneyInput, numberOrUndefined } from '../form';
import { EditForm } from '../parts';
import { useCanEdit } from '../permissions';
import { CAPABILITIES, LOCATION_TYPES, SERVICES, WEEKDAYS, type LocationDetail, type LocationInput, type LocationType } from '../types';
import { useEditor } from '../use-editor';
import { cleanInput, toInput } from './location-draft';
import { OpeningHoursEditor } from './OpeningHoursEditor';

/** One location's form: PUT /v1/locations/{id} takes the whole location, so it is loaded, edited and sent back whole. */
export function LocationEditPage() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const id = useParams().locationId!;
  const canEdit = useCanEdit('locations');
  const path = `/v1/locations/${encodeURIComponent(id)}`;
  const editor = useEditor<LocationDetail, LocationInput>({
    queryKey: ['location', id],
    load: () => api.get<LocationDetail>(path),
    toDraft: toInput,
    save: (d) => api.put<LocationDetail>(path, cleanInput(d)),
    invalidate: [keys.locations],
    limits: { dataReliability: fmt.percent },
  });
  const { draft, query, fieldErrors: errors } = editor;
  if (query.isPending) return <Loading />;
  if (query.isError || !draft) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const set = <K extends keyof LocationInput>(key: K, value: LocationInput[K]) => editor.update((d) => ({ ...d, [key]: value }));
  const setAddress = (key: keyof NonNullable<LocationInput['address']>, value: string) => editor.update((d) => ({ ...d, address: { ...d.address, [key]: value } }));
  const labels: Record<string, string> = {
    name: t('locations.name'),
    type: t('locations.type'),
    timeZone: t('locations.timeZone'),
    'address.line1': t('locations.line1'),
    'address.line2': t('locations.line2'),
    'address.postalCode': t('locations.postalCode'),
    'address.city': t('locations.city'),
    'address.country': t('locations.country'),
    latitude: t('locations.latitude'),
    longitude: t('locations.longitude'),
    capabilities: t('locations.capabilities'),
    dailyPickCapacity: t('locations.dailyPickCapacity'),
    handlingCostMinor: t('locations.handlingCost'),
    priority: t('locations.priority'),
    dataReliability: t('locations.dataReliability'),
    processingDays: t('locations.processingDays'),
    pickupPrepMinutes: t('locations.pickupPrepMinutes'),
    ...Object.fromEntries(SERVICES.map((s) => [`cutoffs.${s}`, t('locations.cutoffFor', { service: t(`common:service.${s}`) })])),
    ...Object.fromEntries(WEEKDAYS.flatMap((d) => [[`openingHours.${d}.open`, t('weekday.' + d)], [`openingHours.${d}.close`, t('weekday.' + d)], [`openingHours.${d}`, t('weekday.' + d)]])),
  };
  const exceptions = query.data.openingExceptions;
  return (
    <EditForm
      label={t('locations.formLabel', { name: query.data.name })}
      back={{ to: '/bo/settings/locations', label: t('tabs.locations') }}
      title={query.data.name}
      badges={
        <>
          <Badge variant="light">{t(`locationType.${query.data.type}`)}</Badge>
          <Text size="sm" c="dimmed">
            {t('updatedAt', { when: fmt.dateTime(query.data.updatedAt) })}
          </Text>
        </>
      }
      canEdit={canEdit}
      editor={editor}
      labels={labels}
    >
      <Card withBorder>
        <Title order={3} mb="sm">
          {t('locations.identity')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label={t('locations.name')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
          <Select label={t('locations.type')} data={LOCATION_TYPES.map((v) => ({ value: v, label: t(`locationType.${v}`) }))} value={draft.type} onChange={(v) => v && set('type', v as LocationType)} allowDeselect={false} error={errors.type} />
          <TextInput label={t('locations.timeZone')} description={t('locations.timeZoneHelp')} value={draft.timeZone} onChange={(e) => set('timeZone', e.currentTarget.value)} error={errors.timeZone} />
          <Switch label={t('locations.active')} description={t('locations.activeHelp')} checked={draft.active ?? true} onChange={(e) => set('active', e.currentTarget.checked)} mt="md" />
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} mb="sm">
          {t('locations.addressAndPosition')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label={t('locations.line1')} value={draft.address?.line1 ?? ''} onChange={(e) => setAddress('line1', e.currentTarget.value)} error={errors['address.line1']} />
          <TextInput label={t('locations.line2')} value={draft.address?.line2 ?? ''} onChange={(e) => setAddress('line2', e.currentTarget.value)} error={errors['address.line2']} />
          <TextInput label={t('locations.postalCode')} value={draft.address?.postalCode ?? ''} onChange={(e) => setAddress('postalCode', e.currentTarget.value)} error={errors['address.postalCode']} />
          <TextInput label={t('locations.city')} value={draft.address?.city ?? ''} onChange={(e) => setAddress('city', e.currentTarget.value)} error={errors['address.city']} />
          <TextInput label={t('locations.country')} description={t('locations.countryHelp')} value={draft.address?.country ?? ''} onChange={(e) => setAddress('country', e.currentTarget.value.toUpperCase())} maxLength={2} error={errors['address.country']} />
          <Group grow>
            <NumberInput clampBehavior="none" label={t('locations.latitude')} value={draft.latitude ?? ''} onChange={(v) => set('latitude', numberOrUndefined(v))} min={-90} max={90} decimalScale={6} error={errors.latitude} />
            <NumberInput clampBehavior="none" label={t('locations.longitude')} value={draft.longitude ?? ''} onChange={(v) => set('longitude', numberOrUndefined(v))} min={-180} max={180} decimalScale={6} error={errors.longitude} />
          </Group>
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} mb="sm">
          {t('locations.fulfilment')}
        </Title>
        <Stack>
          <Checkbox.Group label={t('locations.capabilities')} value={draft.capabilities ?? []} onChange={(v) => set('capabilities', v)} error={errors.capabilities}>
            <Group mt={6}>
              {CAPABILITIES.map((c) => (
                <Checkbox key={c} value={c} label={t(`capability.${c}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <NumberInput
              label={t('locations.dailyPickCapacity')}
              description={t('locations.dailyPickCapacityHelp')}
              value={draft.dailyPickCapacity ?? ''}
              onChange={(v) => set('dailyPickCapacity', numberOrUndefined(v) ?? null)}
              allowDecimal={false}
              error={errors.dailyPickCapacity}
            />
            <MoneyInput label={t('locations.handlingCost')} description={t('locations.handlingCostHelp')} value={draft.handlingCostMinor} onChange={(v) => set('handlingCostMinor', v ?? 0)} error={errors.handlingCostMinor} />
            <NumberInput label={t('locations.priority')} description={t('locations.priorityHelp')} value={draft.priority ?? 0} onChange={(v) => set('priority', numberOrUndefined(v) ?? 0)} allowDecimal={false} error={errors.priority} />
            <NumberInput
              label={t('locations.dataReliability')}
              description={t('locations.dataReliabilityHelp')}
              value={draft.dataReliability === undefined ? '' : Math.round(draft.dataReliability * 100)}
              onChange={(v) => set('dataReliability', numberOrUndefined(v) === undefined ? undefined : Number(v) / 100)}
              suffix=" %"
              allowDecimal={false}
              error={errors.dataReliability}
            />
            <NumberInput label={t('locations.processingDays')} description={t('locations.typeDefault')} value={draft.processingDays ?? ''} onChange={(v) => set('processingDays', numberOrUndefined(v) ?? null)} allowDecimal={false} error={errors.processingDays} />
            <NumberInput label={t('locations.pickupPrepMinutes')} description={t('locations.typeDefault')} value={draft.pickupPrepMinutes ?? ''} onChange={(v) => set('pickupPrepMinutes', numberOrUndefined(v) ?? null)} allowDecimal={false} error={errors.pickupPrepMinutes} />
          </SimpleGrid>
          <Group>
            {SERVICES.map((s) => (
              <TextInput
                key={s}
                type="time"
                label={t('locations.cutoffFor', { service: t(`common:service.${s}`) })}
                description={t('locations.cutoffHelp')}
                value={draft.cutoffs?.[s] ?? ''}
                onChange={(e) => set('cutoffs', { ...draft.cutoffs, [s]: e.currentTarget.value })}
                error={errors[`cutoffs.${s}`]}
                w={220}
              />
            ))}
          </Group>
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={3} mb="sm">
          {t('locations.openingHours')}
        </Title>
        <OpeningHoursEditor value={draft.openingHours ?? {}} onChange={(v) => set('openingHours', v)} errors={errors} readOnly={!canEdit} />
        <Title order={4} mt="md" mb="xs">
          {t('locations.exceptions')}
        </Title>
        {exceptions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('locations.noExceptions')}
          </Text>
        ) : (
          <List size="sm">
            {exceptions.map((x) => (
              <List.Item key={x.date}>
                {fmt.date(`${x.date}T12:00:00Z`)}: {x.closed ? t('locations.closed') : (x.hours ?? []).map((h) => `${h.open}–${h.close}`).join(', ')}
                {x.note ? ` (${x.note})` : ''}
              </List.Item>
            ))}
          </List>
        )}
      </Card>
    </EditForm>
  );
}
