import { Alert, Anchor, Button, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconBuildingWarehouse, IconHandStop, IconInfoCircle, IconPackageExport, IconPackageImport } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { EmptyState, ErrorAlert, Loading } from '../../ui/feedback';
import { ItemRow, KindBadge, PriorityBadge, StatusBadge } from '../parts';
import { useFulfillment, useStep, useStoreErrorText, type StepName } from '../fulfillment-api';
import type { Fulfillment } from '../types';
import { PackPanel } from './PackPanel';
import { PickPanel } from './PickPanel';
import { RejectButton } from './RejectButton';
import { LabelButton, ShipPanel } from './ShipPanel';

const ENDED = new Set<Fulfillment['status']>(['delivered', 'collected', 'received', 'rejected', 'cancelled']);

/** /store/fulfillments/:id — the work on one fulfillment, one big primary action per status. */
export function FulfillmentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('store');
  const q = useFulfillment(id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    // Another store's fulfillment does not exist for this user (the API answers 404, never 403).
    if (q.error instanceof ApiError && q.error.status === 404) {
      return (
        <EmptyState title={t('fulfillment.notFound')}>
          <Button component={Link} to="/store" size="lg" variant="light">
            {t('fulfillment.backToQueue')}
          </Button>
        </EmptyState>
      );
    }
    return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  }
  return <FulfillmentWork f={q.data} />;
}

/** What the associate reads first: the next thing to do and what follows. */
function nextKey(f: Fulfillment, atLocation: boolean, atDestination: boolean): string {
  if (ENDED.has(f.status)) return `next.${f.status}`;
  if (!atLocation) return atDestination && f.status === 'shipped' ? 'next.receive' : atDestination ? 'next.transferComing' : 'next.elsewhere';
  if (f.status === 'picked') return f.kind === 'pickup' ? 'next.pickedPickup' : 'next.picked';
  if (f.status === 'shipped') return f.kind === 'transfer' ? 'next.shippedTransfer' : 'next.shipped';
  return `next.${f.status}`;
}

function FulfillmentWork({ f }: { f: Fulfillment }) {
  const { t } = useTranslation('store');
  const fmt = useFormat();
  const errorText = useStoreErrorText();
  const { locationId, location, choices } = useStoreLocation();
  const step = useStep(f.id);
  const tz = location.timeZone;
  const atLocation = f.locationId === locationId;
  const atDestination = f.destinationLocationId === locationId;
  const busy = step.isPending;
  const run = (name: StepName, body?: unknown, done = `done.${name}`) =>
    step.mutate({ step: name, body }, { onSuccess: () => notifications.show({ color: 'green', message: t(done), autoClose: 2500 }) });
  const storeName = (id: string | null) => choices.find((c) => c.value === id)?.label ?? id;

  let action: ReactNode = null;
  if (atLocation && f.status === 'pending') {
    action = (
      <Stack gap="sm">
        <Button size="xl" fullWidth onClick={() => run('accept')} loading={busy}>
          {t('actions.accept')}
        </Button>
        <RejectButton busy={busy} onReject={(body) => run('reject', body)} />
      </Stack>
    );
  } else if (atLocation && f.status === 'accepted') {
    action = (
      <PickPanel
        key={f.id + f.lines.map((l) => l.id).join()}
        f={f}
        busy={busy}
        onPick={(body, short) => run('pick', body, short ? 'done.shortPick' : 'done.pick')}
      />
    );
  } else if (atLocation && f.status === 'picked' && f.kind === 'pickup') {
    action = (
      <Button size="xl" fullWidth onClick={() => run('ready-for-pickup')} loading={busy}>
        {t('actions.ready')}
      </Button>
    );
  } else if (atLocation && f.status === 'picked') {
    action = <PackPanel f={f} busy={busy} onPack={(body) => run('pack', body)} />;
  } else if (atLocation && f.status === 'packed') {
    action = <ShipPanel f={f} busy={busy} onShip={(body) => run('ship', body)} />;
  } else if (atLocation && f.status === 'shipped') {
    action = <LabelButton f={f} />;
  } else if (atDestination && f.kind === 'transfer' && f.status === 'shipped') {
    action = (
      <Button size="xl" fullWidth leftSection={<IconPackageImport />} onClick={() => run('receive')} loading={busy}>
        {t('actions.receive')}
      </Button>
    );
  } else if (atLocation && f.status === 'ready_for_pickup') {
    action = (
      <Button component={Link} to={`/store/handover?fulfillment=${f.id}`} size="xl" fullWidth leftSection={<IconHandStop />}>
        {t('actions.handover')}
      </Button>
    );
  } else if (f.parcelCarriedBy) {
    action = (
      <Button component={Link} to={`/store/fulfillments/${f.parcelCarriedBy.fulfillmentId}`} size="xl" fullWidth leftSection={<IconPackageExport />}>
        {t('actions.openParcelCarrier', { number: f.parcelCarriedBy.orderNumber })}
      </Button>
    );
  } else if (atDestination && f.kind === 'transfer' && f.pickupFulfillmentId) {
    action = (
      <Button component={Link} to={`/store/fulfillments/${f.pickupFulfillmentId}`} size="lg" fullWidth variant="light">
        {t('actions.openPickup')}
      </Button>
    );
  }

  const picking = atLocation && f.status === 'accepted';
  const facts = (
    <Paper withBorder p="sm" radius="md">
      <Stack gap={6}>
        <Fact label={t('fulfillment.customer')}>
          {f.customer.name ?? f.customer.email ?? '—'}
          {f.customer.phone && (
            <>
              {' · '}
              <Anchor href={`tel:${f.customer.phone.replace(/[^+\d]/g, '')}`}>{f.customer.phone}</Anchor>
            </>
          )}
        </Fact>
        {f.dueAt && !ENDED.has(f.status) && <Fact label={f.kind === 'pickup' ? t('fulfillment.readyBy') : t('fulfillment.leaveBy')}>{fmt.dateTime(f.dueAt, tz)}</Fact>}
        {f.acceptBy && <Fact label={t('fulfillment.acceptBy')}>{fmt.dateTime(f.acceptBy, tz)}</Fact>}
        {f.holdUntil && f.status === 'ready_for_pickup' && <Fact label={t('fulfillment.holdUntil')}>{fmt.dateTime(f.holdUntil, tz)}</Fact>}
        {f.kind === 'ship' && f.shipTo && <Fact label={t('fulfillment.shipTo')}>{[f.shipTo.name, f.shipTo.postalCode, f.shipTo.city].filter(Boolean).join(' · ')}</Fact>}
        {f.kind === 'transfer' && (
          <Fact label={t('fulfillment.route')}>
            <IconBuildingWarehouse size={14} aria-hidden /> {storeName(f.locationId)} → {storeName(f.destinationLocationId)}
          </Fact>
        )}
        {f.shipment && (
          <Fact label={t('fulfillment.tracking')}>
            {f.shipment.carrierName} ·{' '}
            {f.shipment.trackingUrl ? (
              <Anchor href={f.shipment.trackingUrl} target="_blank" rel="noopener">
                {f.shipment.trackingNumber}
              </Anchor>
            ) : (
              f.shipment.trackingNumber
            )}
          </Fact>
        )}
      </Stack>
    </Paper>
  );
  const next = (
    <Alert color="blue" icon={<IconInfoCircle />} title={t('fulfillment.nextTitle')}>
      {f.parcelCarriedBy ? t('next.parcelCarried', { number: f.parcelCarriedBy.orderNumber }) : t(nextKey(f, atLocation, atDestination))}
    </Alert>
  );
  const stepError = step.isError && (
    <Alert color="red" icon={<IconAlertTriangle />} role="alert">
      {errorText(step.error)}
    </Alert>
  );

  return (
    <Stack gap="md" pb="xl">
      <Anchor component={Link} to="/store" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={16} aria-hidden />
          {t('fulfillment.backToQueue')}
        </Group>
      </Anchor>
      <Stack gap={4}>
        <Title order={2} style={{ wordBreak: 'break-all' }}>
          {f.orderNumber}
        </Title>
        <Text size="sm" c="dimmed">
          {f.number}
        </Text>
        <Group gap={6}>
          <KindBadge f={f} />
          <StatusBadge status={f.status} />
          {!ENDED.has(f.status) && f.status !== 'shipped' && f.status !== 'ready_for_pickup' && <PriorityBadge priority={f.priority} />}
        </Group>
      </Stack>

      {picking ? (
        <>
          {stepError}
          {action}
          {facts}
          {next}
          <Divider />
          <RejectButton busy={busy} onReject={(body) => run('reject', body)} />
        </>
      ) : (
        <>
          {facts}
          {next}
          {stepError}
          {action}
        </>
      )}

      {!picking && (
        <Stack gap="xs" component="section" aria-labelledby="lines-title">
          <Title order={3} id="lines-title">
            {t('fulfillment.items')}
          </Title>
          {f.lines.map((l) => (
            <ItemRow key={l.id} name={l.name} sku={l.sku}>
              <Stack gap={0} align="flex-end">
                <Text fw={700} size="lg">
                  × {l.quantity}
                </Text>
                {l.pickedQuantity !== null && l.pickedQuantity !== l.quantity && (
                  <Text size="sm" c="orange.8">
                    {t('fulfillment.pickedOf', { picked: l.pickedQuantity, quantity: l.quantity })}
                  </Text>
                )}
              </Stack>
            </ItemRow>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" miw={96}>
        {label}
      </Text>
      <Text size="sm" fw={500} style={{ minWidth: 0 }}>
        {children}
      </Text>
    </Group>
  );
}
