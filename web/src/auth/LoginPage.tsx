import { Alert, Anchor, Button, Center, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/client';
import { changeLanguage, type Language } from '../i18n';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { useErrorText } from '../ui/feedback';
import { homeFor, useSession, useSetSession, type Session } from './session';
import { SecretInput } from './SecretInput';

export function LoginPage() {
  const { t } = useTranslation('auth');
  const session = useSession();
  const setSession = useSetSession();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errorText = useErrorText();
  const login = useMutation({
    mutationFn: () => api.post<Session>('/v1/auth/login', { email, password }),
    onSuccess: (s) => {
      if (s.user.locale === 'fr' || s.user.locale === 'en') changeLanguage(s.user.locale as Language);
      setSession(s);
    },
  });
  if (session) {
    const next = params.get('next');
    return <Navigate to={next?.startsWith('/') && !next.startsWith('//') ? next : homeFor(session.user.role)} replace />;
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  const error = login.error;
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
        <Stack>
          <Group justify="space-between">
            <Title order={2}>{t('title')}</Title>
            <LanguageSwitch />
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {signInErrorText(error, t) ?? errorText(error)}
            </Alert>
          )}
          <TextInput label={t('email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} size="md" />
          <SecretInput label={t('password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} size="md" />
          <Button type="submit" size="md" loading={login.isPending}>
            {t('submit')}
          </Button>
          <Text size="sm" c="dimmed" ta="center">
            {t('forgotten')}
          </Text>
          <Anchor component={Link} to="/track" size="sm" ta="center">
            {t('trackLink')}
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}

/** The sign-in refusals in plain words; after too many failures, how long to wait (from the server's Retry-After). */
function signInErrorText(error: unknown, t: (key: string, opts?: Record<string, unknown>) => string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'too_many_attempts') {
    const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    return seconds ? t('too_many_attempts_wait', { count: Math.ceil(seconds / 60) }) : t('too_many_attempts');
  }
  return ['invalid_credentials', 'account_disabled'].includes(error.code) ? t(error.code) : undefined;
}
