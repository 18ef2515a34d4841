import { Alert, Box, Button, Container, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconPackage } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api/client';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { Loading, useErrorText } from '../ui/feedback';
import { TrackingResult } from './TrackingResult';
import type { TrackingView } from './types';

/**
 * The public order tracking page, no login: `/track` asks for the order number and e-mail; `/track/:token`
 * opens the signed link of a customer message directly (and falls back to the form when the link is
 * invalid or expired).
 */
export function TrackingPage() {
  const { token } = useParams();
  return <PublicLayout>{token ? <ByToken token={token} /> : <ByLookup />}</PublicLayout>;
}

function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation('tracking');
  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="sm" py="sm">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <IconPackage aria-hidden stroke={1.6} />
              <Text fw={700}>{t('title')}</Text>
            </Group>
            <LanguageSwitch />
          </Group>
        </Container>
      </Box>
      <Container size="sm" py="lg" px="md" component="main">
        {children}
      </Container>
    </Box>
  );
}

function ByToken({ token }: { token: string }) {
  const { t } = useTranslation('tracking');
  const query = useQuery({ queryKey: ['tracking', token], queryFn: ({ signal }) => api.get<TrackingView>(`/v1/tracking/${encodeURIComponent(token)}`, undefined, signal) });
  if (query.isPending) return <Loading />;
  if (query.data) {
    return (
      <Stack>
        <TrackingResult view={query.data} />
        <LookupLink />
      </Stack>
    );
  }
  return (
    <Stack>
      <LookupError error={query.error} notFoundText={t('linkNotFound')} onRetry={() => void query.refetch()} />
      <LookupForm />
    </Stack>
  );
}

function ByLookup() {
  const [view, setView] = useState<TrackingView | null>(null);
  const { t } = useTranslation('tracking');
  if (view) {
    return (
      <Stack>
        <TrackingResult view={view} />
        <Button variant="light" size="lg" onClick={() => setView(null)}>
          {t('another')}
        </Button>
      </Stack>
    );
  }
  return <LookupForm onFound={setView} />;
}

function LookupForm({ onFound }: { onFound?: (view: TrackingView) => void }) {
  const { t } = useTranslation('tracking');
  const [orderNumber, setOrderNumber] = useState('');
  const [email, setEmail] = useState('');
  const lookup = useMutation({
    mutationFn: () => api.post<TrackingView>('/v1/tracking/lookup', { orderNumber: orderNumber.trim(), email: email.trim() }),
    onSuccess: (v) => onFound?.(v),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    lookup.mutate();
  };
  // Reached from an invalid link: the form replaces the page once an order is found.
  if (lookup.data && !onFound) return <TrackingResult view={lookup.data} />;
  return (
    <Paper component="form" onSubmit={submit} withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} radius="md">
      <Stack gap="md">
        <Title order={1} size="h2">
          {t('title')}
        </Title>
        <Text c="dimmed">{t('intro')}</Text>
        {lookup.error && <LookupError error={lookup.error} notFoundText={t('notFound')} />}
        <TextInput
          label={t('orderNumber')}
          description={t('orderNumberHint')}
          placeholder="ORD-2026-000123"
          required
          size="lg"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={orderNumber}
          onChange={(e) => setOrderNumber(e.currentTarget.value)}
        />
        <TextInput label={t('email')} type="email" required size="lg" autoComplete="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <Button type="submit" size="lg" loading={lookup.isPending}>
          {t('submit')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('privacy')}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Not found and too many attempts in the visitor's words; anything else through the common error texts. */
function LookupError({ error, notFoundText, onRetry }: { error: unknown; notFoundText: string; onRetry?: () => void }) {
  const { t } = useTranslation('tracking');
  const common = useTranslation();
  const errorText = useErrorText();
  let text: string;
  let retry = onRetry;
  if (error instanceof ApiError && error.status === 404) {
    text = notFoundText;
    retry = undefined;
  } else if (error instanceof ApiError && error.code === 'too_many_requests') {
    const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
    text = t('tooMany', { count: Math.max(1, Math.ceil(seconds / 60)) });
    retry = undefined;
  } else {
    text = errorText(error);
  }
  return (
    <Alert color={error instanceof ApiError && error.status === 404 ? 'orange' : 'red'} icon={<IconAlertTriangle />} role="alert">
      <Stack gap="xs">
        <Text size="sm">{text}</Text>
        {retry && (
          <Group>
            <Button size="xs" variant="light" onClick={retry}>
              {common.t('actions.retry')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** To the form, from a page opened by a link. */
function LookupLink() {
  const { t } = useTranslation('tracking');
  return (
    <Button component={Link} to="/track" variant="light" size="lg">
      {t('another')}
    </Button>
  );
}
