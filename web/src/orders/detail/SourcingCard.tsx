import { Accordion, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { IconRoute } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { EmptyState } from '../../ui/feedback';
import { Section } from './Section';
import type { Alternative, Decision, DecisionUnit } from './types';

type Name = (locationId: string) => string;

/**
 * "Why from Lyon?": every sourcing decision of the order, newest first, in plain words: where the units
 * were sent from and why, the candidates considered with what they would have cost and why they lost
 * (the chosen plan highlighted), the locations never considered, and how close to the optimum it is.
 */
export function SourcingCard({ decisions, name }: { decisions: Decision[]; name: Name }) {
  const { t } = useTranslation('orderDetail');
  const newestFirst = [...decisions].reverse();
  const [current, ...earlier] = newestFirst;
  return (
    <Section id="sourcing-title" title={t('sourcing.title')} icon={<IconRoute size={20} />}>
      {!current ? (
        <EmptyState title={t('sourcing.none')} />
      ) : (
        <Stack gap="md">
          <DecisionBlock decision={current} name={name} />
          {earlier.length > 0 && (
            <Accordion variant="separated">
              {earlier.map((d) => (
                <Accordion.Item key={d.id} value={d.id}>
                  <Accordion.Control>
                    <DecisionTitle decision={d} />
                  </Accordion.Control>
                  <Accordion.Panel>
                    <DecisionBlock decision={d} name={name} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          )}
        </Stack>
      )}
    </Section>
  );
}

function DecisionTitle({ decision }: { decision: Decision }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  return (
    <Text size="sm">
      {t(`sourcing.trigger.${decision.trigger}`, { defaultValue: decision.trigger })} · {f.dateTime(decision.decidedAt)}
    </Text>
  );
}

const units = (list: readonly DecisionUnit[]): string => list.map((u) => `${u.sku} ×${u.quantity}`).join(', ');

function DecisionBlock({ decision: d, name }: { decision: Decision; name: Name }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  const why = useWhyLost(d.currency);
  const money = (minor: number | null) => f.money(minor, d.currency);
  const chosenNames = d.chosen.shipments.map((s) => name(s.locationId)).join(', ');
  const losers = distinct(d.alternatives, d);
  const runnerUp = losers.find((a) => a.extraCostMinor > 0 && !a.unitsShort);
  return (
    <Stack gap="sm" data-testid="sourcing-decision">
      <Group gap="xs">
        <Badge variant="light">{t(`sourcing.trigger.${d.trigger}`, { defaultValue: d.trigger })}</Badge>
        <Text size="sm" c="dimmed">
          {f.dateTime(d.decidedAt)}
        </Text>
      </Group>
      {d.trigger === 'rerouted' && <Text>{t('sourcing.reroutedAfter', { cause: t(`sourcing.cause.${d.cause ?? ''}`, { defaultValue: d.cause ?? '' }) })}</Text>}
      <Text size="lg" fw={500}>
        {d.chosen.shipments.length === 0
          ? t('sourcing.nothing', { units: units(d.units) })
          : t(d.chosen.shipments.length > 1 ? 'sourcing.splitBetween' : 'sourcing.sentFrom', { names: chosenNames, why: reasonFor(d, t) })}
      </Text>
      {runnerUp && (
        <Text size="sm">
          {t('sourcing.runnerUp', { names: alternativeNames(runnerUp, name), why: why(runnerUp) })}
        </Text>
      )}
      {d.chosen.shipments.some((s) => s.transfer || s.availableFrom) && (
        <Stack gap={2}>
          {d.chosen.shipments.map((s) => (
            <Text size="sm" key={s.locationId}>
              {name(s.locationId)}: {units(s.lines)}
              {s.transfer ? ` — ${t('sourcing.transfer')}` : ''}
              {s.availableFrom ? ` — ${t('sourcing.availableFrom', { date: f.date(s.availableFrom) })}` : ''}
            </Text>
          ))}
        </Stack>
      )}
      {(d.chosen.totalCostMinor !== null || losers.length > 0) && (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" aria-label={t('sourcing.candidates')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sourcing.option')}</Table.Th>
                <Table.Th ta="right">{t('sourcing.cost')}</Table.Th>
                <Table.Th ta="right">{t('sourcing.difference')}</Table.Th>
                <Table.Th>{t('sourcing.why')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr bg="var(--mantine-color-green-light)" data-chosen="true">
                <Table.Td>
                  <Group gap="xs">
                    <Text fw={600} size="sm">
                      {chosenNames || '—'}
                    </Text>
                    <Badge color="green" size="sm">
                      {t('sourcing.chosen')}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{money(d.chosen.totalCostMinor)}</Table.Td>
                <Table.Td ta="right">—</Table.Td>
                <Table.Td>
                  <Text size="sm">{costSplit(d, money, t)}</Text>
                </Table.Td>
              </Table.Tr>
              {losers.map((a) => (
                <Table.Tr key={`${a.description}|${a.totalCostMinor}`}>
                  <Table.Td>
                    <Text size="sm">{alternativeNames(a, name)}</Text>
                    {strategy(a, t) && (
                      <Text size="xs" c="dimmed">
                        {strategy(a, t)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{money(a.totalCostMinor)}</Table.Td>
                  <Table.Td ta="right">{a.extraCostMinor > 0 ? `+${money(a.extraCostMinor)}` : money(a.extraCostMinor)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{why(a)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {d.excluded.length > 0 && (
        <Text size="sm">
          {t('sourcing.excluded', { list: d.excluded.map((e) => `${name(e.locationId)} (${excludedReason(e.reason, t)})`).join(', ') })}
        </Text>
      )}
      {d.unserved.length > 0 && <Text size="sm">{t('sourcing.unserved', { units: units(d.unserved) })}</Text>}
      <Group gap="xs">
        {d.optimal === true && (
          <Badge color="green" variant="outline">
            {t('sourcing.optimal')}
          </Badge>
        )}
        {d.optimal === false && (
          <Badge color="yellow" variant="outline">
            {t('sourcing.gap', { gap: f.percent(d.gap) })}
          </Badge>
        )}
        <Text size="xs" c="dimmed">
          {[t('sourcing.method', { method: d.method }), d.policy ? t('sourcing.policy', { name: d.policy.name, version: d.policy.version }) : null].filter(Boolean).join(' · ')}
        </Text>
      </Group>
    </Stack>
  );
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** Why the chosen plan won, from the method and the number of candidates. */
function reasonFor(d: Decision, t: T): string {
  if (d.method === 'counter_sale' || d.method === 'cart_reservation' || d.method === 'supply_arrival') return t(`sourcing.reason.${d.method}`);
  const split = d.chosen.shipments.length > 1;
  if (d.candidates === null) return t(split ? 'sourcing.reason.cheapestSplitPlan' : 'sourcing.reason.cheapestPlan');
  return t(split ? 'sourcing.reason.cheapestSplit' : 'sourcing.reason.cheapest', { count: d.candidates });
}

/** The cost of the chosen plan by component, e.g. "shipping 6.50 €, handling 1.70 €". */
function costSplit(d: Decision, money: (minor: number) => string, t: T): string {
  const c = d.chosen.costs;
  if (!c) return '';
  const parts: Array<[string, number]> = [
    ['shipping', c.shippingMinor],
    ['handling', c.handlingMinor],
    ['preference', c.preferenceMinor],
    ['split', c.splitPenaltyMinor],
  ];
  return parts
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${t(`sourcing.component.${k}`)} ${money(v)}`)
    .join(', ');
}

const planKey = (locationIds: readonly string[], cost: number | null, short = 0) => `${[...locationIds].sort().join('+')}|${cost}|${short}`;

/**
 * The same plan is often listed twice, or is the chosen plan itself (a per-line rule landing on the
 * same locations): each plan is shown once.
 */
function distinct(alternatives: readonly Alternative[], d: Decision): Alternative[] {
  const seen = new Set<string>([planKey(d.chosen.shipments.map((s) => s.locationId), d.chosen.totalCostMinor)]);
  return alternatives.filter((a) => {
    const key = planKey(a.locationIds, a.totalCostMinor, a.unitsShort);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const alternativeNames = (a: Alternative, name: Name): string => a.locationIds.map(name).join(' + ');

/** The rule that produced an alternative, when it is one of the per-line baselines. */
function strategy(a: Alternative, t: T): string | undefined {
  if (a.description.startsWith('each line from the nearest')) return t('sourcing.strategy.nearest');
  if (a.description.startsWith('each line from the location where it alone')) return t('sourcing.strategy.perLine');
  return undefined;
}

/** Why an alternative lost, in the page's language (the API says it in English: its cost component is read from it). */
function useWhyLost(currency: string): (a: Alternative) => string {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  return (a) => {
    if (a.unitsShort) return t('sourcing.lost.short', { count: a.unitsShort });
    if (a.extraCostMinor === 0) return t('sourcing.lost.tie');
    if (a.extraCostMinor < 0) return t('sourcing.lost.constraints');
    const component = (['shipping', 'handling', 'location preference', 'split penalty'] as const).find((c) => a.reason.includes(`: ${c}`));
    const key = { shipping: 'shipping', handling: 'handling', 'location preference': 'preference', 'split penalty': 'split' } as const;
    return component ? t('sourcing.lost.more', { amount: f.money(a.extraCostMinor, currency), component: t(`sourcing.component.${key[component]}`) }) : t('sourcing.lost.dearer', { amount: f.money(a.extraCostMinor, currency) });
  };
}

/** "rejected (damaged)", "short-picked", "ops_reroute", or several joined by commas, in words. */
function excludedReason(reason: string, t: T): string {
  return reason
    .split(', ')
    .map((part) => {
      const rejected = /^rejected(?: \((.+)\))?$/.exec(part);
      if (rejected) return rejected[1] ? t('sourcing.exclusion.rejectedBecause', { reason: t(`sourcing.rejectReason.${rejected[1]}`, { defaultValue: rejected[1] }) }) : t('sourcing.exclusion.rejected');
      if (part === 'short-picked' || part === 'short_pick') return t('sourcing.exclusion.shortPicked');
      if (part === 'timeout') return t('sourcing.exclusion.timeout');
      if (part === 'ops_reroute') return t('sourcing.exclusion.ops');
      return part;
    })
    .join(', ');
}
