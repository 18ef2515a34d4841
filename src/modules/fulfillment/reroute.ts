import type { DbOrTx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { canTransitionFulfillment, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { cancelledUnitsValue, mergeUnits, splitByShortfalls, type RerouteUnit } from '../../domain/fulfillment/reroute-units.js';
import type { ServiceLevel } from '../../domain/promise/carriers.js';
import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import { giveMoneyBack } from '../orders/give-money-back.js';
import { appendTimeline, insertAllocations, loadOrder, updateOrder, type AllocationRow, type LineRow, type LoadedOrder, type NewTimelineEntry } from '../orders/order.repository.js';
import { cancelledPayload, orderEvent } from '../orders/order-payloads.js';
import { syncOrderProgress } from '../orders/order-progress.js';
import { allocationRows } from '../orders/order-records.js';
import { holdAndConsume, sitesOf, wantedOptionId, type HoldSites } from '../orders/order-sourcing.js';
import type { PlaceOrderInput, ShipAddress } from '../orders/order.schemas.js';
import { computePromiseFor } from '../promise/compute-promise.js';
import { recordRerouteDecision } from '../sourcing/record-decisions.js';
import type { PromiseRequest } from '../promise/promise.schemas.js';
import { cancelEmptiedFulfillments } from './cancel-fulfillments.js';
import { createFulfillments } from './create-fulfillments.js';
import type { FulfillmentDeps, StepContext } from './fulfillment-step.js';
import { findFulfillmentId, loadFulfillment, type FulfillmentRow, type LoadedFulfillment } from './fulfillment.repository.js';
import { addCancelledUnits, rerouteExclusions } from './reroute.repository.js';

export type { RerouteUnit };

/** Where re-routed units come from, decided before the step's transaction (PGlite has one connection). */
export interface ReroutePlan {
  /** The units asked for, merged per order line. */
  units: RerouteUnit[];
  /** Never a source: the location giving the units up and every one that rejected or short-picked this order's units. */
  excluded: string[];
  /** The option of the order's delivery method serving `units` (held now, or backordered on incoming supply). */
  source?: { request: PromiseRequest; option: PromiseOption; sites: HoldSites; units: RerouteUnit[] };
  /** Units no location can serve: cancelled alone. */
  cancelled: RerouteUnit[];
  /** Why units could not be served (the promise's reasons), for the timeline. */
  reasons: Array<{ code: string; message: string }>;
}

/**
 * Plans where `units` of the order go instead, with the same promise engine as checkout: the option the
 * order's delivery method needs (`ship:<service>` to its address; `click_and_collect:<store>` with
 * transfers, or `reserve_and_collect:<store>`, for pickups), computed for just those units with the
 * excluded locations unable to source (a pickup store stays the pickup point). When no option serves
 * every unit, the promise's shortfalls are cancelled and the rest is planned again once; whatever is
 * still unserved is cancelled too. Backorderable products with incoming supply are served as backorders.
 */
export async function planReroute(deps: FulfillmentDeps, loaded: LoadedOrder, units: readonly RerouteUnit[], excludeLocationIds: readonly string[], taken: Taken = NOTHING_TAKEN): Promise<ReroutePlan> {
  const excluded = [...new Set(excludeLocationIds)].sort();
  const order = loaded.order;
  const delivery = deliveryOf(order);
  const optionId = wantedOptionId(delivery);
  const reasons: ReroutePlan['reasons'] = [];
  let wanted = mergeUnits(units);
  const cancelled: RerouteUnit[] = [];
  for (let round = 0; round < 2 && wanted.length > 0; round++) {
    const lines = wanted.map((u) => ({ sku: u.sku, quantity: u.quantity }));
    const request: PromiseRequest =
      delivery.method === 'ship'
        ? { channel: order.channel_id, lines, destination: { postalCode: delivery.address!.postalCode, country: delivery.address!.country }, services: [delivery.service!] }
        : { channel: order.channel_id, lines, pickupLocationId: delivery.pickupLocationId! };
    const computed = await computePromiseFor(deps, request, { excludeSources: excluded, only: optionId, taken: taken.stock, pickLoadTaken: taken.pickLoad });
    if (!computed.ok) {
      reasons.push({ code: computed.code, message: computed.message });
      break;
    }
    const option = computed.value.result.options.find((o) => o.optionId === optionId);
    if (option) return { units: mergeUnits(units), excluded, source: { request, option, sites: sitesOf(computed.value.snapshot), units: wanted }, cancelled: mergeUnits(cancelled), reasons };
    const why = computed.value.result.unavailable.find((u) => u.optionId === optionId)?.reasons ?? [];
    reasons.push(...why.map((r) => ({ code: r.code, message: r.message })));
    const shortfalls = (why.find((r) => r.code === 'no_stock')?.details as { shortfalls?: Array<{ lineId: string; quantity: number }> } | undefined)?.shortfalls ?? [];
    const split = splitByShortfalls(wanted, shortfalls);
    if (split.unserved.length === 0 || split.served.length === 0) break;
    cancelled.push(...split.unserved);
    wanted = split.served;
  }
  return { units: mergeUnits(units), excluded, cancelled: mergeUnits([...cancelled, ...wanted]), reasons };
}

/**
 * What plans made earlier in the same step will take when applied (not held yet, so still in live ATP
 * and today's loads): stock units per location and SKU (not backorders on incoming supply), and pick
 * units per location and pick day, counted as holding the option counts them (promise-holds.ts).
 */
export interface Taken {
  stock: ReadonlyArray<{ locationId: string; sku: string; quantity: number }>;
  pickLoad: ReadonlyArray<{ locationId: string; day: string; units: number }>;
}

export const NOTHING_TAKEN: Taken = { stock: [], pickLoad: [] };

/** `taken` plus what `plan` takes: a later plan of the same step must count on neither. */
export function takenAfter(taken: Taken, plan: ReroutePlan | undefined): Taken {
  const held = (plan?.source?.option.shipments ?? []).filter((s) => s.availableFrom === undefined);
  return {
    stock: [...taken.stock, ...held.flatMap((s) => s.lines.map((l) => ({ locationId: s.locationId, sku: l.sku, quantity: l.quantity })))],
    pickLoad: [...taken.pickLoad, ...held.map((s) => ({ locationId: s.locationId, day: s.departureDate ?? s.earliest.slice(0, 10), units: s.lines.reduce((n, l) => n + l.quantity, 0) }))],
  };
}

function deliveryOf(order: LoadedOrder['order']): PlaceOrderInput['delivery'] {
  if (order.delivery_method === 'ship') return { method: 'ship', service: order.service as ServiceLevel, address: order.address as ShipAddress };
  return { method: order.delivery_method as 'pickup' | 'reserve_and_collect', pickupLocationId: order.pickup_location_id! };
}

/** What a re-routing step saw before its transaction; the step re-plans when it changed meanwhile. */
export interface Seen {
  order: LoadedOrder;
  current: LoadedFulfillment;
}

/** A planned re-routing and the fingerprint of the fulfillment it was planned for. */
export interface PlannedReroute {
  plan: ReroutePlan;
  fingerprint: string;
  /** The fulfillment's own location may source the units again (an ops re-route that does not avoid it). */
  keepsLocation?: boolean;
}

/** The fulfillment and its order as they are now, without locks; another store's fulfillment does not exist (404). */
export async function seeFulfillment(db: DbOrTx, actor: Actor, idOrNumber: string): Promise<Result<Seen>> {
  const id = await findFulfillmentId(db, idOrNumber);
  const current = id ? await loadFulfillment(db, id) : undefined;
  const order = current ? await loadOrder(db, current.fulfillment.order_id) : undefined;
  if (!current || !order || !canAccessLocation(actor, current.fulfillment.location_id)) return fail('fulfillment_not_found', `no fulfillment ${idOrNumber}`);
  return ok({ order, current });
}

/** The units a fulfillment still holds (reserved), per fulfillment line. */
export function heldUnits(f: LoadedFulfillment): RerouteUnit[] {
  return f.lines.filter((l) => l.allocation_status === 'reserved').map((l) => ({ orderLineId: l.order_line_id, sku: l.sku, quantity: l.quantity }));
}

const fingerprint = (f: LoadedFulfillment, excluded: readonly string[]): string =>
  JSON.stringify([f.fulfillment.status, f.fulfillment.updated_at.getTime(), f.lines.map((l) => [l.allocation_id, l.allocation_status, l.quantity]), [...excluded].sort()]);

const exclusionsFor = async (db: DbOrTx, f: FulfillmentRow, keepLocation = false): Promise<string[]> =>
  [...new Set([...(await rerouteExclusions(db, f.order_id)), ...(keepLocation ? [] : [f.location_id])])].sort();

/**
 * Plans re-routing `units` of the seen fulfillment (away from its location unless `keepLocation`), or
 * nothing when the step to `to` is refused anyway. `taken`: stock and pick capacity other plans of the same step take first.
 */
export async function planStep(deps: FulfillmentDeps, seen: Seen, to: FulfillmentStatus, units: readonly RerouteUnit[], keepLocation = false, taken: Taken = NOTHING_TAKEN): Promise<PlannedReroute | undefined> {
  const f = seen.current.fulfillment;
  if (!canTransitionFulfillment(f.kind as FulfillmentKind, f.status as FulfillmentStatus, to)) return undefined;
  const excluded = await exclusionsFor(deps.db, f, keepLocation);
  return { plan: await planReroute(deps, seen.order, units, excluded, taken), fingerprint: fingerprint(seen.current, excluded), ...(keepLocation ? { keepsLocation: true } : {}) };
}

/**
 * Inside the step's transaction (order and fulfillment locked): the plan still fits the fulfillment, or
 * `fulfillment_changed` rolls the step back and it is planned again.
 */
export async function verifyPlanned(c: StepContext, planned: PlannedReroute | undefined): Promise<ReroutePlan> {
  if (!planned || fingerprint(c.current, await exclusionsFor(c.tx, c.current.fulfillment, planned.keepsLocation)) !== planned.fingerprint) {
    throw new BusinessError('fulfillment_changed', `fulfillment ${c.current.fulfillment.number} changed while its units were being re-routed; try again`);
  }
  return planned.plan;
}

const ATTEMPTS = 3;
const RETRY = new Set(['insufficient_stock', 'capacity_exhausted', 'fulfillment_changed']);

/**
 * Runs a re-routing step (plan, then transaction) up to 3 times: when the fulfillment changed, or the
 * stock or pick capacity the plan counted on was taken by another order meanwhile (ATP is refreshed
 * first). Stock still lost on the last try answers out_of_stock.
 */
export async function withRerouteRetries<T>(deps: FulfillmentDeps, attempt: () => Promise<Result<T>>): Promise<Result<T>> {
  for (let n = 1; ; n++) {
    const result = await attempt();
    if (result.ok || !RETRY.has(result.code)) return result;
    if (n >= ATTEMPTS) {
      if (result.code === 'fulfillment_changed') return result;
      return fail('out_of_stock', 'the stock found for the re-routed units was taken by other orders; try again', { reason: result.code, ...(result.details as object) });
    }
    if (result.code !== 'fulfillment_changed') await deps.availability.refresh();
  }
}

/** The new units taken in the step's transaction, before the step moves its fulfillment on. */
export interface Rerouted {
  plan: ReroutePlan;
  allocations: AllocationRow[];
  cancelled: Array<{ line: LineRow; count: number }>;
}

/**
 * First half of applying a plan, inside the step's transaction and before `advance` (so the order's
 * lines never go through a state without their units): the option is held and consumed like checkout
 * does (guarded stock, pick load), its allocations written for the right order lines, and unserved
 * units counted as cancelled on their lines. Throws insufficient_stock / capacity_exhausted when the
 * stock went meanwhile (the step rolls back and is retried).
 */
export async function applyReroute(c: StepContext, plan: ReroutePlan): Promise<Rerouted> {
  const order = c.order.order;
  let allocations: AllocationRow[] = [];
  if (plan.source) {
    const { request, option, sites, units } = plan.source;
    const cart = { channel: order.channel_id, lines: request.lines, delivery: deliveryOf(order) };
    const taken = await holdAndConsume(c.tx, sites, request, option, cart, c.actor, c.now, order.id);
    allocations = await insertAllocations(c.tx, allocationRows(taken, order.id, units.map((u) => u.orderLineId), c.now));
  }
  const cancelled: Rerouted['cancelled'] = [];
  for (const u of plan.cancelled) cancelled.push({ line: await addCancelledUnits(c.tx, u.orderLineId, u.quantity, c.now), count: u.quantity });
  return { plan, allocations, cancelled };
}

/**
 * Second half, after the step moved `from` on: the held units become work (new fulfillments, held
 * until `hold.releaseAt` when given; a pickup order's units join its open pickup), cancelled units are announced (order.cancelled, partial unless
 * nothing is left, reason out_of_stock) and their money voided or refunded, fulfillments left with
 * nothing to do end, a `fulfillment.rerouted` timeline entry says where everything went, and the order's
 * statuses are recomputed.
 */
export async function finishReroute(c: StepContext, r: Rerouted, from: FulfillmentRow, cause: string, hold: { releaseAt?: Date } = {}): Promise<void> {
  if (r.plan.units.length === 0) return;
  const order = c.order.order;
  const created =
    r.allocations.length > 0 && r.plan.source
      ? await createFulfillments(c.tx, { order, lines: c.order.lines, allocations: r.allocations, sites: r.plan.source.sites.sitesById, settings: c.settings, actor: c.actor, now: c.now, ...hold })
      : [];
  const after = c.current.fulfillment.id === from.id ? c.current.fulfillment : from;
  await recordRerouteDecision(c.tx, c.actor, c.now, { orderId: order.id, orderCurrency: order.currency, plan: r.plan, allocationIds: r.allocations.map((a) => a.id), from: after, cause });
  const units = (list: readonly RerouteUnit[]) => list.map((u) => ({ lineId: u.orderLineId, sku: u.sku, quantity: u.quantity }));
  const timeline: NewTimelineEntry[] = [
    {
      order_id: order.id,
      occurred_at: c.now,
      actor: c.actor.id,
      event: 'fulfillment.rerouted',
      status_from: null,
      status_to: null,
      details: {
        fulfillmentId: from.id,
        number: from.number,
        locationId: from.location_id,
        cause,
        excluded: r.plan.excluded,
        units: units(r.plan.units),
        allocations: r.allocations.map((a) => ({ lineId: a.line_id, sku: a.sku, locationId: a.location_id, quantity: a.quantity, status: a.status, transfer: a.transfer })),
        fulfillments: created.map((f) => ({ fulfillmentId: f.id, number: f.number, kind: f.kind, locationId: f.location_id })),
        cancelled: units(r.plan.cancelled),
        ...(r.plan.reasons.length > 0 ? { reasons: r.plan.reasons } : {}),
      },
    },
  ];
  const events: NewEvent[] = [];
  if (r.cancelled.length > 0) {
    const whole = order.status === 'cancelled';
    let amount = whole ? order.shipping_minor : 0;
    for (const { line, count } of r.cancelled) {
      amount += cancelledUnitsValue({ quantity: line.quantity, totalMinor: line.total_minor }, line.cancelled_quantity - count, count);
      timeline.push({
        order_id: order.id,
        occurred_at: c.now,
        actor: c.actor.id,
        event: 'line.units_cancelled',
        status_from: null,
        status_to: null,
        line_id: line.id,
        details: { sku: line.sku, quantity: count, cancelledQuantity: line.cancelled_quantity, reason: 'out_of_stock' },
      });
    }
    events.push(orderEvent('order.cancelled', cancelledPayload(order, r.cancelled.map(({ line, count }) => ({ ...line, quantity: count })), 'out_of_stock', !whole)));
    await giveMoneyBack(c.tx, c.deps.payments, c.actor, c.now, order, amount, 'out_of_stock', timeline, events);
    if (whole) await updateOrder(c.tx, order.id, { cancel_reason: 'out_of_stock' });
  }
  await appendTimeline(c.tx, timeline);
  await appendEvents(c.tx, events);
  if (r.cancelled.length > 0) await cancelEmptiedFulfillments(c.tx, order, c.actor, c.now, 'out_of_stock');
  c.order = (await syncOrderProgress(c.tx, order.id, c.actor, c.now, { event: 'fulfillment.rerouted', details: { fulfillmentId: from.id } })).loaded;
}
