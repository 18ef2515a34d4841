import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usersKey } from './queries';
import { UsersErrorAlert } from './UsersErrorAlert';
import { MIN_PASSWORD_LENGTH, type User } from './types';
import { SecretInput } from '../auth/SecretInput';

/** An admin sets a new password for someone who forgot theirs (their sessions end, any lock is lifted). */
export function ResetPasswordModal({ user, opened, onClose }: { user: User; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('users');
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const reset = useMutation({
    mutationFn: () => api.patch<User>(`/v1/users/${user.id}`, { password }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: usersKey });
      notifications.show({ color: 'teal', message: t('reset.done', { email: user.email }) });
      onClose();
    },
  });
  const tooShort = password.length < MIN_PASSWORD_LENGTH;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!tooShort) reset.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('reset.title', { name: user.name })} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('reset.text')}</Text>
          <SecretInput
            label={t('reset.password')}
            description={t('form.passwordHelp')}
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={checked && tooShort ? t('invalid.password') : undefined}
            autoComplete="new-password"
            data-autofocus
          />
          {reset.isError && <UsersErrorAlert error={reset.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={reset.isPending}>
              {t('reset.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
