import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../api/client';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { PageHeader } from '../../ui/feedback';
import { CounterError, Section } from '../shared';
import { ReturnForm, type ReturnRequest } from './ReturnForm';
import type { Returnable, ReturnView } from './types';

/** The body of POST /v1/returns for units brought back to this store's counter. */
function returnBody(order: Returnable, r: ReturnRequest, storeId: string) {
  const lines = order.lines.filter((l) => (r.choices[l.lineId]?.quantity ?? 0) > 0);
  return {
    orderId: order.orderId,
    lines: lines.map((l) => ({ lineId: l.lineId, quantity: r.choices[l.lineId]!.quantity, reason: r.choices[l.lineId]!.reason! })),
    destination: { kind: 'store', locationId: storeId },
    resolution: r.resolution,
    ...(r.resolution === 'exchange'
      ? {
          exchange: {
            lines: lines.map((l) => ({ sku: r.choices[l.lineId]!.replacementSku || l.sku, quantity: r.choices[l.lineId]!.quantity })),
            ...(r.exchangeHere ? { delivery: { method: 'pickup', pickupLocationId: storeId } } : {}),
            payment: { provider: 'manual' },
          },
        }
      : {}),
  };
}

/**
 * A return at the counter, for any order (web ones too): find it by number and the customer's e-mail,
 * choose units, reasons and conditions, then in one go: the return is created for this store, received
 * at once (resellable units are on the shelf here straight away) and settled at the counter. Each call
 * carries a key derived from one submission key, so a retry after a failure resumes without doubling.
 */
export function CounterReturnPage() {
  const { t } = useTranslation('counter');
  const { locationId } = useStoreLocation();
  const [number, setNumber] = useState('');
  const [email, setEmail] = useState('');
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const find = useMutation({
    mutationFn: () => api.get<Returnable>(`/v1/orders/${encodeURIComponent(number.trim())}/returnable`, { email: email.trim() || undefined }),
  });
  const take = useMutation({
    mutationFn: async (r: ReturnRequest) => {
      const order = find.data!;
      const body = returnBody(order, r, locationId);
      const json = JSON.stringify(body);
      if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
      const key = attempt.current.key;
      let ret = await api.post<ReturnView>('/v1/returns', body, { idempotencyKey: `${key}:request` });
      if (ret.status === 'requested') {
        const lines = ret.lines.map((l) => ({ lineId: l.id, condition: r.choices[l.orderLineId]?.condition ?? 'resellable', quantity: l.quantity }));
        ret = await api.post<ReturnView>(`/v1/returns/${ret.id}/receive`, { lines }, { idempotencyKey: `${key}:receive` });
      }
      // Settled on receipt when the policy says so; otherwise the counter settles it now.
      if (ret.status === 'received') ret = await api.post<ReturnView>(`/v1/returns/${ret.id}/refund`, {}, { idempotencyKey: `${key}:refund` });
      return ret;
    },
  });

  const startOver = () => {
    setNumber('');
    setEmail('');
    attempt.current = null;
    find.reset();
    take.reset();
    window.scrollTo(0, 0);
  };

  if (take.data) return <ReturnDone ret={take.data} onNext={startOver} />;

  const submitFind = (e: FormEvent) => {
    e.preventDefault();
    if (number.trim()) find.mutate();
  };
  return (
    <Stack gap="md" pb="md">
      <PageHeader title={t('returns.title')} />
      {!find.data ? (
        <Section title={t('returns.findTitle')}>
          <Stack component="form" onSubmit={submitFind} gap="sm">
            <TextInput label={t('returns.orderNumber')} placeholder="ORD-2026-000123" size="lg" ff="monospace" autoCapitalize="characters" autoComplete="off" required value={number} onChange={(e) => setNumber(e.currentTarget.value)} />
            <TextInput label={t('returns.customerEmail')} description={t('returns.customerEmailHint')} type="email" inputMode="email" size="lg" autoComplete="off" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            {find.isError && <CounterError error={find.error} />}
            <Button type="submit" size="xl" fullWidth loading={find.isPending}>
              {t('returns.find')}
            </Button>
          </Stack>
        </Section>
      ) : (
        <>
          <ReturnForm key={find.data.orderId} order={find.data} busy={take.isPending} onSubmit={(r) => take.mutate(r)} onCancel={startOver} />
          {take.isError && <CounterError error={take.error} />}
        </>
      )}
    </Stack>
  );
}

function ReturnDone({ ret, onNext }: { ret: ReturnView; onNext(): void }) {
  const { t } = useTranslation('counter');
  const fmt = useFormat();
  const money = (minor: number) => fmt.money(minor, ret.currency);
  const resellable = ret.lines.reduce((s, l) => s + (l.resellable ?? 0), 0);
  const damaged = ret.lines.reduce((s, l) => s + (l.damaged ?? 0), 0);
  const refunded = ret.amounts.refundMinor + ret.amounts.shippingRefundMinor;
  return (
    <Stack gap="md" pb="md">
      <Alert color="green" icon={<IconCircleCheck />} title={t('returns.doneTitle')} role="status">
        {t(`returns.status.${ret.status}`)}
      </Alert>
      <Section title={t('returns.returnNumber')}>
        <Title order={2} ff="monospace" data-testid="return-number">
          {ret.number}
        </Title>
        <Text size="sm" c="dimmed">
          {t('returns.forOrder', { number: ret.orderNumber })}
        </Text>
      </Section>
      <Section title={t('returns.money')}>
        {refunded > 0 && (
          <Group justify="space-between">
            <Text>{t('returns.refunded')}</Text>
            <Text fw={700} data-testid="refunded">
              {money(refunded)}
            </Text>
          </Group>
        )}
        {ret.amounts.creditMinor > 0 && (
          <Group justify="space-between">
            <Text>{t('returns.credited')}</Text>
            <Text fw={700}>{money(ret.amounts.creditMinor)}</Text>
          </Group>
        )}
        {ret.exchange && (
          <Group justify="space-between">
            <Text>{t('returns.exchangeCredit')}</Text>
            <Text fw={700}>{money(ret.exchange.creditMinor)}</Text>
          </Group>
        )}
        {ret.amounts.chargedMinor > 0 && (
          <Group justify="space-between">
            <Text>{t('returns.charged')}</Text>
            <Text fw={700}>{money(ret.amounts.chargedMinor)}</Text>
          </Group>
        )}
        {refunded === 0 && ret.amounts.creditMinor === 0 && !ret.exchange && <Text>{t('returns.nothingOwed')}</Text>}
        {ret.amounts.unsettledMinor > 0 && (
          <Alert color="orange" role="alert">
            {t('returns.unsettled', { amount: money(ret.amounts.unsettledMinor) })}
          </Alert>
        )}
      </Section>
      <Section title={t('returns.stock')}>
        <Text data-testid="return-stock">{t('returns.stockBack', { resellable, damaged })}</Text>
      </Section>
      <Button size="xl" fullWidth onClick={onNext}>
        {t('returns.next')}
      </Button>
    </Stack>
  );
}
