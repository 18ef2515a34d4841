import { Card, Checkbox, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { ErrorAlert, Loading } from '../../ui/feedback';
import { MoneyInput, numberOrUndefined } from '../form';
import { EditForm } from '../parts';
import { useCanEdit } from '../permissions';
import { loadPromiseSettings, promiseSettingsKey } from '../queries';
import { LOCATION_TYPES, type LocationType, type PolicyDetail, type RoutingRules } from '../types';
import { useEditor } from '../use-editor';
import { routingKey } from './RoutingTab';

interface PolicyDraft {
  name: string;
  description: string;
  rules: RoutingRules;
}

const EMPTY: PolicyDraft = { name: '', description: '', rules: {} };
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const toDraft = (p: PolicyDetail): PolicyDraft => {
  const latest = p.versions[0]!;
  return { name: latest.name, description: latest.description, rules: latest.rules };
};

/** Drops the overrides left empty, so they keep the promise settings' values. */
function cleanRules(r: RoutingRules): RoutingRules {
  const out = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as RoutingRules;
  const types = Object.entries(r.locationTypes ?? {})
    .map(([k, v]) => [k, Object.fromEntries(Object.entries(v ?? {}).filter(([, x]) => x !== undefined))] as const)
    .filter(([, v]) => Object.keys(v).length > 0);
  if (types.length > 0) out.locationTypes = Object.fromEntries(types);
  else delete out.locationTypes;
  return out;
}

function TriState({ label, value, onChange }: { label: string; value: boolean | undefined; onChange: (v: boolean | undefined) => void }) {
  const { t } = useTranslation('settings');
  return (
    <Stack gap={4} role="group" aria-label={label}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <SegmentedControl
        value={value === undefined ? 'default' : value ? 'yes' : 'no'}
        onChange={(v) => onChange(v === 'default' ? undefined : v === 'yes')}
        data={[
          { value: 'default', label: t('routing.byDefault') },
          { value: 'yes', label: t('yes') },
          { value: 'no', label: t('no') },
        ]}
      />
    </Stack>
  );
}

/** A routing policy: its overrides of the cost model; saving writes a new immutable version. */
export function PolicyEditPage() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const navigate = useNavigate();
  const routeId = useParams().policyId!;
  const isNew = routeId === 'new';
  const [newId, setNewId] = useState('');
  const id = isNew ? newId : routeId;
  const canEdit = useCanEdit('routing');
  const defaults = useQuery({ queryKey: promiseSettingsKey, queryFn: loadPromiseSettings });
  const path = (policy: string) => `/v1/routing-policies/${encodeURIComponent(policy)}`;
  const editor = useEditor<PolicyDetail, PolicyDraft>({
    queryKey: ['routing-policy', routeId],
    load: () => api.get<PolicyDetail>(path(routeId)),
    enabled: !isNew,
    initial: EMPTY,
    toDraft,
    save: async (d) => {
      await api.put(path(id), { name: d.name.trim(), ...(d.description.trim() ? { description: d.description.trim() } : {}), rules: cleanRules(d.rules) });
      return api.get<PolicyDetail>(path(id));
    },
    invalidate: [routingKey],
    onSaved: (saved) => isNew && navigate(`/bo/settings/routing/${encodeURIComponent(saved.id)}`, { replace: true }),
  });
  const { draft, query, fieldErrors: errors } = editor;
  if (!isNew && query.isPending) return <Loading />;
  if ((!isNew && query.isError) || !draft) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const currency = defaults.data?.currency ?? 'EUR';
  const money = (minor: number | undefined) => (minor === undefined ? '—' : fmt.money(minor, currency));
  const rules = draft.rules;
  const setRule = <K extends keyof RoutingRules>(key: K, value: RoutingRules[K]) => editor.update((d) => ({ ...d, rules: { ...d.rules, [key]: value } }));
  const setTypeRule = (type: LocationType, key: 'handlingCostMinor' | 'preferenceMinor', value: number | undefined) =>
    editor.update((d) => ({ ...d, rules: { ...d.rules, locationTypes: { ...d.rules.locationTypes, [type]: { ...d.rules.locationTypes?.[type], [key]: value } } } }));
  const def = defaults.data;
  const dflt = (value: string) => t('routing.defaultIs', { value });
  const labels = {
    name: t('routing.name'),
    description: t('routing.description'),
    'rules.splitPenaltyMinor': t('routing.splitPenalty'),
    'rules.maxShipments': t('routing.maxShipments'),
    'rules.distanceCostMinorPerKm': t('routing.distanceCost'),
    'rules.priorityValueMinor': t('routing.priorityValue'),
    'rules.unreliabilityCostMinor': t('routing.unreliabilityCost'),
    'rules.loadCostMinor': t('routing.loadCost'),
    'rules.excludedLocationTypes': t('routing.excluded'),
  };
  const idInvalid = isNew && newId !== '' && !ID.test(newId);
  return (
    <EditForm
      label={t('routing.formLabel')}
      back={{ to: '/bo/settings/routing', label: t('tabs.routing') }}
      title={isNew ? t('routing.new') : `${draft.name} · v${query.data?.latestVersion ?? ''}`}
      canEdit={canEdit}
      editor={editor}
      labels={labels}
      ready={!isNew || ID.test(newId)}
      after={query.data && <Versions policy={query.data} />}
    >
      {!isNew && <Text size="sm">{t('routing.newVersionNote')}</Text>}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {isNew && (
            <TextInput label={t('routing.id')} description={t('routing.idHelp')} required value={newId} onChange={(e) => setNewId(e.currentTarget.value.toLowerCase())} error={idInvalid ? t('invalid.format') : undefined} />
          )}
          <TextInput label={t('routing.name')} required value={draft.name} onChange={(e) => editor.update((d) => ({ ...d, name: e.currentTarget.value }))} error={errors.name} />
          <Textarea label={t('routing.description')} value={draft.description} onChange={(e) => editor.update((d) => ({ ...d, description: e.currentTarget.value }))} error={errors.description} autosize minRows={2} />
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} mb={4}>
          {t('routing.rules')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('routing.rulesHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <MoneyInput label={t('routing.splitPenalty')} description={dflt(money(def?.splitPenaltyMinor))} currency={currency} value={rules.splitPenaltyMinor} onChange={(v) => setRule('splitPenaltyMinor', v)} error={errors['rules.splitPenaltyMinor']} />
          <NumberInput clampBehavior="none" label={t('routing.maxShipments')} description={dflt(String(def?.maxShipments ?? '—'))} min={1} max={10} allowDecimal={false} value={rules.maxShipments ?? ''} onChange={(v) => setRule('maxShipments', numberOrUndefined(v))} error={errors['rules.maxShipments']} />
          <MoneyInput label={t('routing.distanceCost')} description={t('routing.distanceCostHelp')} currency={currency} value={rules.distanceCostMinorPerKm} onChange={(v) => setRule('distanceCostMinorPerKm', v)} error={errors['rules.distanceCostMinorPerKm']} />
          <TriState label={t('routing.shipComplete')} value={rules.shipComplete} onChange={(v) => setRule('shipComplete', v)} />
          <TriState label={t('routing.allowLineSplit')} value={rules.allowLineSplit} onChange={(v) => setRule('allowLineSplit', v)} />
          <Checkbox.Group label={t('routing.excluded')} value={rules.excludedLocationTypes ?? []} onChange={(v) => setRule('excludedLocationTypes', v as LocationType[])} error={errors['rules.excludedLocationTypes']}>
            <Stack gap={4} mt={6}>
              {LOCATION_TYPES.map((lt) => (
                <Checkbox key={lt} value={lt} label={t(`locationType.${lt}`)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <MoneyInput label={t('routing.priorityValue')} description={dflt(money(def?.priorityValueMinor))} currency={currency} value={rules.priorityValueMinor} onChange={(v) => setRule('priorityValueMinor', v)} error={errors['rules.priorityValueMinor']} />
          <MoneyInput label={t('routing.unreliabilityCost')} description={dflt(money(def?.unreliabilityCostMinor))} currency={currency} value={rules.unreliabilityCostMinor} onChange={(v) => setRule('unreliabilityCostMinor', v)} error={errors['rules.unreliabilityCostMinor']} />
          <MoneyInput label={t('routing.loadCost')} description={dflt(money(def?.loadCostMinor))} currency={currency} value={rules.loadCostMinor} onChange={(v) => setRule('loadCostMinor', v)} error={errors['rules.loadCostMinor']} />
        </SimpleGrid>
        <Title order={4} mt="md" mb="xs">
          {t('routing.byType')}
        </Title>
        <Table aria-label={t('routing.byType')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('locations.type')}</Table.Th>
              <Table.Th>{t('routing.handling')}</Table.Th>
              <Table.Th>{t('routing.preference')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {LOCATION_TYPES.map((lt) => (
              <Table.Tr key={lt}>
                <Table.Td>{t(`locationType.${lt}`)}</Table.Td>
                <Table.Td>
                  <MoneyInput aria-label={t('routing.handlingOf', { type: t(`locationType.${lt}`) })} placeholder={t('routing.ownValue')} currency={currency} value={rules.locationTypes?.[lt]?.handlingCostMinor} onChange={(v) => setTypeRule(lt, 'handlingCostMinor', v)} w={220} />
                </Table.Td>
                <Table.Td>
                  <MoneyInput aria-label={t('routing.preferenceOf', { type: t(`locationType.${lt}`) })} placeholder="0" currency={currency} allowNegative value={rules.locationTypes?.[lt]?.preferenceMinor} onChange={(v) => setTypeRule(lt, 'preferenceMinor', v)} w={160} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt={4}>
          {t('routing.preferenceHelp')}
        </Text>
      </Card>
    </EditForm>
  );
}

/** Every version of the policy, newest first, and where it applies. */
function Versions({ policy }: { policy: PolicyDetail }) {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  return (
    <Card withBorder mt="md">
      <Title order={3} mb="sm">
        {t('routing.versions')}
      </Title>
      <Table aria-label={t('routing.versions')}>
        <Table.Tbody>
          {policy.versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>v{v.version}</Table.Td>
              <Table.Td>{v.name}</Table.Td>
              <Table.Td>{fmt.dateTime(v.createdAt)}</Table.Td>
              <Table.Td>{v.createdBy}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {policy.assignments.length > 0 && (
        <Group mt="sm" gap="xs">
          <Text size="sm" fw={500}>
            {t('routing.usedBy')}
          </Text>
          <Text size="sm">{policy.assignments.map((a) => `${a.channelId} · ${t(`common:method.${a.deliveryMethod}`)}`).join(', ')}</Text>
        </Group>
      )}
    </Card>
  );
}
