import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { EmptyState } from '../../ui/feedback';
import { useActorLabel } from './badges';
import { Section } from './Section';
import type { TimelineEntry } from './types';

type Details = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): Details[] => (Array.isArray(v) ? (v as Details[]) : []);
const unitsText = (v: unknown): string => list(v).map((u) => `${String(u.sku)} ×${String(u.quantity)}`).join(', ');

/** Every change of the order, newest first: what happened, who did it, when, and why. */
export function TimelineCard({ entries, currency, name }: { entries: TimelineEntry[]; currency: string; name: (id: string) => string }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  const actor = useActorLabel();
  const newestFirst = [...entries].reverse();
  const describe = (e: TimelineEntry): string => {
    const d = e.details;
    const parts: string[] = [];
    const location = str(d.locationId);
    if (str(d.number) && e.event.startsWith('fulfillment.')) parts.push(location ? t('timeline.at', { number: d.number, location: name(location) }) : String(d.number));
    if (e.event === 'fulfillment.rerouted') {
      const to = [...new Set(list(d.allocations).map((a) => name(String(a.locationId))))];
      parts.push(to.length > 0 ? t('timeline.rerouted', { units: unitsText(d.units), to: to.join(', ') }) : t('timeline.reroutedNowhere', { units: unitsText(d.units) }));
      if (list(d.cancelled).length > 0) parts.push(t('timeline.unitsCancelled', { units: unitsText(d.cancelled) }));
    }
    if (e.event === 'order.created' || e.event === 'backorder.allocated') {
      const held = list(d.allocations).map((a) => `${String(a.sku)} ×${String(a.quantity)} — ${name(String(a.locationId))}`);
      if (held.length > 0) parts.push(held.join(', '));
    }
    if (e.event === 'line.cancelled' || e.event === 'line.units_cancelled') parts.push(`${String(d.sku)} ×${String(d.quantity)}`);
    if (e.event === 'delivery.changed') {
      const to = d.to as Details | undefined;
      if (to && str(to.postalCode)) parts.push(t('timeline.newAddress', { address: [to.line1, to.postalCode, to.city].filter((x) => str(x)).join(', ') }));
      if (str(d.toPickupLocationId)) parts.push(t('timeline.newPickup', { store: name(String(d.toPickupLocationId)) }));
    }
    const amount = num(d.amountMinor);
    if (amount !== undefined && e.event.startsWith('payment.')) parts.push(f.money(amount, currency));
    const reason = str(d.reason);
    if (reason) parts.push(t('timeline.reason', { reason: t(`timeline.reasons.${reason}`, { defaultValue: reason }) }));
    const note = str(d.note);
    if (note) parts.push(`“${note}”`);
    const eta = d.eta as { latest?: string } | undefined;
    if ((e.event === 'order.at_risk' || e.event === 'order.delayed') && eta?.latest) parts.push(t('timeline.eta', { date: f.date(eta.latest) }));
    return parts.join(' · ');
  };
  return (
    <Section id="timeline-title" title={t('timeline.title')}>
      {newestFirst.length === 0 ? (
        <EmptyState />
      ) : (
        <Timeline bulletSize={14} lineWidth={2}>
          {newestFirst.map((e, i) => (
            <Timeline.Item key={`${e.at}-${i}`} title={t(`timeline.events.${e.event}`, { defaultValue: e.event })} color={e.event.includes('cancel') || e.event.includes('reject') ? 'red' : undefined}>
              {describe(e) && <Text size="sm">{describe(e)}</Text>}
              <Text size="xs" c="dimmed">
                {f.dateTime(e.at)} · {actor(e.actor)}
                {e.statusFrom && e.statusTo && e.statusFrom !== e.statusTo ? ` · ${statusText(e, t)}` : ''}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

/** "Allocated → In preparation": order statuses for order events, fulfillment statuses for fulfillment ones. */
function statusText(e: TimelineEntry, t: (key: string, o?: Record<string, unknown>) => string): string {
  const ns = e.event.startsWith('fulfillment.') ? 'fulfillmentStatus' : e.event.startsWith('order.at_risk') || e.event.startsWith('order.delayed') || e.event === 'order.back_on_track' ? 'sla' : 'orderStatus';
  const word = (s: string) => (ns === 'sla' ? t(`promise.sla.${s}`, { defaultValue: s }) : t(`common:${ns}.${s}`, { defaultValue: s }));
  return `${word(e.statusFrom!)} → ${word(e.statusTo!)}`;
}
