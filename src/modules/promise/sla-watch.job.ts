import pino from 'pino';
import { PeriodicTask } from '../../background.js';
import type { Config } from '../../config.js';
import type { Db, Tx } from '../../db/database.js';
import { withTransaction } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { movesCustomerDate, type OrderDelayed, type PromiseWindow } from '../../domain/orders/order-events.js';
import { assessOrder, assessShipment, slaChange, type SlaAssessment, type SlaChange, type SlaState, type Window } from '../../domain/promise/sla-watch.js';
import type { Clock } from '../../domain/shared/clock.js';
import { getFulfillmentSettings } from '../fulfillment/fulfillment-settings.js';
import { appendTimeline, type OrderRow } from '../orders/order.repository.js';
import { orderEvent, orderRef } from '../orders/order-payloads.js';
import type { PromiseData } from './promise-data.js';
import { orderParcels, type ParcelContext } from './sla-parcels.js';
import { loadWatched, lockOrderSkipLocked, saveSla, watchedOrderIds, type WatchedOrder } from './sla.repository.js';

export const SLA_WATCH_JOB = 'sla-watch';
const ACTOR = `system:${SLA_WATCH_JOB}`;

export interface SlaWatchDeps {
  db: Db;
  clock: Clock;
  promiseData: PromiseData;
  /** Open minutes before a deadline under which work not yet picked is at risk. */
  riskMarginMinutes: number;
}

export interface SlaWatchRun {
  assessed: number;
  alerts: number;
  recovered: number;
}

interface Decision {
  order: OrderRow;
  promise: Window;
  now: Date;
  current: SlaAssessment;
  change: SlaChange;
  /** The recorded state when it measures the same promise. */
  previous: WatchedOrder['sla'];
  parcels: Array<{ fulfillmentId: string; number: string; state: SlaState; reason: string }>;
}

/**
 * One pass of the SLA watch over every open order with a promise: each is assessed from its watched
 * fulfillments and the clock (read outside any transaction); an order whose state or estimate changed
 * is then locked (order row, SKIP LOCKED: a busy order waits for the next pass), re-read, re-assessed and
 * written in one transaction: its new SLA state, an `order.at_risk` (promise in danger) / `order.delayed`
 * (promise broken) event with the OrderDelayed payload and a timeline entry; back on track only updates the
 * state and the timeline. `previousPromise` is the date the customer was last given.
 * Run by several processes at once, each change is still said once.
 */
export async function watchOrders(deps: SlaWatchDeps, batchSize = 200): Promise<SlaWatchRun> {
  const now = deps.clock.now();
  const snapshot = await deps.promiseData.current();
  const settings = await getFulfillmentSettings(deps.db);
  const year = now.getUTCFullYear();
  const parcels: ParcelContext = { snapshot, holidays: (country) => deps.promiseData.holidays(country, year), holdWarningMinutes: settings.pickupReminderHours * 60 };
  const decide = (w: WatchedOrder) => decision(w, parcels, now.getTime(), deps.riskMarginMinutes);
  const run: SlaWatchRun = { assessed: 0, alerts: 0, recovered: 0 };
  for (let after: string | null = null; ; ) {
    const ids = await watchedOrderIds(deps.db, after, batchSize);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    for (const w of await loadWatched(deps.db, ids)) {
      run.assessed++;
      if ((decide(w)?.change ?? 'none') === 'none') continue;
      const done = await withTransaction(deps.db, async (tx) => {
        if (!(await lockOrderSkipLocked(tx, w.order.id))) return 'none';
        const [fresh] = await loadWatched(tx, [w.order.id]);
        const d = fresh && decide(fresh);
        if (!d || d.change === 'none') return 'none';
        await record(tx, d);
        return d.change;
      });
      if (done === 'alert') run.alerts++;
      if (done === 'recover') run.recovered++;
    }
  }
  return run;
}

/** Undefined when the order is no longer watched (ended meanwhile, or promised nothing). */
function decision(w: WatchedOrder, c: ParcelContext, now: number, riskMarginMinutes: number): Decision | undefined {
  const o = w.order;
  if (!o.promise_earliest || !o.promise_latest || o.status === 'completed' || o.status === 'cancelled') return undefined;
  const promise = { earliest: o.promise_earliest.getTime(), latest: o.promise_latest.getTime() };
  const assessed = orderParcels(w, c).map(({ fulfillment: f, parcel }) => ({ f, a: assessShipment(parcel, { now, promise, riskMarginMinutes }) }));
  const current = assessOrder(assessed.map((x) => x.a), promise);
  const previous = w.sla && w.sla.promise_latest.getTime() === promise.latest ? w.sla : undefined;
  const change = slaChange(previous && { state: previous.state as SlaState, etaLatest: previous.eta_latest.getTime() }, current);
  return { order: o, promise, now: new Date(now), current, change, previous, parcels: assessed.map(({ f, a }) => ({ fulfillmentId: f.id, number: f.number, state: a.state, reason: a.reason })) };
}

async function record(tx: Tx, d: Decision): Promise<void> {
  const { order, promise, now, current, previous } = d;
  const eta = { earliest: new Date(current.eta.earliest), latest: new Date(current.eta.latest) };
  const told = previous?.customer_eta_earliest && previous.customer_eta_latest ? { earliest: previous.customer_eta_earliest, latest: previous.customer_eta_latest } : null;
  // What the customer was last given: the last estimate that moved their date, else the order's promise.
  const previousPromise: PromiseWindow = told
    ? { earliest: told.earliest.toISOString(), latest: told.latest.toISOString() }
    : {
        earliest: new Date(promise.earliest).toISOString(),
        latest: new Date(promise.latest).toISOString(),
        ...(order.promise_confidence !== null ? { confidence: order.promise_confidence } : {}),
      };
  const newEta: PromiseWindow = { earliest: eta.earliest.toISOString(), latest: eta.latest.toISOString() };
  const alert = d.change === 'alert';
  // The customer is told (notifications apply the same rule) only when the alert moves their date: the next
  // alert's previous promise moves with it, and only then.
  const customerEta = alert && movesCustomerDate({ previousPromise, newEta }) ? eta : told;
  await saveSla(tx, {
    order_id: order.id,
    promise_latest: new Date(promise.latest),
    state: current.state,
    reason: current.reason,
    eta_earliest: eta.earliest,
    eta_latest: eta.latest,
    changed_at: now,
    announced_at: alert ? now : (previous?.announced_at ?? null),
    customer_eta_earliest: customerEta?.earliest ?? null,
    customer_eta_latest: customerEta?.latest ?? null,
  });
  const type = current.state === 'delayed' ? 'order.delayed' : 'order.at_risk';
  if (alert) {
    const payload: OrderDelayed = { ...orderRef(order), previousPromise, newEta, reason: current.reason };
    await appendEvents(tx, [orderEvent(type, payload)]);
  }
  await appendTimeline(tx, [
    {
      order_id: order.id,
      occurred_at: now,
      actor: ACTOR,
      event: alert ? type : 'order.back_on_track',
      status_from: previous?.state ?? 'on_track',
      status_to: current.state,
      details: { reason: current.reason, eta: newEta, previousPromise, fulfillments: d.parcels },
    },
  ]);
}

/** The durable job: a pass every `slaIntervalMs`; its state lives in order_sla, so a restart loses nothing. */
export function slaWatchTask(deps: Omit<SlaWatchDeps, 'riskMarginMinutes'> & { config: Config }): PeriodicTask {
  const { config, ...rest } = deps;
  const log = pino({ name: SLA_WATCH_JOB, level: config.logLevel });
  return new PeriodicTask(SLA_WATCH_JOB, config.slaIntervalMs, () => watchOrders({ ...rest, riskMarginMinutes: config.slaRiskMarginMinutes }), log);
}
