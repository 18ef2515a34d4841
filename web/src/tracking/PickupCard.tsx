import { Alert, Card, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconBuildingStore, IconClock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import type { Hours, TrackingView, Weekday } from './types';

const WEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Today's weekday where the store is (its hours are local to it). */
function weekdayIn(timeZone: string): Weekday {
  const name = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(new Date()).toLowerCase().slice(0, 3);
  return (WEEK.find((d) => d === name) ?? 'mon') as Weekday;
}

/**
 * The store to collect from: once the order waits there, the pickup code big enough to show from a phone
 * across a counter, and the last moment to come; always its address and opening hours.
 */
export function PickupCard({ pickup }: { pickup: NonNullable<TrackingView['pickup']> }) {
  const { t } = useTranslation('tracking');
  const f = useFormat();
  const { store } = pickup;
  const zone = store.timeZone;
  const hoursText = (h: Hours) => (h.length === 0 ? t('pickup.closed') : h.map((i) => `${i.open} – ${i.close}`).join(', '));
  const today = weekdayIn(zone);
  const address = [store.address.line1, store.address.line2, [store.address.postalCode, store.address.city].filter(Boolean).join(' ')].filter(Boolean);
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="md">
        {pickup.ready && pickup.code && (
          <Paper bg="indigo.0" p="lg" radius="md" ta="center" data-testid="pickup-code">
            <Text fw={600}>{t('pickup.code')}</Text>
            <Text component="p" m={0} fz={48} fw={800} ff="monospace" lh={1.2} style={{ letterSpacing: '0.15em' }} aria-label={`${t('pickup.code')} ${pickup.code.split('').join(' ')}`}>
              {pickup.code}
            </Text>
            <Text size="sm">{t('pickup.codeHint')}</Text>
            {pickup.holdUntil && (
              <Text fw={700} mt="xs" c="indigo.9">
                {t('pickup.holdUntil', { date: f.dateTime(pickup.holdUntil, zone) })}
              </Text>
            )}
          </Paper>
        )}
        {!pickup.ready && !pickup.collectedAt && (
          <Alert color="indigo" variant="light" icon={<IconClock />}>
            {t('pickup.notReady')}
          </Alert>
        )}
        {pickup.collectedAt && <Text>{t('pickup.collectedOn', { date: f.dateTime(pickup.collectedAt, zone) })}</Text>}
        <div>
          <Group gap="xs" mb={4} wrap="nowrap">
            <IconBuildingStore aria-hidden stroke={1.6} />
            <Title order={2} size="h4">
              {t('pickup.title')}
            </Title>
          </Group>
          <Text fw={600} size="lg" data-testid="pickup-store">
            {store.name}
          </Text>
          {address.map((line) => (
            <Text key={line}>{line}</Text>
          ))}
        </div>
        <div>
          <Text fw={600} mb={4}>
            {t('pickup.hours')}
          </Text>
          <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={0}>
            <Table.Tbody>
              {WEEK.map((d) => (
                <Table.Tr key={d} fw={d === today ? 700 : undefined}>
                  <Table.Td>{t(`weekdays.${d}`)}</Table.Td>
                  <Table.Td ta="right">{hoursText(store.openingHours[d])}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        {store.exceptions.length > 0 && (
          <div>
            <Text fw={600} mb={4}>
              {t('pickup.exceptions')}
            </Text>
            {store.exceptions.map((e) => (
              <Group key={e.date} justify="space-between">
                <Text>{f.date(`${e.date}T12:00:00Z`, zone)}</Text>
                <Text>{hoursText(e.hours)}</Text>
              </Group>
            ))}
          </div>
        )}
      </Stack>
    </Card>
  );
}
