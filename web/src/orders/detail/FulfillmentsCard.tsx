import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconArrowsSplit } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../format';
import { EmptyState } from '../../ui/feedback';
import { FulfillmentStatusBadge } from './badges';
import { RerouteDialog } from './RerouteDialog';
import { Section } from './Section';
import type { Fulfillment } from './types';

/** Until the units leave (and for a pickup, until collected) ops may move a fulfillment's units elsewhere. */
const REROUTABLE: Record<Fulfillment['kind'], readonly string[]> = {
  ship: ['pending', 'accepted', 'picked', 'packed'],
  transfer: ['pending', 'accepted', 'picked', 'packed'],
  pickup: ['pending', 'accepted', 'picked', 'ready_for_pickup'],
};

export const canReroute = (f: Fulfillment): boolean => REROUTABLE[f.kind].includes(f.status) && f.lines.some((l) => l.allocationStatus === 'reserved');

/**
 * Who prepares what: each fulfillment with its location, status, parcels and tracking numbers, until
 * when it is held before release, and which other orders share its parcel (merged shipment: only this
 * order's units are listed); ops may re-route one.
 */
export function FulfillmentsCard({ fulfillments, orderLineIds, name, mayReroute }: { fulfillments: Fulfillment[]; orderLineIds: ReadonlySet<string>; name: (id: string) => string; mayReroute: boolean }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  const [rerouting, setRerouting] = useState<Fulfillment | null>(null);
  const sorted = [...fulfillments].sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }));
  return (
    <Section id="fulfillments-title" title={t('fulfillments.title')}>
      {sorted.length === 0 && <EmptyState title={t('fulfillments.none')} />}
      <Stack gap="sm">
        {sorted.map((x) => {
          const ended = x.status === 'cancelled' || x.status === 'rejected';
          return (
            <Card key={x.id} withBorder padding="sm" bg={ended ? 'var(--mantine-color-gray-light)' : undefined} data-fulfillment={x.number} aria-label={x.number}>
              <Group justify="space-between" align="flex-start" wrap="wrap">
                <Stack gap={4}>
                  <Group gap="xs">
                    <Text fw={600}>{x.number}</Text>
                    <Badge variant="outline" color="gray">
                      {t(`common:fulfillmentKind.${x.kind}`)}
                    </Badge>
                    <FulfillmentStatusBadge status={x.status} />
                    {x.dropShip && <Badge variant="outline">{t('fulfillments.dropShip')}</Badge>}
                  </Group>
                  <Text size="sm">
                    {x.kind === 'transfer' && x.destinationLocationId
                      ? t('fulfillments.transferTo', { from: name(x.locationId), to: name(x.destinationLocationId) })
                      : t('fulfillments.at', { location: name(x.locationId) })}
                  </Text>
                  {x.status === 'held' && x.releaseAt && <Text size="sm">{t('fulfillments.heldUntil', { date: f.dateTime(x.releaseAt) })}</Text>}
                  {x.mergedWith && <SharedParcel shares={x.mergedWith} />}
                  <Text size="xs" c="dimmed">
                    {x.lines
                      .filter((l) => !x.mergedWith || orderLineIds.has(l.orderLineId))
                      .map((l) => `${l.sku} ×${l.quantity}`)
                      .join(', ')}
                    {x.dueAt && !ended && x.status !== 'shipped' ? ` · ${t('fulfillments.dueAt', { date: f.dateTime(x.dueAt) })}` : ''}
                  </Text>
                  {x.parcels.length > 0 && <Text size="xs">{t('fulfillments.parcels', { count: x.parcels.length })}</Text>}
                  {x.shipment?.trackingNumber && (
                    <Text size="sm">
                      {t('fulfillments.tracking')}{' '}
                      {x.shipment.trackingUrl ? (
                        <Anchor href={x.shipment.trackingUrl} target="_blank" rel="noreferrer">
                          {x.shipment.trackingNumber}
                        </Anchor>
                      ) : (
                        x.shipment.trackingNumber
                      )}
                      {x.shipment.carrierId ? ` (${x.shipment.carrierId})` : ''}
                    </Text>
                  )}
                  {(x.rejectReason || x.note) && (
                    <Text size="xs" fs="italic">
                      {[x.rejectReason ? t('fulfillments.rejectReason', { reason: t(`sourcing.rejectReason.${x.rejectReason}`, { defaultValue: x.rejectReason }) }) : null, x.note].filter(Boolean).join(' · ')}
                    </Text>
                  )}
                </Stack>
                {mayReroute && canReroute(x) && (
                  <Button variant="light" leftSection={<IconArrowsSplit size={16} />} onClick={() => setRerouting(x)} aria-label={t('reroute.buttonFor', { number: x.number })}>
                    {t('reroute.button')}
                  </Button>
                )}
              </Group>
            </Card>
          );
        })}
      </Stack>
      {rerouting && <RerouteDialog fulfillment={rerouting} locationName={name(rerouting.locationId)} onClose={() => setRerouting(null)} />}
    </Section>
  );
}

/** The other orders in a merged shipment's parcel, each a link to its page; merged work says which fulfillment the store prepares. */
function SharedParcel({ shares }: { shares: NonNullable<Fulfillment['mergedWith']> }) {
  const { t } = useTranslation('orderDetail');
  const orders = [...new Map(shares.map((s) => [s.orderId, s.orderNumber])).entries()];
  const lead = shares.find((s) => s.lead);
  return (
    <Text size="sm" data-testid="shared-parcel">
      {t('fulfillments.sharedParcel', { count: orders.length })}{' '}
      {orders.map(([id, number], i) => (
        <span key={id}>
          {i > 0 && ', '}
          <Anchor component={Link} to={`/bo/orders/${id}`}>
            {number}
          </Anchor>
        </span>
      ))}
      {lead && ` · ${t('fulfillments.preparedUnder', { number: lead.number })}`}
    </Text>
  );
}
