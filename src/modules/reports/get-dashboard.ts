import { IANAZone } from 'luxon';
import type { DbOrTx } from '../../db/database.js';
import { addDays, MS_PER_MINUTE } from '../../domain/promise/local-date.js';
import { atLocalTime, localDateOf, offsetMsAt } from '../../domain/promise/time-zone.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { findChannel } from '../channels/channel.repository.js';
import { dayOrderFacts, dayOrderGroups, lateOrders, ordersPerBucket, type DayOrderFacts, type DayOrderGroup, type Range, type SeriesBucket } from './reports.repository.js';
import type { ChannelFigures, CurrencyValue, DashboardQuery, DashboardView, StockoutFigures } from './reports.schemas.js';
import { groupBy } from '../../domain/shared/group-by.js';

export const DEFAULT_REPORT_TIME_ZONE = 'Europe/Paris';
const LATE_LIST_LIMIT = 100;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/**
 * The back office dashboard for one local day: the day's orders by channel and status with their value,
 * split and stock-shortfall rates, planned sourcing cost per order, hourly and 7-day series, and the open
 * orders late or at risk now. A handful of aggregate queries, whatever the number of orders.
 */
export async function getDashboard(deps: { db: DbOrTx; clock: Clock }, query: DashboardQuery): Promise<Result<DashboardView>> {
  const timeZone = query.timeZone ?? DEFAULT_REPORT_TIME_ZONE;
  if (!IANAZone.isValidZone(timeZone)) return fail('invalid_time_zone', `"${timeZone}" is not an IANA time zone (e.g. Europe/Paris)`, { field: 'timeZone' });
  const channelId = query.channelId;
  if (channelId !== undefined && !(await findChannel(deps.db, channelId))) return fail('channel_not_found', `no channel ${channelId}`);
  const now = deps.clock.now();
  const date = query.date ?? localDateOf(timeZone, now.getTime());
  const dayOf = (d: string): Range => ({ from: new Date(atLocalTime(timeZone, d, '00:00')), to: new Date(atLocalTime(timeZone, addDays(d, 1), '00:00')) });
  const day = dayOf(date);
  const hours = hoursOf(day);
  const days = Array.from({ length: 7 }, (_, i) => addDays(date, i - 6));

  const [groups, facts, late, hourly, daily] = await Promise.all([
    dayOrderGroups(deps.db, day, channelId),
    dayOrderFacts(deps.db, day, channelId),
    lateOrders(deps.db, LATE_LIST_LIMIT, channelId),
    ordersPerBucket(deps.db, hours, channelId),
    ordersPerBucket(deps.db, days.map(dayOf), channelId),
  ]);

  const kept = groups.filter((g) => g.status !== 'cancelled');
  const splitOf = facts.reduce((s, f) => ({ orders: s.orders + f.decided, split: s.split + f.split }), { orders: 0, split: 0 });
  return ok({
    date,
    timeZone,
    channelId: channelId ?? null,
    from: day.from.toISOString(),
    to: day.to.toISOString(),
    generatedAt: now.toISOString(),
    orders: { count: sum(groups, (g) => g.orders), cancelled: sum(groups, (g) => (g.status === 'cancelled' ? g.orders : 0)), values: valuesOf(kept) },
    byChannel: channelFigures(groups, facts),
    byStatus: [...groupBy(groups, (g) => g.status)]
      .map(([status, gs]) => ({ status, orders: sum(gs, (g) => g.orders), values: valuesOf(gs) }))
      .sort((a, b) => b.orders - a.orders || a.status.localeCompare(b.status)),
    split: { ...splitOf, rate: ratio(splitOf.split, splitOf.orders) },
    stockout: stockoutOf(facts),
    sourcingCost: [...groupBy(facts.filter((f) => f.costed > 0 && f.costCurrency !== null), (f) => f.costCurrency!)]
      .map(([currency, fs]) => {
        const orders = sum(fs, (f) => f.costed);
        const totalMinor = sum(fs, (f) => f.costMinor);
        return { currency, orders, totalMinor, averageMinor: Math.round(totalMinor / orders) };
      })
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    late: {
      delayed: late.counts.get('delayed') ?? 0,
      atRisk: late.counts.get('at_risk') ?? 0,
      items: late.items.map((r) => ({
        orderId: r.order_id,
        number: r.number,
        channelId: r.channel_id,
        status: r.status,
        deliveryMethod: r.delivery_method,
        customerName: r.customer_name,
        state: r.state,
        reason: r.reason,
        promiseLatest: new Date(r.promise_latest).toISOString(),
        etaLatest: new Date(r.eta_latest).toISOString(),
        changedAt: new Date(r.changed_at).toISOString(),
      })),
    },
    hourly: hours.map((h, i) => ({ at: h.from.toISOString(), hour: wallTime(timeZone, h.from), orders: bucketTotals(hourly, i).orders })),
    last7Days: days.map((d, i) => ({ date: d, ...bucketTotals(daily, i) })),
  });
}

/** The hours of a day as instants: 24, or 23 / 25 on a clock change (the last one may be shorter). */
function hoursOf(day: Range): Range[] {
  const hours: Range[] = [];
  for (let at = day.from.getTime(); at < day.to.getTime(); at += MS_PER_HOUR) hours.push({ from: new Date(at), to: new Date(Math.min(at + MS_PER_HOUR, day.to.getTime())) });
  return hours;
}

function wallTime(timeZone: string, at: Date): string {
  const local = new Date(at.getTime() + offsetMsAt(timeZone, at.getTime()));
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}

function bucketTotals(rows: readonly SeriesBucket[], index: number): { orders: number; values: CurrencyValue[] } {
  const mine = rows.filter((r) => r.index === index);
  const values = mine
    .filter((r) => r.currency !== null && r.kept > 0)
    .map((r) => ({ currency: r.currency!, orders: r.kept, totalMinor: r.keptMinor }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return { orders: sum(mine, (r) => r.orders), values };
}

function channelFigures(groups: readonly DayOrderGroup[], facts: readonly DayOrderFacts[]): ChannelFigures[] {
  const factsByChannel = groupBy(facts, (f) => f.channelId);
  return [...groupBy(groups, (g) => g.channelId)]
    .map(([channelId, gs]) => ({
      channelId,
      name: gs[0]!.channelName,
      type: gs[0]!.channelType,
      orders: sum(gs, (g) => g.orders),
      cancelled: sum(gs, (g) => (g.status === 'cancelled' ? g.orders : 0)),
      values: valuesOf(gs.filter((g) => g.status !== 'cancelled')),
      stockout: stockoutOf(factsByChannel.get(channelId) ?? []),
    }))
    .sort((a, b) => b.orders - a.orders || a.channelId.localeCompare(b.channelId));
}

function stockoutOf(facts: readonly DayOrderFacts[]): StockoutFigures {
  const orders = sum(facts, (f) => f.orders);
  const stockoutOrders = sum(facts, (f) => f.stockoutOrders);
  const lines = sum(facts, (f) => f.lines);
  const stockoutLines = sum(facts, (f) => f.stockoutLines);
  return { orders, stockoutOrders, rate: ratio(stockoutOrders, orders), lines, stockoutLines, lineRate: ratio(stockoutLines, lines) };
}

function valuesOf(groups: readonly DayOrderGroup[]): CurrencyValue[] {
  return [...groupBy(groups, (g) => g.currency)]
    .map(([currency, gs]) => ({ currency, orders: sum(gs, (g) => g.orders), totalMinor: sum(gs, (g) => g.totalMinor) }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const sum = <T>(items: readonly T[], f: (item: T) => number): number => items.reduce((s, x) => s + f(x), 0);
