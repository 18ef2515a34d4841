import { Alert, Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconCash, IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useFormat } from '../../format';
import { ErrorAlert, Loading } from '../../ui/feedback';
import { KindBadge } from '../parts';
import { useStep, useStoreErrorText } from '../fulfillment-api';
import type { Fulfillment, OrderForHandover } from '../types';

/** What the units handed over are worth, as the API captures them: each line's share of its total, plus the delivery fee. */
function amountToTake(f: Fulfillment, order: OrderForHandover): number {
  let total = order.totals.shippingMinor;
  for (const l of f.lines.filter((x) => x.allocationStatus === 'reserved')) {
    const line = order.lines.find((o) => o.id === l.orderLineId);
    if (line && line.quantity > 0) total += Math.round((line.totalMinor * l.quantity) / line.quantity);
  }
  return total;
}

/**
 * The handover of one ready pickup: the 6-digit code the customer shows (wrong codes are counted by the
 * API and lock the handover after too many), and for reserve & collect the payment taken at the till.
 */
export function CodeForm({ f, timeZone, onCollected, onCancel }: { f: Fulfillment; timeZone: string; onCollected(f: Fulfillment): void; onCancel(): void }) {
  const { t } = useTranslation('store');
  const fmt = useFormat();
  const errorText = useStoreErrorText();
  const step = useStep(f.id);
  const [code, setCode] = useState('');
  const [paid, setPaid] = useState(false);
  const [receipt, setReceipt] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const payAtCounter = f.deliveryMethod === 'reserve_and_collect';
  const order = useQuery({
    queryKey: ['store', 'order', f.orderId],
    queryFn: ({ signal }) => api.get<OrderForHandover>(`/v1/orders/${encodeURIComponent(f.orderId)}`, undefined, signal),
    enabled: payAtCounter,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code) || (payAtCounter && !paid)) return;
    const payment = payAtCounter ? { payment: { provider: 'manual', ...(receipt.trim() ? { reference: receipt.trim() } : {}) } } : {};
    step.mutate(
      { step: 'collect', body: { code, ...payment } },
      {
        onSuccess: onCollected,
        onError: () => {
          setCode('');
          input.current?.focus();
        },
      },
    );
  };

  const error = step.error;
  let refusal: { text: string; locked: boolean } | null = null;
  if (error instanceof ApiError && error.code === 'pickup_code_invalid') {
    const left = (error.details as { attemptsLeft?: number } | undefined)?.attemptsLeft ?? 0;
    refusal = { text: t('handover.wrongCode', { count: left }), locked: false };
  } else if (error instanceof ApiError && error.code === 'pickup_code_locked') {
    const until = (error.details as { lockedUntil?: string } | undefined)?.lockedUntil;
    refusal = { text: t('handover.locked', { time: until ? fmt.time(until, timeZone) : '—' }), locked: true };
  } else if (error) refusal = { text: errorText(error), locked: false };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Stack gap={6}>
          <Group justify="space-between" wrap="nowrap">
            <Title order={3} style={{ wordBreak: 'break-all' }}>
              {f.orderNumber}
            </Title>
            <KindBadge f={f} size="md" />
          </Group>
          <Text fw={600} size="lg">
            {f.customer.name ?? f.customer.email ?? '—'}
          </Text>
          {f.customer.name && f.customer.email && (
            <Text size="sm" c="dimmed">
              {f.customer.email}
            </Text>
          )}
          {f.lines
            .filter((l) => l.allocationStatus === 'reserved')
            .map((l) => (
              <Text key={l.id} size="sm">
                {l.quantity} × {l.name}
              </Text>
            ))}
          {f.holdUntil && (
            <Text size="sm" c="dimmed">
              {t('handover.keptUntilLine', { date: fmt.dateTime(f.holdUntil, timeZone) })}
            </Text>
          )}
        </Stack>
      </Paper>

      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            ref={input}
            label={t('handover.code')}
            description={t('handover.codeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            size="xl"
            autoFocus
            disabled={refusal?.locked}
            styles={{ input: { fontSize: 36, letterSpacing: '0.4em', textAlign: 'center', height: 72, fontVariantNumeric: 'tabular-nums' } }}
          />
          {refusal && (
            <Alert color={refusal.locked ? 'orange' : 'red'} variant="filled" icon={refusal.locked ? <IconLock /> : <IconAlertTriangle />} role="alert">
              <Text fw={600}>{refusal.text}</Text>
            </Alert>
          )}

          {payAtCounter &&
            (order.isPending ? (
              <Loading />
            ) : order.isError ? (
              <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />
            ) : (
              <Paper withBorder p="md" radius="md" bg="var(--mantine-color-yellow-0)">
                <Stack gap="sm">
                  <Group gap="xs">
                    <IconCash aria-hidden />
                    <Title order={4}>{t('handover.payTitle')}</Title>
                  </Group>
                  <Text>{t('handover.payText', { amount: fmt.money(amountToTake(f, order.data), order.data.currency) })}</Text>
                  <TextInput size="lg" label={t('handover.receipt')} value={receipt} onChange={(e) => setReceipt(e.currentTarget.value)} maxLength={200} />
                  <Checkbox size="lg" label={t('handover.paid')} checked={paid} onChange={(e) => setPaid(e.currentTarget.checked)} />
                </Stack>
              </Paper>
            ))}

          <Button type="submit" size="xl" fullWidth loading={step.isPending} disabled={code.length !== 6 || (payAtCounter && !paid) || refusal?.locked}>
            {t('actions.handOver')}
          </Button>
          <Button size="lg" variant="default" fullWidth onClick={onCancel}>
            {t('handover.another')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
