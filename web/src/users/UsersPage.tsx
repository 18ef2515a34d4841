import { Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconKey, IconPencil, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Location } from '../api/types';
import { useFormat } from '../format';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../ui/feedback';
import { useAllLocations, useUsers } from './queries';
import { ResetPasswordModal } from './ResetPasswordModal';
import type { User } from './types';
import { UserFormModal } from './UserFormModal';

const ROLE_COLORS = { admin: 'red', ops: 'indigo', service: 'teal', store: 'orange' } as const;
/** Badges show their whole words (a table column would otherwise cut them to an ellipsis). */
const WHOLE = { root: { overflow: 'visible' }, label: { overflow: 'visible' } } as const;

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'reset'; user: User } | null;

/** Admins manage who signs in: list, create, change role and stores, disable, reset a password. */
export function UsersPage() {
  const { t } = useTranslation('users');
  const users = useUsers();
  const locations = useAllLocations();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  if (users.isPending || locations.isPending) return <Loading />;
  if (users.isError) return <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />;
  if (locations.isError) return <ErrorAlert error={locations.error} onRetry={() => void locations.refetch()} />;
  const all = users.data.pages.flatMap((p) => p.items);
  const byId = new Map(locations.data.items.map((l) => [l.id, l]));
  return (
    <Stack gap="md">
      <PageHeader title={t('title')}>
        <Button leftSection={<IconUserPlus size={18} />} onClick={() => setDialog({ kind: 'create' })}>
          {t('newUser')}
        </Button>
      </PageHeader>
      <Text c="dimmed" size="sm">
        {t('intro')}
      </Text>
      {all.length === 0 ? (
        <EmptyState title={t('empty')} />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label={t('title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.name')}</Table.Th>
                <Table.Th>{t('col.role')}</Table.Th>
                <Table.Th>{t('col.stores')}</Table.Th>
                <Table.Th>{t('col.language')}</Table.Th>
                <Table.Th>{t('col.lastLogin')}</Table.Th>
                <Table.Th>{t('col.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('col.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {all.map((u) => (
                <UserRow key={u.id} user={u} locations={byId} onEdit={() => setDialog({ kind: 'edit', user: u })} onReset={() => setDialog({ kind: 'reset', user: u })} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {users.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
            {t('common:actions.loadMore')}
          </Button>
        </Group>
      )}
      {dialog?.kind === 'create' && <UserFormModal locations={locations.data.items} opened onClose={close} />}
      {dialog?.kind === 'edit' && <UserFormModal key={dialog.user.id} user={dialog.user} locations={locations.data.items} opened onClose={close} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal key={dialog.user.id} user={dialog.user} opened onClose={close} />}
    </Stack>
  );
}

function UserRow({ user, locations, onEdit, onReset }: { user: User; locations: Map<string, Location>; onEdit: () => void; onReset: () => void }) {
  const { t } = useTranslation('users');
  const fmt = useFormat();
  const locked = user.lockedUntil !== null && new Date(user.lockedUntil) > new Date();
  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={500}>{user.name}</Text>
        <Text size="sm" c="dimmed">
          {user.email}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={ROLE_COLORS[user.role]} tt="none" styles={WHOLE}>
          {t(`role.${user.role}`)}
        </Badge>
      </Table.Td>
      <Table.Td>{user.role === 'store' ? user.locationIds.map((id) => locations.get(id)?.name ?? id).join(', ') : <Text c="dimmed" size="sm">{t('allLocations')}</Text>}</Table.Td>
      <Table.Td>{user.locale === 'fr' ? 'Français' : user.locale === 'en' ? 'English' : <Text c="dimmed" size="sm">{t('browserLanguage')}</Text>}</Table.Td>
      <Table.Td>{user.lastLoginAt ? fmt.dateTime(user.lastLoginAt) : <Text c="dimmed" size="sm">{t('never')}</Text>}</Table.Td>
      <Table.Td>
        {user.disabled ? (
          <Badge color="gray" tt="none" styles={WHOLE}>
            {t('status.disabled')}
          </Badge>
        ) : locked ? (
          <Badge color="yellow" tt="none" styles={WHOLE}>
            {t('status.locked', { time: fmt.time(user.lockedUntil) })}
          </Badge>
        ) : (
          <Badge color="green" variant="light" tt="none" styles={WHOLE}>
            {t('status.active')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" justify="flex-end">
          <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} onClick={onEdit} aria-label={`${t('common:actions.edit')} ${user.email}`}>
            {t('common:actions.edit')}
          </Button>
          <Button size="xs" variant="subtle" leftSection={<IconKey size={14} />} onClick={onReset} aria-label={`${t('reset.button')} ${user.email}`}>
            {t('reset.button')}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
