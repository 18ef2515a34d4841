import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.js';

/** A half-open range of instants [from, to). */
export interface Range {
  from: Date;
  to: Date;
}

const onChannel = (channelId: string | undefined) => (channelId === undefined ? sql`` : sql`AND o.channel_id = ${channelId}`);

export interface DayOrderGroup {
  channelId: string;
  channelName: string;
  channelType: string;
  status: string;
  currency: string;
  orders: number;
  totalMinor: number;
}

/** The day's orders counted and summed per channel, status and currency (one index range scan). */
export async function dayOrderGroups(db: DbOrTx, day: Range, channelId?: string): Promise<DayOrderGroup[]> {
  const r = await sql<{ channel_id: string; name: string; type: string; status: string; currency: string; orders: number; total: string | number }>`
    SELECT o.channel_id, c.name, c.type, o.status, o.currency, count(*)::int AS orders, sum(o.total_minor)::bigint AS total
    FROM sales_order o JOIN channel c ON c.id = o.channel_id
    WHERE o.created_at >= ${day.from} AND o.created_at < ${day.to} ${onChannel(channelId)}
    GROUP BY o.channel_id, c.name, c.type, o.status, o.currency`.execute(db);
  return r.rows.map((x) => ({ channelId: x.channel_id, channelName: x.name, channelType: x.type, status: x.status, currency: x.currency, orders: x.orders, totalMinor: Number(x.total) }));
}

export interface DayOrderFacts {
  channelId: string;
  /** Currency of the placement decisions' costs in this group (null: orders without a placement decision). */
  costCurrency: string | null;
  orders: number;
  stockoutOrders: number;
  lines: number;
  stockoutLines: number;
  /** Orders with a placement decision, and those of them sourced from more than one location. */
  decided: number;
  split: number;
  /** Placement decisions with a costed plan, and the sum of their costs. */
  costed: number;
  costMinor: number;
}

/**
 * Per channel (and cost currency), the day's stock shortfalls, split placements and planned sourcing
 * costs in one pass over the day's orders. A line is short of stock when units of it were placed awaiting
 * supply (`available_from` stays set once the supply serves them), when units were cancelled because no
 * location had them any more, or when its order was cancelled for lack of stock. The placement decision is
 * the order's first `order_placed` decision; its distinct shipment locations tell a split, and its cost is
 * money: shipping and handling of the plan, plus the shipments of pre-ordered units (the engine's total
 * leaves those out until the supply arrives); the preference weights and split penalty only steer the
 * engine and are left out (a decision without its cost split counts its total). Counter sales and cart reservations have no costed plan.
 */
export async function dayOrderFacts(db: DbOrTx, day: Range, channelId?: string): Promise<DayOrderFacts[]> {
  const r = await sql<{
    channel_id: string;
    cost_currency: string | null;
    orders: number;
    stockout_orders: number;
    lines: number;
    stockout_lines: number;
    decided: number;
    split: number;
    costed: number;
    cost: string | number;
  }>`
    SELECT o.channel_id, d.currency AS cost_currency,
      count(*)::int AS orders,
      count(*) FILTER (WHERE f.stockout_lines > 0 OR o.cancel_reason = 'out_of_stock')::int AS stockout_orders,
      coalesce(sum(f.lines), 0)::int AS lines,
      coalesce(sum(CASE WHEN o.cancel_reason = 'out_of_stock' THEN f.lines ELSE f.stockout_lines END), 0)::int AS stockout_lines,
      count(d.currency)::int AS decided,
      count(*) FILTER (WHERE d.locations > 1)::int AS split,
      count(d.cost)::int AS costed,
      coalesce(sum(d.cost), 0)::bigint AS cost
    FROM sales_order o
    CROSS JOIN LATERAL (
      SELECT count(*) AS lines,
        count(*) FILTER (WHERE l.cancelled_quantity > 0
          OR EXISTS (SELECT 1 FROM order_allocation a WHERE a.order_id = o.id AND a.line_id = l.id AND a.available_from IS NOT NULL)) AS stockout_lines
      FROM order_line l WHERE l.order_id = o.id
    ) f
    LEFT JOIN LATERAL (
      SELECT sd.currency,
        coalesce(
          (sd.costs->>'shippingMinor')::bigint + (sd.costs->>'handlingMinor')::bigint
            + (SELECT coalesce(sum((s->>'costMinor')::bigint), 0) FROM jsonb_array_elements(sd.shipments) s WHERE s ? 'availableFrom'),
          sd.total_cost_minor) AS cost,
        (SELECT count(DISTINCT s->>'locationId') FROM jsonb_array_elements(sd.shipments) s) AS locations
      FROM sourcing_decision sd
      WHERE sd.order_id = o.id AND sd.trigger = 'order_placed'
      ORDER BY sd.seq LIMIT 1
    ) d ON true
    WHERE o.created_at >= ${day.from} AND o.created_at < ${day.to} ${onChannel(channelId)}
    GROUP BY o.channel_id, d.currency`.execute(db);
  return r.rows.map((x) => ({
    channelId: x.channel_id,
    costCurrency: x.cost_currency,
    orders: x.orders,
    stockoutOrders: x.stockout_orders,
    lines: x.lines,
    stockoutLines: x.stockout_lines,
    decided: x.decided,
    split: x.split,
    costed: x.costed,
    costMinor: Number(x.cost),
  }));
}

export interface SeriesBucket {
  index: number;
  currency: string | null;
  orders: number;
  kept: number;
  keptMinor: number;
}

/**
 * Orders placed in each bucket (any ranges, e.g. the hours or the days of a zone, so clock changes need no
 * special case), per currency: all of them, and those not cancelled with their total as placed. A bucket
 * without orders comes back once with a null currency.
 */
export async function ordersPerBucket(db: DbOrTx, buckets: readonly Range[], channelId?: string): Promise<SeriesBucket[]> {
  const starts = buckets.map((b) => b.from.toISOString());
  const ends = buckets.map((b) => b.to.toISOString());
  const r = await sql<{ i: number; currency: string | null; orders: number; kept: number; kept_total: string | number }>`
    SELECT b.i::int AS i, o.currency, count(o.id)::int AS orders,
      count(o.id) FILTER (WHERE o.status <> 'cancelled')::int AS kept,
      coalesce(sum(o.total_minor) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS kept_total
    FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) WITH ORDINALITY AS b(start_at, end_at, i)
    LEFT JOIN sales_order o ON o.created_at >= b.start_at AND o.created_at < b.end_at ${onChannel(channelId)}
    GROUP BY b.i, o.currency
    ORDER BY b.i, o.currency`.execute(db);
  return r.rows.map((x) => ({ index: x.i - 1, currency: x.currency, orders: x.orders, kept: x.kept, keptMinor: Number(x.kept_total) }));
}

export interface LateOrderRow {
  order_id: string;
  number: string;
  channel_id: string;
  status: string;
  delivery_method: string;
  customer_name: string | null;
  state: string;
  reason: string;
  promise_latest: Date;
  eta_latest: Date;
  changed_at: Date;
}

/**
 * Open orders the SLA watch holds delayed or at risk against their current promise (a state recorded
 * against an older promise is stale until the next pass), with the count of each state.
 */
export async function lateOrders(db: DbOrTx, limit: number, channelId?: string): Promise<{ counts: Map<string, number>; items: LateOrderRow[] }> {
  const where = sql`s.state IN ('at_risk', 'delayed') AND o.status NOT IN ('completed', 'cancelled') AND s.promise_latest = o.promise_latest ${onChannel(channelId)}`;
  const [counts, items] = await Promise.all([
    sql<{ state: string; n: number }>`
      SELECT s.state, count(*)::int AS n FROM order_sla s JOIN sales_order o ON o.id = s.order_id WHERE ${where} GROUP BY s.state`.execute(db),
    sql<LateOrderRow>`
      SELECT o.id AS order_id, o.number, o.channel_id, o.status, o.delivery_method, o.contact->>'name' AS customer_name,
        s.state, s.reason, o.promise_latest, s.eta_latest, s.changed_at
      FROM order_sla s JOIN sales_order o ON o.id = s.order_id
      WHERE ${where}
      ORDER BY (s.state = 'delayed') DESC, o.promise_latest, o.created_at, o.id
      LIMIT ${limit}`.execute(db),
  ]);
  return { counts: new Map(counts.rows.map((c) => [c.state, c.n])), items: items.rows };
}
