import { Button, Group, Text } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { ChangePasswordButton } from '../auth/ChangePasswordButton';
import { useSession, useSetSession } from '../auth/session';

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  if (!session) return null;
  const logout = async () => {
    await api.post('/v1/auth/logout').catch(() => undefined);
    setSession(null);
    navigate('/login');
  };
  return (
    <Group gap="xs" wrap="nowrap">
      {!compact && (
        <Text size="sm" c="dimmed" data-testid="current-user">
          {session.user.name || session.user.email}
        </Text>
      )}
      <ChangePasswordButton compact />
      <Button variant="subtle" size="compact-sm" leftSection={<IconLogout size={16} />} onClick={logout}>
        {t('actions.logout')}
      </Button>
    </Group>
  );
}
