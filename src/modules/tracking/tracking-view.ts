import { addDays, localDateOf } from '../../domain/promise/calendar.js';
import { WEEKDAYS } from '../network/location.schemas.js';
import type { Shipment } from '../fulfillment/ship-fulfillment.js';
import type { TrackedFulfillmentRow, TrackedOrder } from './tracking.repository.js';
import type { HistoryStep, TrackingView } from './tracking.schemas.js';

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null | undefined): string | null => (d === null || d === undefined ? null : iso(d));
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Store exceptions (holidays, other hours) shown this many days ahead. */
const EXCEPTION_DAYS = 14;
/** Work that never reached the customer: it says nothing on the tracking page. */
const ABANDONED = new Set(['rejected', 'cancelled']);
/** Once here, nothing is left to come: no estimate to show. */
const SETTLED = new Set(['completed', 'cancelled', 'ready_for_pickup']);

type Hours = Array<{ open: string; close: string }>;
type Week = NonNullable<TrackingView['pickup']>['store']['openingHours'];

/**
 * The public tracking page of an order, from its rows. Pure. The pickup code is only given while the
 * order waits at the store (`ready_for_pickup`): before, there is none to show; after collection or
 * cancellation, it opens nothing anymore.
 */
export function toTrackingView(t: TrackedOrder, now: Date): TrackingView {
  const { order } = t;
  const live = t.fulfillments.filter((f) => !ABANDONED.has(f.status));
  const promise = order.promise_earliest && order.promise_latest ? { earliest: iso(order.promise_earliest), latest: iso(order.promise_latest) } : null;
  const eta = currentEta(t, promise);
  const shipments = live.filter((f) => f.kind === 'ship' && f.shipped_at !== null && f.shipment !== null).map((f) => shipmentView(t, f));
  const address = (order.address ?? {}) as Record<string, unknown>;
  return {
    orderNumber: order.number,
    status: order.status as TrackingView['status'],
    placedAt: iso(order.created_at),
    delivery: {
      method: order.delivery_method as TrackingView['delivery']['method'],
      service: order.service,
      destination: order.delivery_method === 'ship' ? { postalCode: text(address.postalCode), city: text(address.city), country: text(address.country) } : null,
    },
    promise,
    eta,
    lines: t.lines.map((l) => ({ name: l.name, quantity: l.quantity, cancelledQuantity: l.cancelled_quantity, status: l.status as TrackingView['lines'][number]['status'] })),
    shipments,
    pickup: pickupView(t, now),
    history: history(t, live, promise),
  };
}

/**
 * The estimate the customer was last given: the SLA watch's, when an alert moved their date for this
 * promise (order_sla.customer_eta_*), else the promise itself. Internal assessments (at risk but still
 * on time) are not shown, exactly as they are not sent.
 */
function currentEta(t: TrackedOrder, promise: TrackingView['promise']): TrackingView['eta'] {
  if (!promise || SETTLED.has(t.order.status)) return null;
  const told = toldEstimate(t, promise);
  return told ? { ...told, delayed: told.latest > promise.latest } : { ...promise, delayed: false };
}

/** The estimate an alert gave the customer for the order's current promise (a new promise starts afresh). */
function toldEstimate(t: TrackedOrder, promise: NonNullable<TrackingView['promise']>): { earliest: string; latest: string } | undefined {
  const sla = t.sla;
  if (!sla?.customer_eta_earliest || !sla.customer_eta_latest || iso(sla.promise_latest) !== promise.latest) return undefined;
  return { earliest: iso(sla.customer_eta_earliest), latest: iso(sla.customer_eta_latest) };
}

function shipmentView(t: TrackedOrder, f: TrackedFulfillmentRow): TrackingView['shipments'][number] {
  const s = f.shipment as unknown as Shipment;
  return {
    carrier: s.carrierName,
    service: s.service,
    trackingNumber: s.trackingNumber,
    trackingUrl: httpUrl(s.trackingUrl),
    parcels: Math.max(1, f.parcels.length),
    shippedAt: iso(f.shipped_at!),
    deliveredAt: isoOrNull(f.delivered_at),
    items: t.items.filter((i) => i.fulfillment_id === f.id).map((i) => ({ name: i.name, quantity: i.picked_quantity ?? i.quantity })),
  };
}

/** Carrier pages only: a link the page renders must never be `javascript:` or the like. */
function httpUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const p = new URL(url).protocol;
    return p === 'https:' || p === 'http:' ? url : null;
  } catch {
    return null;
  }
}

function pickupView(t: TrackedOrder, now: Date): TrackingView['pickup'] {
  const { store, order } = t;
  if (!store || (order.delivery_method !== 'pickup' && order.delivery_method !== 'reserve_and_collect')) return null;
  const work = t.fulfillments.filter((f) => f.kind === 'pickup').at(-1);
  const ready = work?.status === 'ready_for_pickup';
  const a = (store.address ?? {}) as Record<string, unknown>;
  const weekly = (store.opening_hours ?? {}) as Record<string, Hours | undefined>;
  const today = localDateOf(store.time_zone, now.getTime());
  const horizon = addDays(today, EXCEPTION_DAYS);
  const exceptions = ((store.opening_exceptions ?? []) as Array<{ date: string; closed?: boolean; hours?: Hours }>)
    .filter((e) => e.date >= today && e.date < horizon)
    .sort((x, y) => x.date.localeCompare(y.date))
    .map((e) => ({ date: e.date, hours: e.closed ? [] : (e.hours ?? []).map(({ open, close }) => ({ open, close })) }));
  return {
    store: {
      name: store.name,
      address: { line1: text(a.line1), line2: text(a.line2), postalCode: text(a.postalCode), city: text(a.city), country: text(a.country) },
      timeZone: store.time_zone,
      openingHours: Object.fromEntries(WEEKDAYS.map((d) => [d, (weekly[d] ?? []).map(({ open, close }) => ({ open, close }))])) as Week,
      exceptions,
    },
    ready,
    code: ready ? work.pickup_code : null,
    holdUntil: ready ? isoOrNull(work.hold_until) : null,
    readyAt: isoOrNull(work?.ready_at),
    collectedAt: isoOrNull(work?.collected_at),
  };
}

/** The customer-facing steps so far, oldest first: no locations, transfers, payments or internal re-routing. */
function history(t: TrackedOrder, live: TrackedFulfillmentRow[], promise: TrackingView['promise']): TrackingView['history'] {
  const steps: TrackingView['history'] = [{ step: 'placed', at: iso(t.order.created_at) }];
  const add = (step: HistoryStep, at: Date | null | undefined, extra: { trackingNumber?: string } = {}) => {
    if (at) steps.push({ step, at: iso(at), ...extra });
  };
  const accepted = live.map((f) => f.accepted_at).filter((d): d is Date => d !== null);
  if (accepted.length > 0) add('preparing', new Date(Math.min(...accepted.map((d) => d.getTime()))));
  for (const f of live) {
    if (f.kind === 'ship') {
      add('shipped', f.shipped_at, f.shipment ? { trackingNumber: (f.shipment as unknown as Shipment).trackingNumber } : {});
      add('delivered', f.delivered_at);
    } else if (f.kind === 'pickup') {
      add('ready_for_pickup', f.ready_at);
      add('collected', f.collected_at);
    }
  }
  const told = promise ? toldEstimate(t, promise) : undefined;
  if (promise && told && told.latest > promise.latest) add('delayed', t.sla?.announced_at);
  add('cancelled', t.order.cancelled_at);
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}
