import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/client';
import { changeLanguage, type Language } from '../i18n';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { useErrorText } from '../ui/feedback';
import { homeFor, useSession, useSetSession, type Session } from './session';

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
  const known = error instanceof ApiError && ['invalid_credentials', 'too_many_attempts', 'account_disabled'].includes(error.code);
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
              {known ? t((error as ApiError).code) : errorText(error)}
            </Alert>
          )}
          <TextInput label={t('email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} size="md" />
          <PasswordInput label={t('password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} size="md" />
          <Button type="submit" size="md" loading={login.isPending}>
            {t('submit')}
          </Button>
          <Anchor component={Link} to="/track" size="sm" ta="center">
            {t('trackLink')}
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}
