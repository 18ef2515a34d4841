import { ActionIcon, Button, Group, Modal, Stack, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { ErrorAlert } from '../ui/feedback';
import { SecretInput } from './SecretInput';

const MIN_PASSWORD_LENGTH = 10;

/** "Change my password" in the user menu: the current password, the new one twice; other devices are signed out. */
export function ChangePasswordButton({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation('auth');
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      {compact ? (
        <Tooltip label={t('change.button')}>
          <ActionIcon variant="subtle" size="lg" onClick={open} aria-label={t('change.button')}>
            <IconKey size={18} />
          </ActionIcon>
        </Tooltip>
      ) : (
        <Button variant="subtle" size="compact-sm" leftSection={<IconKey size={16} />} onClick={open}>
          {t('change.button')}
        </Button>
      )}
      {opened && <ChangePasswordModal onClose={close} />}
    </>
  );
}

function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('auth');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [checked, setChecked] = useState(false);
  const change = useMutation({
    mutationFn: () => api.post<void>('/v1/auth/password', { currentPassword: current, newPassword: next }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('change.done') });
      onClose();
    },
  });
  const problems = {
    next: next.length < MIN_PASSWORD_LENGTH ? t('change.tooShort') : undefined,
    confirm: confirm !== next ? t('change.mismatch') : undefined,
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (current && !problems.next && !problems.confirm) change.mutate();
  };
  const error = change.error;
  const wrongCurrent = error instanceof ApiError && error.code === 'invalid_current_password';
  return (
    <Modal opened onClose={onClose} title={t('change.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <SecretInput
            label={t('change.current')}
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            autoComplete="current-password"
            error={wrongCurrent ? t('change.invalid_current_password') : undefined}
            data-autofocus
          />
          <SecretInput label={t('change.next')} description={t('change.nextHelp')} required value={next} onChange={(e) => setNext(e.currentTarget.value)} autoComplete="new-password" error={checked ? problems.next : undefined} />
          <SecretInput label={t('change.confirm')} required value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} autoComplete="new-password" error={checked ? problems.confirm : undefined} />
          {error && !wrongCurrent && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('change.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
