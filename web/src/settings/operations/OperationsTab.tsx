import { Card, NumberInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { ErrorAlert, Loading } from '../../ui/feedback';
import { FormErrorAlert, MoneyInput, numberOrUndefined, SaveBar } from '../form';
import { useCanEdit } from '../permissions';
import { fulfillmentSettingsKey, loadFulfillmentSettings, loadPromiseSettings, promiseSettingsKey } from '../queries';
import { LOCATION_TYPES, type FulfillmentSettings, type PromiseSettings } from '../types';
import { useEditor } from '../use-editor';

/** Only what changed goes in the PATCH (both settings endpoints merge a partial body). */
function changes<T extends object>(before: T, after: T): Partial<T> {
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof T]))) as Partial<T>;
}

function SettingsForm<T extends object>({ title, help, editor, labels, canEdit, children }: { title: string; help: string; editor: ReturnType<typeof useEditor<T, T>>; labels: Record<string, string>; canEdit: boolean; children: ReactNode }) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    editor.save();
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={title}>
      <Title order={3} mb={4}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {help}
      </Text>
      <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack>
          {children}
          <FormErrorAlert error={editor.mutation.error} fields={editor.fieldErrors} labels={labels} />
          <SaveBar canEdit={canEdit} saving={editor.mutation.isPending} dirty={editor.dirty} onCancel={editor.dirty ? editor.reset : undefined} />
        </Stack>
      </fieldset>
    </Card>
  );
}

const FULFILLMENT_FIELDS = ['acceptTimeoutMinutes', 'urgentMinutes', 'pickupHoldDays', 'pickupReminderHours', 'maxPickupCodeAttempts', 'pickupLockMinutes', 'releaseHoldMinutes'] as const;

function FulfillmentSettingsForm() {
  const { t } = useTranslation('settings');
  const canEdit = useCanEdit('operations');
  const editor = useEditor<FulfillmentSettings, FulfillmentSettings>({
    queryKey: fulfillmentSettingsKey,
    load: loadFulfillmentSettings,
    toDraft: (s) => s,
    save: (d, loaded) => api.patch<FulfillmentSettings>('/v1/fulfillment-settings', changes(loaded ?? d, d)),
  });
  const { draft, query, fieldErrors: errors } = editor;
  if (query.isPending) return <Loading />;
  if (query.isError || !draft) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const labels = Object.fromEntries(FULFILLMENT_FIELDS.map((f) => [f, t(`operations.${f}`)]));
  return (
    <SettingsForm title={t('operations.fulfillment')} help={t('operations.fulfillmentHelp')} editor={editor} labels={labels} canEdit={canEdit}>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {FULFILLMENT_FIELDS.map((f) => (
          <NumberInput
            clampBehavior="none"
            key={f}
            label={t(`operations.${f}`)}
            description={t(`operations.${f}Help`)}
            allowDecimal={false}
            min={f === 'releaseHoldMinutes' ? 0 : 1}
            value={draft[f]}
            onChange={(v) => editor.update((d) => ({ ...d, [f]: numberOrUndefined(v) ?? d[f] }))}
            error={errors[f]}
          />
        ))}
      </SimpleGrid>
    </SettingsForm>
  );
}

function PromiseSettingsForm() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const canEdit = useCanEdit('operations');
  const editor = useEditor<PromiseSettings, PromiseSettings>({
    queryKey: promiseSettingsKey,
    load: loadPromiseSettings,
    toDraft: (s) => s,
    save: (d, loaded) => api.patch<PromiseSettings>('/v1/promise/settings', changes(loaded ?? d, d)),
    limits: { confidenceTarget: fmt.percent, earliestQuantile: fmt.percent, holdTtlSeconds: (s) => `${fmt.number(s / 60)} min` },
  });
  const { draft, query, fieldErrors: errors } = editor;
  if (query.isPending) return <Loading />;
  if (query.isError || !draft) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const set = <K extends keyof PromiseSettings>(key: K, value: PromiseSettings[K] | undefined) => editor.update((d) => ({ ...d, [key]: value ?? d[key] }));
  const num = (key: 'priorWeight' | 'pickupRadiusKm' | 'maxPickupStores' | 'maxShipments', extra: { min?: number; max?: number; decimal?: boolean; suffix?: string } = {}) => (
    <NumberInput
      clampBehavior="none"
      label={t(`operations.${key}`)}
      description={t(`operations.${key}Help`)}
      value={draft[key]}
      onChange={(v) => set(key, numberOrUndefined(v))}
      min={extra.min}
      max={extra.max}
      allowDecimal={extra.decimal ?? false}
      suffix={extra.suffix}
      error={errors[key]}
    />
  );
  // The API's bounds in percent, for the arrows; a value typed beyond them is kept as typed, so the
  // refusal beside the form (limits written in percent) matches what the field shows.
  const PERCENT_BOUNDS = { confidenceTarget: [50, 99.9], earliestQuantile: [0, 50] } as const;
  const percent = (key: 'confidenceTarget' | 'earliestQuantile') => (
    <NumberInput
      min={PERCENT_BOUNDS[key][0]}
      max={PERCENT_BOUNDS[key][1]}
      clampBehavior="none"
      label={t(`operations.${key}`)}
      description={t(`operations.${key}Help`)}
      value={Math.round(draft[key] * 1000) / 10}
      onChange={(v) => set(key, numberOrUndefined(v) === undefined ? undefined : Number(v) / 100)}
      decimalScale={1}
      suffix=" %"
      error={errors[key]}
    />
  );
  const money = (key: 'splitPenaltyMinor' | 'priorityValueMinor' | 'unreliabilityCostMinor' | 'loadCostMinor') => (
    <MoneyInput label={t(`operations.${key}`)} description={t(`operations.${key}Help`)} currency={draft.currency} value={draft[key]} onChange={(v) => set(key, v)} error={errors[key]} />
  );
  const keys = ['confidenceTarget', 'earliestQuantile', 'priorWeight', 'pickupRadiusKm', 'maxPickupStores', 'maxShipments', 'holdTtlSeconds', 'splitPenaltyMinor', 'priorityValueMinor', 'unreliabilityCostMinor', 'loadCostMinor', 'currency'];
  const labels = { ...Object.fromEntries(keys.map((k) => [k, t(`operations.${k}`)])), locationTypes: t('operations.byType') };
  return (
    <SettingsForm title={t('operations.promise')} help={t('operations.promiseHelp')} editor={editor} labels={labels} canEdit={canEdit}>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {percent('confidenceTarget')}
        {percent('earliestQuantile')}
        {num('priorWeight', { min: 0 })}
        {num('pickupRadiusKm', { min: 1, decimal: true, suffix: ' km' })}
        {num('maxPickupStores', { min: 1, max: 20 })}
        {num('maxShipments', { min: 1, max: 10 })}
        <NumberInput
          label={t('operations.holdTtlSeconds')}
          description={t('operations.holdTtlSecondsHelp')}
          value={draft.holdTtlSeconds / 60}
          onChange={(v) => set('holdTtlSeconds', numberOrUndefined(v) === undefined ? undefined : Math.round(Number(v) * 60))}
          decimalScale={1}
          suffix=" min"
          error={errors.holdTtlSeconds}
        />
        {money('splitPenaltyMinor')}
        {money('priorityValueMinor')}
        {money('unreliabilityCostMinor')}
        {money('loadCostMinor')}
        <TextInput label={t('operations.currency')} description={t('operations.currencyHelp')} value={draft.currency} onChange={(e) => set('currency', e.currentTarget.value.toUpperCase())} maxLength={3} error={errors.currency} />
      </SimpleGrid>
      <Title order={4}>{t('operations.byType')}</Title>
      <Table aria-label={t('operations.byType')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('locations.type')}</Table.Th>
            <Table.Th>{t('locations.processingDays')}</Table.Th>
            <Table.Th>{t('locations.pickupPrepMinutes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {LOCATION_TYPES.map((lt) => {
            const typeName = t(`locationType.${lt}`);
            const setType = (key: 'processingDays' | 'pickupPrepMinutes', v: number | string) =>
              editor.update((d) => ({ ...d, locationTypes: { ...d.locationTypes, [lt]: { ...d.locationTypes[lt], [key]: numberOrUndefined(v) ?? d.locationTypes[lt][key] } } }));
            return (
              <Table.Tr key={lt}>
                <Table.Td>{typeName}</Table.Td>
                <Table.Td>
                  <NumberInput clampBehavior="none" aria-label={t('operations.processingDaysOf', { type: typeName })} value={draft.locationTypes[lt].processingDays} onChange={(v) => setType('processingDays', v)} allowDecimal={false} min={0} w={140} error={errors[`locationTypes.${lt}.processingDays`]} />
                </Table.Td>
                <Table.Td>
                  <NumberInput clampBehavior="none" aria-label={t('operations.pickupPrepOf', { type: typeName })} value={draft.locationTypes[lt].pickupPrepMinutes} onChange={(v) => setType('pickupPrepMinutes', v)} allowDecimal={false} min={0} w={140} error={errors[`locationTypes.${lt}.pickupPrepMinutes`]} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </SettingsForm>
  );
}

/** How stores work fulfillments and how delivery promises are computed. */
export function OperationsTab() {
  return (
    <Stack>
      <FulfillmentSettingsForm />
      <PromiseSettingsForm />
    </Stack>
  );
}
