import { Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { ErrorAlert } from '../../ui/feedback';
import { useChangeAddress, useChangePickup, usePickupStores } from './api';
import { DialogFooter } from './Section';
import type { Address, Order } from './types';

const FIELDS = ['name', 'line1', 'line2', 'postalCode', 'city', 'country', 'phone'] as const;
type Field = (typeof FIELDS)[number];

/**
 * A new delivery address before the order is prepared. The same postal code keeps the stock and dates;
 * another one re-promises and re-sources the order (the API says so if no location can serve it).
 */
export function AddressDialog({ order, onClose }: { order: Order; onClose(): void }) {
  const { t } = useTranslation('orderDetail');
  const change = useChangeAddress(order);
  const current = order.delivery.address ?? ({ postalCode: '', country: 'FR' } as Address);
  const [form, setForm] = useState<Record<Field, string>>(() => Object.fromEntries(FIELDS.map((k) => [k, String(current[k] ?? '')])) as Record<Field, string>);
  const [key] = useState(newIdempotencyKey);
  const country = form.country.trim().toUpperCase();
  const valid = form.postalCode.trim().length > 0 && /^[A-Z]{2}$/.test(country);
  const set = (k: Field) => (e: ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = () => {
    if (!valid) return;
    const address = Object.fromEntries(FIELDS.map((k) => [k, k === 'country' ? country : form[k].trim()]).filter(([, v]) => v !== ''));
    change.mutate({ key, address }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('address.title')} centered size="lg">
      <Stack>
        <Text size="sm">{t('address.explain')}</Text>
        <TextInput label={t('address.name')} value={form.name} onChange={set('name')} maxLength={200} />
        <TextInput label={t('address.line1')} value={form.line1} onChange={set('line1')} maxLength={200} data-autofocus />
        <TextInput label={t('address.line2')} value={form.line2} onChange={set('line2')} maxLength={200} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('address.postalCode')} value={form.postalCode} onChange={set('postalCode')} maxLength={20} required />
          <TextInput label={t('address.city')} value={form.city} onChange={set('city')} maxLength={100} />
          <TextInput
            label={t('address.country')}
            description={t('address.countryHelp')}
            value={form.country}
            onChange={set('country')}
            maxLength={2}
            required
            error={form.country && !/^[A-Z]{2}$/.test(country) ? t('address.countryInvalid') : undefined}
          />
        </SimpleGrid>
        <TextInput label={t('address.phone')} value={form.phone} onChange={set('phone')} maxLength={30} />
        <DialogFooter error={change.error} failed={t('address.failed')} pending={change.isPending} disabled={!valid} confirm={t('address.confirm')} onClose={onClose} onConfirm={submit} />
      </Stack>
    </Modal>
  );
}

/** Collect from another store, before the order is prepared (re-sourced for the new store). */
export function PickupDialog({ order, currentName, onClose }: { order: Order; currentName: string; onClose(): void }) {
  const { t } = useTranslation('orderDetail');
  const change = useChangePickup(order);
  const stores = usePickupStores(true);
  const [store, setStore] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  const options = (stores.data?.items ?? [])
    .filter((s) => s.id !== order.delivery.pickupLocationId)
    .map((s) => ({ value: s.id, label: `${s.name}${s.address.city ? ` (${s.address.city})` : ''}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <Modal opened onClose={onClose} title={t('pickup.title')} centered size="lg">
      <Stack>
        <Text size="sm">{t('pickup.explain', { store: currentName })}</Text>
        {stores.error ? <ErrorAlert error={stores.error} onRetry={() => void stores.refetch()} /> : null}
        <Select label={t('pickup.store')} placeholder={t('pickup.placeholder')} data={options} value={store} onChange={setStore} searchable nothingFoundMessage={t('pickup.noStore')} disabled={stores.isPending} required />
        <DialogFooter
          error={change.error}
          failed={t('pickup.failed')}
          pending={change.isPending}
          disabled={!store}
          confirm={t('pickup.confirm')}
          onClose={onClose}
          onConfirm={() => store && change.mutate({ key, pickupLocationId: store }, { onSuccess: onClose })}
        />
      </Stack>
    </Modal>
  );
}
