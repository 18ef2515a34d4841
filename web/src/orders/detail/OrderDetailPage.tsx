import { Anchor, Badge, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { useFormat } from '../../format';
import { ErrorAlert, Loading, PageHeader } from '../../ui/feedback';
import { useLocationNames, useOrder, useOrderParts } from './api';
import { OrderStatusBadge } from './badges';
import { CancelDialog, cancellableLines } from './CancelDialog';
import { NotificationsCard, ReturnsCard } from './CommsCards';
import { AddressDialog, PickupDialog } from './DeliveryDialogs';
import { FulfillmentsCard } from './FulfillmentsCard';
import { LinesCard } from './LinesCard';
import { SourcingCard } from './SourcingCard';
import { TimelineCard } from './TimelineCard';
import type { Order, TimelineEntry } from './types';

/** /bo/orders/:id (id or number): everything about one order, and what customer service and ops may do to it. */
export function OrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('orderDetail');
  const order = useOrder(id);
  return (
    <>
      <Anchor component={Link} to="/bo/orders" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {t('backToList')}
      </Anchor>
      {order.isPending && <Loading />}
      {order.error && <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />}
      {order.data && <OrderContent order={order.data} />}
    </>
  );
}

const BEFORE_FULFILLMENT = new Set(['pending', 'backordered', 'allocated']);
type Dialog = 'cancelOrder' | 'cancelLines' | 'address' | 'pickup' | null;

function OrderContent({ order }: { order: Order }) {
  const { t } = useTranslation('orderDetail');
  const session = useSession();
  const parts = useOrderParts(order.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const decisions = parts.sourcing.data?.items ?? [];
  const fulfillments = parts.fulfillments.data?.items ?? [];
  const name = useLocationNames([
    ...order.lines.flatMap((l) => l.allocations.map((a) => a.locationId)),
    ...fulfillments.flatMap((f) => [f.locationId, ...(f.destinationLocationId ? [f.destinationLocationId] : [])]),
    ...decisions.flatMap((d) => [...d.chosen.shipments.map((s) => s.locationId), ...d.alternatives.flatMap((a) => a.locationIds), ...d.excluded.map((e) => e.locationId)]),
    ...(order.delivery.pickupLocationId ? [order.delivery.pickupLocationId] : []),
    ...(order.origin ? [order.origin.storeId] : []),
  ]);
  const role = session?.user.role;
  const mayReroute = role === 'admin' || role === 'ops';
  const live = order.lines.filter((l) => l.status !== 'cancelled');
  const beforeFulfillment = live.length > 0 && live.every((l) => BEFORE_FULFILLMENT.has(l.status));
  const cancellable = cancellableLines(order);
  const isPickup = order.delivery.method === 'pickup' || order.delivery.method === 'reserve_and_collect';
  return (
    <Stack gap="md">
      <PageHeader title={t('title', { number: order.number })}>
        {order.delivery.method === 'ship' && beforeFulfillment && (
          <Button variant="default" onClick={() => setDialog('address')}>
            {t('address.button')}
          </Button>
        )}
        {isPickup && beforeFulfillment && (
          <Button variant="default" onClick={() => setDialog('pickup')}>
            {t('pickup.button')}
          </Button>
        )}
        {cancellable.length > 0 && order.lines.length > 1 && (
          <Button variant="light" color="red" onClick={() => setDialog('cancelLines')}>
            {t('cancel.buttonLines')}
          </Button>
        )}
        {cancellable.length > 0 && (
          <Button color="red" onClick={() => setDialog('cancelOrder')}>
            {t('cancel.buttonOrder')}
          </Button>
        )}
      </PageHeader>
      <Summary order={order} name={name} timeline={parts.timeline.data?.items ?? []} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <LinesCard order={order} name={name} />
            {parts.sourcing.error ? <ErrorAlert error={parts.sourcing.error} onRetry={() => void parts.sourcing.refetch()} /> : parts.sourcing.isPending ? <Loading /> : <SourcingCard decisions={decisions} name={name} />}
            {parts.fulfillments.error ? (
              <ErrorAlert error={parts.fulfillments.error} onRetry={() => void parts.fulfillments.refetch()} />
            ) : parts.fulfillments.isPending ? (
              <Loading />
            ) : (
              <FulfillmentsCard fulfillments={fulfillments} orderLineIds={new Set(order.lines.map((l) => l.id))} name={name} mayReroute={mayReroute} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {parts.timeline.error ? (
              <ErrorAlert error={parts.timeline.error} onRetry={() => void parts.timeline.refetch()} />
            ) : parts.timeline.isPending ? (
              <Loading />
            ) : (
              <TimelineCard entries={parts.timeline.data?.items ?? []} currency={order.currency} name={name} />
            )}
            {parts.sent.error ? <ErrorAlert error={parts.sent.error} /> : parts.sent.isPending ? <Loading /> : <NotificationsCard items={parts.sent.data?.items ?? []} />}
            {parts.returns.error ? <ErrorAlert error={parts.returns.error} /> : parts.returns.isPending ? <Loading /> : <ReturnsCard items={parts.returns.data?.items ?? []} />}
          </Stack>
        </Grid.Col>
      </Grid>
      {(dialog === 'cancelOrder' || dialog === 'cancelLines') && <CancelDialog order={order} whole={dialog === 'cancelOrder'} onClose={() => setDialog(null)} />}
      {dialog === 'address' && <AddressDialog order={order} onClose={() => setDialog(null)} />}
      {dialog === 'pickup' && <PickupDialog order={order} currentName={name(order.delivery.pickupLocationId ?? '')} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

/** The latest SLA assessment the watch wrote in the timeline (on track, at risk, late) and its estimate. */
function slaOf(timeline: TimelineEntry[]): { state: string; etaLatest?: string } | undefined {
  const last = [...timeline].reverse().find((e) => e.event === 'order.at_risk' || e.event === 'order.delayed' || e.event === 'order.back_on_track');
  if (!last?.statusTo) return undefined;
  return { state: last.statusTo, etaLatest: (last.details.eta as { latest?: string } | undefined)?.latest };
}

const SLA_COLOR: Record<string, string> = { on_track: 'green', at_risk: 'orange', delayed: 'red' };

/** Status, channel, method, dates, customer, delivery and promise at a glance. */
function Summary({ order, name, timeline }: { order: Order; name: (id: string) => string; timeline: TimelineEntry[] }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  const sla = slaOf(timeline);
  const address = order.delivery.address;
  const email = order.customer.email;
  return (
    <Card withBorder padding="lg" component="section" aria-label={t('summary')}>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
          <Stack gap={6}>
            <Group gap="xs">
              <OrderStatusBadge status={order.status} size="lg" />
              <Badge variant="outline" color="gray">
                {t(`common:channel.${order.channelType}`, { defaultValue: order.channel })}
                {order.channel !== order.channelType ? ` · ${order.channel}` : ''}
              </Badge>
            </Group>
            <Text size="sm">{t('createdAt', { date: f.dateTime(order.createdAt) })}</Text>
            <Text size="sm">{t('updatedAt', { date: f.dateTime(order.updatedAt) })}</Text>
            {order.cancelledAt && <Text size="sm" c="red">{t('cancelledAt', { date: f.dateTime(order.cancelledAt), reason: t(`cancel.reasons.${order.cancelReason ?? 'other'}`, { defaultValue: order.cancelReason ?? '' }) })}</Text>}
            {order.externalId && <Text size="sm">{t('externalId', { id: order.externalId })}</Text>}
            {order.origin && <Text size="sm">{t('origin', { store: name(order.origin.storeId), associate: order.origin.associate ?? '—' })}</Text>}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
          <Stack gap={6}>
            <Title order={3} size="h5">
              {t('customer.title')}
            </Title>
            <Text size="sm">{order.customer.name ?? '—'}</Text>
            {email && <Text size="sm">{email}</Text>}
            {order.customer.phone && <Text size="sm">{order.customer.phone}</Text>}
            {email && (
              <Anchor component={Link} to={`/bo/orders?email=${encodeURIComponent(email)}`} size="sm">
                {t('customer.otherOrders')}
              </Anchor>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
          <Stack gap={6}>
            <Title order={3} size="h5">
              {t('delivery.title')}
            </Title>
            <Text size="sm" fw={500}>
              {t(`common:method.${order.delivery.method}`)}
              {order.delivery.service ? ` · ${t(`common:service.${order.delivery.service}`, { defaultValue: order.delivery.service })}` : ''}
            </Text>
            {address && (
              <Text size="sm" data-testid="delivery-address">
                {[address.name, address.line1, address.line2, [address.postalCode, address.city].filter(Boolean).join(' '), address.country].filter(Boolean).join(', ')}
              </Text>
            )}
            {order.delivery.pickupLocationId && <Text size="sm">{t('delivery.pickupAt', { store: name(order.delivery.pickupLocationId) })}</Text>}
            {order.promise ? (
              <Text size="sm">{t('promise.window', { earliest: f.date(order.promise.earliest), latest: f.date(order.promise.latest), confidence: f.percent(order.promise.confidence) })}</Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('promise.none')}
              </Text>
            )}
            {sla && (
              <Group gap="xs">
                <Badge color={SLA_COLOR[sla.state] ?? 'gray'} variant="light">
                  {t(`promise.sla.${sla.state}`, { defaultValue: sla.state })}
                </Badge>
                {sla.etaLatest && <Text size="sm">{t('promise.eta', { date: f.date(sla.etaLatest) })}</Text>}
              </Group>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Card>
  );
}
