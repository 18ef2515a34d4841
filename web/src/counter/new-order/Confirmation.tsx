import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconMail } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { Section } from '../shared';
import { deliveryWindow } from './DeliverySection';
import type { PlacedOrder } from './draft';

/** The order is taken: its number for the customer, when it arrives, what was paid, and the receipt. */
export function Confirmation({ order, pickupName, onNext }: { order: PlacedOrder; pickupName: string | null; onNext(): void }) {
  const { t } = useTranslation('counter');
  const { t: tc } = useTranslation();
  const fmt = useFormat();
  const paid = order.payments.reduce((s, p) => s + Math.max(p.capturedMinor, p.authorisedMinor), 0);
  const captured = order.payments.reduce((s, p) => s + p.capturedMinor, 0);
  const method = order.delivery.method;
  const option = order.promise?.option;
  let when: string;
  if (method === 'carry_out') when = t('confirm.takenNow');
  else if (!order.promise) when = t('confirm.noPromise');
  else if (method === 'ship' && option?.earliest && option.latest) when = deliveryWindow({ earliest: option.earliest, latest: option.latest }, fmt, t);
  else when = t('order.readyFrom', { when: fmt.dateTime(order.promise.earliest) });
  return (
    <Stack gap="md" pb="md">
      <Alert color="green" icon={<IconCircleCheck />} title={t('confirm.title')} role="status">
        {t('confirm.subtitle')}
      </Alert>
      <Section title={t('confirm.number')}>
        <Title order={2} ff="monospace" data-testid="order-number">
          {order.number}
        </Title>
        <Text>{tc(`orderStatus.${order.status}`, { defaultValue: order.status })}</Text>
      </Section>
      <Section title={tc(`method.${method}`, { defaultValue: method })}>
        {method === 'ship' && order.delivery.service && <Text fw={600}>{tc(`service.${order.delivery.service}`, { defaultValue: order.delivery.service })}</Text>}
        {method === 'pickup' && pickupName && <Text fw={600}>{pickupName}</Text>}
        <Text data-testid="promised-dates">{when}</Text>
      </Section>
      <Section title={t('confirm.payment')}>
        <Group justify="space-between">
          <Text>{t('confirm.total')}</Text>
          <Text fw={700}>{fmt.money(order.totals.totalMinor, order.currency)}</Text>
        </Group>
        <Text size="sm" c="dimmed">
          {captured > 0 ? t('confirm.captured', { amount: fmt.money(captured, order.currency) }) : t('confirm.authorised', { amount: fmt.money(paid, order.currency) })}
        </Text>
      </Section>
      {order.customer.email ? (
        <Alert icon={<IconMail />} color="blue">
          {t('confirm.receipt', { email: order.customer.email })}
        </Alert>
      ) : (
        <Alert color="gray">{t('confirm.noReceipt')}</Alert>
      )}
      <Button size="xl" fullWidth onClick={onNext}>
        {t('confirm.next')}
      </Button>
    </Stack>
  );
}
