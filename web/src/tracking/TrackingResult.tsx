import { Alert, Badge, Button, Card, Group, Stack, Stepper, Text, Timeline, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconExternalLink, IconTruckDelivery } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { PickupCard } from './PickupCard';
import { activeStep, headlineKey, isPickup, lineStatusKey, stepsOf } from './progress';
import type { TrackingView } from './types';

const STATUS_COLOR: Record<string, string> = { cancelled: 'red', backordered: 'orange', ready_for_pickup: 'teal', delivered: 'green', collected: 'green' };

/** Everything the customer may know about the order, most useful first: status, dates, pickup code, parcels. */
export function TrackingResult({ view }: { view: TrackingView }) {
  const { t } = useTranslation('tracking');
  const f = useFormat();
  const headline = headlineKey(view);
  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="xs">
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
            <Title order={1} size="h2">
              {t('order', { number: view.orderNumber })}
            </Title>
            <Badge size="xl" variant="light" color={STATUS_COLOR[headline] ?? 'indigo'} data-testid="tracking-status">
              {t(`headline.${headline}`)}
            </Badge>
          </Group>
          <Text c="dimmed">{t('placedOn', { date: f.date(view.placedAt) })}</Text>
        </Stack>
        {view.status === 'cancelled' && (
          <Alert mt="md" color="red" icon={<IconAlertTriangle />}>
            {t('cancelledNote')}
          </Alert>
        )}
      </Card>
      {/* The pickup code first: it is what the customer opens the page for at the store's counter. */}
      {view.pickup?.ready && <PickupCard pickup={view.pickup} />}
      {view.status !== 'cancelled' && (
        <Card withBorder radius="md" padding="lg">
          <Progress view={view} />
        </Card>
      )}
      {view.status !== 'cancelled' && <Dates view={view} />}
      {view.pickup && !view.pickup.ready && <PickupCard pickup={view.pickup} />}
      {view.shipments.length > 0 && <Shipments view={view} />}
      <Items view={view} />
      <History view={view} />
    </Stack>
  );
}

function Progress({ view }: { view: TrackingView }) {
  const { t } = useTranslation('tracking');
  const f = useFormat();
  const narrow = useMediaQuery('(max-width: 36em)');
  return (
    <Stepper active={activeStep(view)} orientation={narrow ? 'vertical' : 'horizontal'} size="sm" allowNextStepsSelect={false} aria-label={t('steps.label')}>
      {stepsOf(view).map((s) => (
        <Stepper.Step key={s.key} label={t(`steps.${s.key}`)} description={s.at ? f.date(s.at) : undefined} />
      ))}
    </Stepper>
  );
}

/** "Wednesday 25 November", in the visitor's language and the zone the date is lived in. */
function useDay() {
  const f = useFormat();
  return (iso: string, timeZone?: string) => new Intl.DateTimeFormat(f.locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(new Date(iso));
}

function Dates({ view }: { view: TrackingView }) {
  const { t } = useTranslation('tracking');
  const { t: common } = useTranslation();
  const day = useDay();
  const f = useFormat();
  const pickup = isPickup(view);
  const zone = view.pickup?.store.timeZone;
  const range = (w: { earliest: string; latest: string }) => {
    const [a, b] = [day(w.earliest), day(w.latest)];
    return a === b ? a : `${a} – ${b}`;
  };
  const when = (w: { earliest: string; latest: string }) => (pickup ? f.dateTime(w.earliest, zone) : range(w));
  const destination = view.delivery.destination;
  const method = [common(`method.${view.delivery.method}`), view.delivery.service ? common(`service.${view.delivery.service}`, { defaultValue: view.delivery.service }) : null].filter(Boolean).join(' · ');
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('dates.title')}
        </Title>
        {view.eta && (
          <div>
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {t(pickup ? 'dates.expectedReady' : 'dates.expectedDelivery')}
              </Text>
              {view.eta.delayed && (
                <Badge color="orange" variant="light">
                  {t('dates.delayed')}
                </Badge>
              )}
            </Group>
            <Text size="xl" fw={700} data-testid="tracking-eta">
              {when(view.eta)}
            </Text>
            {view.eta.delayed && (
              <Text size="sm" c="orange.8">
                {t('dates.delayedNote')}
              </Text>
            )}
          </div>
        )}
        {/* The promise again only beside a later estimate; once settled, the history says when. */}
        {view.promise && view.eta?.delayed && (
          <Fact label={t(pickup ? 'dates.promisedReady' : 'dates.promisedDelivery')}>
            <Text td="line-through">{when(view.promise)}</Text>
          </Fact>
        )}
        <Group gap="xl" wrap="wrap">
          <Fact label={t('dates.method')}>
            <Text>{method}</Text>
          </Fact>
          {destination && (
            <Fact label={t('dates.deliverTo')}>
              <Text>{[destination.postalCode, destination.city].filter(Boolean).join(' ')}</Text>
            </Fact>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** A small label over its value. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      {children}
    </div>
  );
}

function Shipments({ view }: { view: TrackingView }) {
  const { t } = useTranslation('tracking');
  const f = useFormat();
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('shipments.title')}
      </Title>
      {view.shipments.map((s) => (
        <Card key={s.trackingNumber} withBorder radius="md" padding="lg" data-testid="tracking-shipment">
          <Stack gap="sm">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Group gap="xs" wrap="nowrap">
                <IconTruckDelivery aria-hidden stroke={1.6} />
                <Text fw={600}>{s.carrier}</Text>
              </Group>
              <Text size="sm" c="dimmed">
                {t('shipments.parcels', { count: s.parcels })}
              </Text>
            </Group>
            <Fact label={t('shipments.trackingNumber')}>
              <Text size="lg" ff="monospace" fw={600} style={{ wordBreak: 'break-all' }}>
                {s.trackingNumber}
              </Text>
            </Fact>
            <Text size="sm">
              {t('shipments.shippedOn', { date: f.dateTime(s.shippedAt) })}
              {s.deliveredAt && ` · ${t('shipments.deliveredOn', { date: f.dateTime(s.deliveredAt) })}`}
            </Text>
            {s.items.length > 0 && (
              <Text size="sm" c="dimmed">
                {t('shipments.contents', { items: s.items.map((i) => `${i.quantity} × ${i.name}`).join(', ') })}
              </Text>
            )}
            {s.trackingUrl && (
              <Button component="a" href={s.trackingUrl} target="_blank" rel="noopener noreferrer" size="lg" variant="light" rightSection={<IconExternalLink size={18} />}>
                {t('shipments.track', { carrier: s.carrier })}
              </Button>
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function Items({ view }: { view: TrackingView }) {
  const { t } = useTranslation('tracking');
  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={2} size="h4" mb="sm">
        {t('items.title')}
      </Title>
      <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {view.lines.map((l, i) => (
          <Group key={i} component="li" justify="space-between" wrap="nowrap" gap="sm">
            <Text>
              {l.quantity} × {l.name}
              {l.cancelledQuantity > 0 && l.status !== 'cancelled' && (
                <Text span c="dimmed" size="sm">
                  {' '}
                  ({t('items.cancelled', { count: l.cancelledQuantity })})
                </Text>
              )}
            </Text>
            <Badge variant="outline" color={l.status === 'cancelled' ? 'red' : 'gray'} style={{ flexShrink: 0 }}>
              {t(`items.status.${lineStatusKey(view, l.status)}`)}
            </Badge>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

function History({ view }: { view: TrackingView }) {
  const { t } = useTranslation('tracking');
  const f = useFormat();
  const steps = [...view.history].reverse();
  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={2} size="h4" mb="md">
        {t('history.title')}
      </Title>
      <Timeline active={0} bulletSize={14} lineWidth={2}>
        {steps.map((h, i) => (
          <Timeline.Item key={`${h.step}-${i}`} title={t(`history.${h.step}`)} color={h.step === 'delayed' ? 'orange' : h.step === 'cancelled' ? 'red' : undefined}>
            <Text size="sm" c="dimmed">
              {f.dateTime(h.at)}
              {h.trackingNumber && ` · ${h.trackingNumber}`}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}
