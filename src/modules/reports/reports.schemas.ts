import { Type, type Static } from 'typebox';
import { ChannelId } from '../../http/schemas.js';

export const DashboardQuery = Type.Object({
  date: Type.Optional(Type.String({ format: 'date', description: 'the local day (YYYY-MM-DD) in `timeZone`; default: today' })),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'Europe/Paris', description: 'IANA time zone the day and its hours are read in' })),
  channelId: Type.Optional(ChannelId),
});
export type DashboardQuery = Static<typeof DashboardQuery>;

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const Rate = (description: string) => Nullable(Type.Number({ minimum: 0, maximum: 1, description: `${description}; null when there is nothing to divide by` }));

/** Orders and their value in one currency (amounts in minor units of that currency). */
export const CurrencyValue = Type.Object({ currency: Type.String(), orders: Type.Integer(), totalMinor: Type.Integer() });
export type CurrencyValue = Static<typeof CurrencyValue>;

const Values = (description: string) => Type.Array(CurrencyValue, { description });
const NOT_CANCELLED = 'per currency, orders not cancelled as a whole and their total as placed';

const stockoutFields = {
  orders: Type.Integer(),
  stockoutOrders: Type.Integer({ description: 'orders with at least one line short of stock' }),
  rate: Rate('stockoutOrders / orders'),
  lines: Type.Integer(),
  stockoutLines: Type.Integer(),
  lineRate: Rate('stockoutLines / lines'),
};
export const StockoutFigures = Type.Object(stockoutFields);
export type StockoutFigures = Static<typeof StockoutFigures>;

export const ChannelFigures = Type.Object({
  channelId: Type.String(),
  name: Type.String(),
  type: Type.String({ description: 'web, app, pos, callcenter, social, marketplace' }),
  orders: Type.Integer({ description: 'orders placed that day, whatever their status now' }),
  cancelled: Type.Integer({ description: 'of which cancelled as a whole' }),
  values: Values(NOT_CANCELLED),
  stockout: StockoutFigures,
});
export type ChannelFigures = Static<typeof ChannelFigures>;

export const StatusFigures = Type.Object({
  status: Type.String(),
  orders: Type.Integer(),
  values: Values('per currency, the orders in this status and their total as placed'),
});

export const LateOrder = Type.Object({
  orderId: Type.String(),
  number: Type.String(),
  channelId: Type.String(),
  status: Type.String(),
  deliveryMethod: Type.String(),
  customerName: Nullable(Type.String()),
  state: Type.String({ description: 'delayed (promise broken) or at_risk (promise in danger)' }),
  reason: Type.String({ description: "the SLA watch's reason, e.g. not_picked_by_deadline" }),
  promiseLatest: Type.String({ description: 'end of the promised window' }),
  etaLatest: Type.String({ description: 'end of the window now expected' }),
  changedAt: Type.String({ description: 'when the order entered this state' }),
});
export type LateOrder = Static<typeof LateOrder>;

export const DashboardView = Type.Object({
  date: Type.String(),
  timeZone: Type.String(),
  channelId: Nullable(Type.String()),
  from: Type.String({ description: 'first instant of the day' }),
  to: Type.String({ description: 'first instant of the next day' }),
  generatedAt: Type.String(),
  orders: Type.Object({ count: Type.Integer(), cancelled: Type.Integer(), values: Values(NOT_CANCELLED) }, { description: 'orders placed during the day' }),
  byChannel: Type.Array(ChannelFigures, { description: 'channels with orders that day, most orders first' }),
  byStatus: Type.Array(StatusFigures, { description: 'where the day’s orders stand now, most orders first' }),
  split: Type.Object(
    { orders: Type.Integer(), split: Type.Integer(), rate: Rate('split / orders') },
    { description: 'orders whose placement was sourced from more than one location (several shipments or a store shelf plus a transfer), over the day’s orders' },
  ),
  stockout: Type.Object(stockoutFields, {
    description:
      'Stock shortfalls among the day’s orders (per channel in byChannel). A line is short of stock when some of its units were placed awaiting incoming supply ' +
      '(backorder or pre-order, even if served since), when units were cancelled because no location had them any more after a rejection or a short pick, ' +
      'or when its order was cancelled with the reason out_of_stock. Orders refused at checkout (409 out_of_stock) write nothing and cannot be counted.',
  }),
  sourcingCost: Type.Array(
    Type.Object({ currency: Type.String(), orders: Type.Integer(), totalMinor: Type.Integer(), averageMinor: Type.Integer({ description: 'rounded to the minor unit' }) }),
    {
      description:
        'Fulfilment cost the sourcing engine planned when each order was placed, per cost currency: carrier shipping and location handling of its placement ' +
        'decision, including the shipments of pre-ordered units (the engine steers with location preferences and a split penalty too; those are not money and are ' +
        'left out). Counter sales and cart reservations have no costed plan and are left out.',
    },
  ),
  late: Type.Object(
    {
      delayed: Type.Integer({ description: 'open orders whose promise is broken' }),
      atRisk: Type.Integer({ description: 'open orders whose promise is in danger' }),
      items: Type.Array(LateOrder, { description: 'delayed first, then at risk, earliest promise first (then oldest order); at most 100' }),
    },
    { description: 'now, whatever the day asked: the SLA watch’s current state of open orders' },
  ),
  hourly: Type.Array(Type.Object({ at: Type.String({ description: 'start of the hour' }), hour: Type.String({ description: 'local wall time, HH:MM' }), orders: Type.Integer() }), {
    description: 'orders placed in each hour of the day (23 or 25 hours on a clock change)',
  }),
  last7Days: Type.Array(Type.Object({ date: Type.String(), orders: Type.Integer(), values: Values(NOT_CANCELLED) }), { description: 'the day and the six before it, oldest first' }),
});
export type DashboardView = Static<typeof DashboardView>;
