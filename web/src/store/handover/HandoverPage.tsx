import { Button, Card, Center, Group, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ApiError, type Page } from '../../api/client';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../ui/feedback';
import { KindBadge, unitsOf } from '../parts';
import { QUEUE_KEY, useFulfillment } from '../fulfillment-api';
import type { Fulfillment } from '../types';
import { CodeForm } from './CodeForm';

/** Lower case without accents: "Zoé" is found by "zoe". */
const fold = (s: string): string => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().trim();

function matches(f: Fulfillment, query: string): boolean {
  const q = fold(query);
  if (q === '') return true;
  return [f.orderNumber, f.number, f.customer.name ?? '', f.customer.email ?? ''].some((v) => fold(v).includes(q));
}

/**
 * /store/handover — click & collect and reserve & collect at the desk: find the customer's order among
 * those ready for pickup in this store (order number, name or e-mail), check the pickup code, take the
 * payment when it is due at the counter, and hand over.
 */
export function HandoverPage() {
  const { t } = useTranslation('store');
  const { location } = useStoreLocation();
  const [params, setParams] = useSearchParams();
  const selected = params.get('fulfillment');
  const [done, setDone] = useState<Fulfillment | null>(null);
  const select = (id: string | null) =>
    setParams(
      (p) => {
        if (id) p.set('fulfillment', id);
        else p.delete('fulfillment');
        return p;
      },
      { replace: false },
    );

  if (done) {
    return (
      <Center py="xl">
        <Stack align="center" gap="md" maw={420}>
          <ThemeIcon color="green" size={96} radius={96} variant="light">
            <IconCircleCheck size={72} />
          </ThemeIcon>
          <Title order={2}>{t('handover.successTitle')}</Title>
          <Text ta="center" size="lg">
            {t('handover.successText', { number: done.orderNumber, name: done.customer.name ?? done.customer.email ?? '', count: unitsOf(done) })}
          </Text>
          <Button
            size="xl"
            fullWidth
            onClick={() => {
              setDone(null);
              select(null);
            }}
          >
            {t('handover.nextCustomer')}
          </Button>
        </Stack>
      </Center>
    );
  }

  return (
    <Stack gap="sm">
      <PageHeader title={t('handover.title')} />
      {selected ? <Selected id={selected} timeZone={location.timeZone} onDone={setDone} onCancel={() => select(null)} /> : <ReadyList onSelect={select} />}
    </Stack>
  );
}

function Selected({ id, timeZone, onDone, onCancel }: { id: string; timeZone: string; onDone(f: Fulfillment): void; onCancel(): void }) {
  const { t } = useTranslation('store');
  const q = useFulfillment(id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return (
        <EmptyState title={t('fulfillment.notFound')}>
          <Button size="lg" variant="light" onClick={onCancel}>
            {t('handover.another')}
          </Button>
        </EmptyState>
      );
    }
    return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  }
  if (q.data.kind !== 'pickup' || q.data.status !== 'ready_for_pickup') {
    return (
      <EmptyState title={t('handover.notReady', { number: q.data.orderNumber, status: t(`fulfillmentStatus.${q.data.status}`, { ns: 'common' }) })}>
        <Button size="lg" variant="light" onClick={onCancel}>
          {t('handover.another')}
        </Button>
      </EmptyState>
    );
  }
  return <CodeForm f={q.data} timeZone={timeZone} onCollected={onDone} onCancel={onCancel} />;
}

function ReadyList({ onSelect }: { onSelect(id: string): void }) {
  const { t } = useTranslation('store');
  const fmt = useFormat();
  const { locationId, location } = useStoreLocation();
  const [search, setSearch] = useState('');
  const [submitted, setSubmitted] = useState('');
  const ready = useQuery({
    queryKey: [...QUEUE_KEY, 'ready', locationId],
    queryFn: ({ signal }) => api.get<Page<Fulfillment>>('/v1/fulfillments', { locationId, kind: 'pickup', status: 'ready_for_pickup', limit: 500 }, signal),
    refetchInterval: 30_000,
  });
  const items = (ready.data?.items ?? []).filter((f) => matches(f, search));
  // Not among the ready ones: an order number may still be in preparation here; say so instead of "nothing".
  const elsewhere = useQuery({
    queryKey: [...QUEUE_KEY, 'handover-lookup', locationId, submitted],
    queryFn: ({ signal }) => api.get<Page<Fulfillment>>('/v1/fulfillments', { locationId, kind: 'pickup', orderId: submitted, limit: 5 }, signal),
    enabled: submitted.length >= 3 && items.length === 0,
  });
  const pending = elsewhere.data?.items.find((f) => f.status !== 'ready_for_pickup');

  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(search.trim());
        }}
      >
        <TextInput
          size="xl"
          type="search"
          label={t('handover.search')}
          leftSection={<IconSearch aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          autoComplete="off"
          enterKeyHint="search"
        />
      </form>
      <Title order={3}>{t('handover.readyList')}</Title>
      {ready.isPending ? (
        <Loading />
      ) : ready.isError ? (
        <ErrorAlert error={ready.error} onRetry={() => void ready.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={search.trim() ? t('handover.noMatch', { q: search.trim() }) : t('handover.empty')}>
          {pending && submitted === search.trim() && (
            <Text ta="center">{t('handover.notReady', { number: pending.orderNumber, status: t(`fulfillmentStatus.${pending.status}`, { ns: 'common' }) })}</Text>
          )}
        </EmptyState>
      ) : (
        items.map((f) => (
          <Card key={f.id} withBorder radius="md" padding="md" component="button" type="button" onClick={() => onSelect(f.id)} style={{ textAlign: 'left', width: '100%' }}>
            <Stack gap={4}>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={700} size="lg">
                  {f.orderNumber}
                </Text>
                <KindBadge f={f} size="md" />
              </Group>
              <Text fw={500}>{f.customer.name ?? f.customer.email ?? '—'}</Text>
              <Text size="sm" c="dimmed">
                {t('queue.units', { count: unitsOf(f) })}
                {f.holdUntil ? ` · ${t('handover.keptUntil', { date: fmt.date(f.holdUntil, location.timeZone) })}` : ''}
              </Text>
            </Stack>
          </Card>
        ))
      )}
    </Stack>
  );
}
