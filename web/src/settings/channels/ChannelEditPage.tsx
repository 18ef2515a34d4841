import { ActionIcon, Badge, Button, Card, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { keys, useAllLocations, useChannels } from '../../inventory/queries';
import type { Channel } from '../../inventory/types';
import { ErrorAlert, Loading } from '../../ui/feedback';
import { numberOrUndefined } from '../form';
import { EditForm } from '../parts';
import { useCanEdit } from '../permissions';
import type { ChannelInput } from '../types';
import { useEditor } from '../use-editor';

const toDraft = (c: Channel): ChannelInput => ({
  name: c.name,
  type: c.type,
  eligibleLocationIds: c.eligibleLocationIds,
  pool: { ...(c.pool.maxShare !== undefined ? { maxShare: c.pool.maxShare } : {}), ...(c.pool.maxQuantity !== undefined ? { maxQuantity: c.pool.maxQuantity } : {}), protections: c.pool.protections },
  active: c.active,
});

/** A channel: which locations' stock it sells and its pool (share or quantity cap, units kept for other channels). */
export function ChannelEditPage() {
  const { t } = useTranslation('settings');
  const id = useParams().channelId!;
  const canEdit = useCanEdit('channels');
  const fmt = useFormat();
  const path = `/v1/channels/${encodeURIComponent(id)}`;
  const locations = useAllLocations();
  const channels = useChannels();
  const editor = useEditor<Channel, ChannelInput>({
    queryKey: ['channel', id],
    load: () => api.get<Channel>(path),
    toDraft,
    save: (d) => api.put<Channel>(path, d),
    invalidate: [keys.channels],
    limits: { 'pool.maxShare': fmt.percent },
  });
  const { draft, query, fieldErrors: errors } = editor;
  if (query.isPending) return <Loading />;
  if (query.isError || !draft) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const set = <K extends keyof ChannelInput>(key: K, value: ChannelInput[K]) => editor.update((d) => ({ ...d, [key]: value }));
  const pool = draft.pool ?? {};
  const setPool = (patch: Partial<NonNullable<ChannelInput['pool']>>) => {
    const next = { ...pool, ...patch };
    // An absent cap is no cap: the API reads a missing key, not a null.
    for (const k of ['maxShare', 'maxQuantity'] as const) if (next[k] === undefined) delete next[k];
    set('pool', next);
  };
  const protections = pool.protections ?? [];
  const labels = {
    name: t('channels.name'),
    eligibleLocationIds: t('channels.eligible'),
    'pool.maxShare': t('channels.maxShare'),
    'pool.maxQuantity': t('channels.maxQuantity'),
    'pool.protections': t('channels.protections'),
    'pool.protections.channelId': t('channels.protectedChannel'),
    'pool.protections.quantity': t('channels.protectedQuantity'),
  };
  const locationChoices = (locations.data ?? []).map((l) => ({ value: l.id, label: l.name }));
  const channelChoices = (channels.data ?? []).filter((c) => c.id !== id).map((c) => ({ value: c.id, label: c.name }));
  return (
    <EditForm
      label={t('channels.formLabel', { name: query.data.name })}
      back={{ to: '/bo/settings/channels', label: t('tabs.channels') }}
      title={query.data.name}
      badges={<Badge variant="light">{t(`common:channel.${query.data.type}`, { defaultValue: query.data.type })}</Badge>}
      canEdit={canEdit}
      editor={editor}
      labels={labels}
    >
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label={t('channels.name')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
          <Switch label={t('channels.active')} description={t('channels.activeHelp')} checked={draft.active ?? true} onChange={(e) => set('active', e.currentTarget.checked)} mt="md" />
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} mb="sm">
          {t('channels.eligible')}
        </Title>
        <Stack>
          <Switch
            label={t('channels.everyLocation')}
            checked={draft.eligibleLocationIds === null || draft.eligibleLocationIds === undefined}
            onChange={(e) => set('eligibleLocationIds', e.currentTarget.checked ? null : [])}
          />
          {Array.isArray(draft.eligibleLocationIds) && (
            <MultiSelect
              label={t('channels.pickLocations')}
              searchable
              data={locationChoices}
              value={draft.eligibleLocationIds}
              onChange={(v) => set('eligibleLocationIds', v)}
              error={errors.eligibleLocationIds}
              nothingFoundMessage={t('noMatch')}
            />
          )}
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={3} mb={4}>
          {t('channels.pool')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('channels.poolHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <NumberInput
            clampBehavior="none"
            label={t('channels.maxShare')}
            description={t('channels.noCapHelp')}
            suffix=" %"
            min={0}
            max={100}
            value={pool.maxShare === undefined ? '' : Math.round(pool.maxShare * 1000) / 10}
            onChange={(v) => setPool({ maxShare: numberOrUndefined(v) === undefined ? undefined : Number(v) / 100 })}
            error={errors['pool.maxShare']}
          />
          <NumberInput
            clampBehavior="none"
            label={t('channels.maxQuantity')}
            description={t('channels.noCapHelp')}
            min={0}
            allowDecimal={false}
            value={pool.maxQuantity ?? ''}
            onChange={(v) => setPool({ maxQuantity: numberOrUndefined(v) })}
            error={errors['pool.maxQuantity']}
          />
        </SimpleGrid>
        <Title order={4} mt="md" mb="xs">
          {t('channels.protections')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('channels.protectionsHelp')}
        </Text>
        <Stack gap="xs">
          {protections.map((p, i) => (
            <Group key={i} align="flex-end">
              <Select
                label={t('channels.protectedChannel')}
                data={channelChoices}
                value={p.channelId}
                onChange={(v) => v && setPool({ protections: protections.map((x, j) => (j === i ? { ...x, channelId: v } : x)) })}
                error={errors[`pool.protections.${i}.channelId`]}
                w={260}
              />
              <NumberInput
                clampBehavior="none"
                label={t('channels.protectedQuantity')}
                min={0}
                allowDecimal={false}
                value={p.quantity}
                onChange={(v) => setPool({ protections: protections.map((x, j) => (j === i ? { ...x, quantity: numberOrUndefined(v) ?? 0 } : x)) })}
                error={errors[`pool.protections.${i}.quantity`]}
                w={160}
              />
              {canEdit && (
                <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('channels.removeProtection', { n: i + 1 })} onClick={() => setPool({ protections: protections.filter((_, j) => j !== i) })}>
                  <IconX size={16} />
                </ActionIcon>
              )}
            </Group>
          ))}
          {canEdit && channelChoices.length > 0 && (
            <Group>
              <Button variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setPool({ protections: [...protections, { channelId: channelChoices[0]!.value, quantity: 1 }] })}>
                {t('channels.addProtection')}
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
    </EditForm>
  );
}
