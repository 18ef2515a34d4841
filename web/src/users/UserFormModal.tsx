import { Button, Group, Modal, MultiSelect, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Location } from '../api/types';
import { usersKey } from './queries';
import { UsersErrorAlert } from './UsersErrorAlert';
import { looksLikeEmail, MIN_PASSWORD_LENGTH, USER_ROLES, type User, type UserRole } from './types';
import { SecretInput } from '../auth/SecretInput';

const LOCATION_TYPE_ORDER = ['store', 'warehouse', 'supplier', 'marketplace_seller'] as const;

interface Draft {
  email: string;
  name: string;
  role: UserRole;
  locationIds: string[];
  locale: string;
  password: string;
  active: boolean;
}

const NO_LOCALE = 'browser';

/** Creates a user (`user` undefined) or edits one: role, stores, language, active. */
export function UserFormModal({ user, locations, opened, onClose }: { user?: User; locations: Location[]; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('users');
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => ({
    email: user?.email ?? '',
    name: user?.name ?? '',
    role: user?.role ?? 'store',
    locationIds: user?.locationIds ?? [],
    locale: user?.locale ?? NO_LOCALE,
    password: '',
    active: !(user?.disabled ?? false),
  }));
  const [checked, setChecked] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const problems = {
    email: !user && !looksLikeEmail(draft.email) ? t('invalid.email') : undefined,
    name: draft.name.trim() === '' ? t('invalid.name') : undefined,
    password: !user && draft.password.length < MIN_PASSWORD_LENGTH ? t('invalid.password') : undefined,
    locationIds: draft.role === 'store' && draft.locationIds.length === 0 ? t('invalid.stores') : undefined,
  };
  const valid = Object.values(problems).every((p) => p === undefined);
  const locale = draft.locale === NO_LOCALE ? null : draft.locale;
  const locationIds = draft.role === 'store' ? draft.locationIds : [];
  const save = useMutation({
    mutationFn: () =>
      user
        ? api.patch<User>(`/v1/users/${user.id}`, { name: draft.name.trim(), role: draft.role, locationIds, locale, disabled: !draft.active })
        : api.post<User>('/v1/users', { email: draft.email.trim(), name: draft.name.trim(), password: draft.password, role: draft.role, locationIds, locale }),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: usersKey });
      notifications.show({ color: 'teal', message: t(user ? 'form.saved' : 'form.created', { email: saved.email }) });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (valid) save.mutate();
  };
  const show = (p: string | undefined) => (checked ? p : undefined);
  const groups = LOCATION_TYPE_ORDER.map((type) => ({
    group: t(`form.storeTypes.${type}`),
    items: locations.filter((l) => l.type === type).map((l) => ({ value: l.id, label: l.name })),
  })).filter((g) => g.items.length > 0);
  return (
    <Modal opened={opened} onClose={onClose} title={user ? t('form.editTitle', { name: user.name }) : t('form.createTitle')} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {user ? (
            <Text size="sm" c="dimmed">
              {user.email}
            </Text>
          ) : (
            <TextInput label={t('form.email')} type="email" required value={draft.email} onChange={(e) => set('email', e.currentTarget.value)} error={show(problems.email)} data-autofocus autoComplete="off" />
          )}
          <TextInput label={t('form.name')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={show(problems.name)} maxLength={100} />
          <Select
            label={t('form.role')}
            description={t(`roleHelp.${draft.role}`)}
            data={USER_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            value={draft.role}
            onChange={(v) => v && set('role', v as UserRole)}
            allowDeselect={false}
          />
          {draft.role === 'store' && (
            <MultiSelect
              label={t('form.stores')}
              description={t('form.storesHelp')}
              placeholder={draft.locationIds.length === 0 ? t('form.storesPlaceholder') : undefined}
              data={groups}
              value={draft.locationIds}
              onChange={(v) => set('locationIds', v)}
              searchable
              required
              error={show(problems.locationIds)}
            />
          )}
          <Select
            label={t('form.language')}
            description={t('form.languageHelp')}
            data={[
              { value: NO_LOCALE, label: t('browserLanguage') },
              { value: 'en', label: 'English' },
              { value: 'fr', label: 'Français' },
            ]}
            value={draft.locale}
            onChange={(v) => v && set('locale', v)}
            allowDeselect={false}
          />
          {user ? (
            <Switch label={t('form.active')} description={t('form.activeHelp')} checked={draft.active} onChange={(e) => set('active', e.currentTarget.checked)} />
          ) : (
            <SecretInput label={t('form.password')} description={t('form.passwordHelp')} required value={draft.password} onChange={(e) => set('password', e.currentTarget.value)} error={show(problems.password)} autoComplete="new-password" />
          )}
          {save.isError && <UsersErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {user ? t('form.save') : t('form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
