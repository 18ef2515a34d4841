import type { DbOrTx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { cancelOpenFulfillments } from '../fulfillment/cancel-fulfillments.js';
import { createFulfillments } from '../fulfillment/create-fulfillments.js';
import { orderFulfillments } from '../fulfillment/fulfillment.repository.js';
import { getFulfillmentSettings } from '../fulfillment/fulfillment-settings.js';
import { computePromiseFor } from '../promise/compute-promise.js';
import type { PromiseRequest } from '../promise/promise.schemas.js';
import type { ChangePickupInput } from './change-pickup.schemas.js';
import { findVisibleOrder, getOrder } from './get-order.js';
import { withOptionalIdempotency } from './idempotent-command.js';
import { appendTimeline, findLocationFacts, insertAllocations, updateOrder, type LoadedOrder, type LocationFacts } from './order.repository.js';
import { locationRef, orderRef } from './order-payloads.js';
import { syncOrderProgress } from './order-progress.js';
import { allocationRows } from './order-records.js';
import { holdAndConsume, sitesOf, unavailable, wantedOptionId, type HoldSites } from './order-sourcing.js';
import { orderView, type OrderDeps } from './place-order.js';
import { releaseAllocations } from './release-allocations.js';
import { requestDecision } from '../sourcing/decision-records.js';
import { insertDecision, withDecision } from '../sourcing/sourcing-decision.repository.js';
import type { OrderView, PlaceOrderInput } from './order.schemas.js';

const ATTEMPTS = 3;

interface Plan {
  request: PromiseRequest;
  option: PromiseOption;
  sites: HoldSites;
  store: LocationFacts;
}

/**
 * PATCH /v1/orders/{id}/pickup: the customer collects from another store, before the order is prepared
 * (no pickup picked or ready, no transfer on its way; else 409 pickup_switch_not_allowed). The order's
 * option (click & collect or reserve & collect) is promised again for the new store, against live stock
 * outside the transaction, then in one transaction: its held units go back, the work of the old store
 * (and of the transfers feeding it) is cancelled, the new option is held and becomes allocations and
 * fulfillments, and the new dates replace the old ones; timeline and order.delivery_changed. The same
 * store answers the order unchanged.
 */
export async function changePickupStore(deps: OrderDeps, actor: Actor, idOrNumber: string, input: ChangePickupInput, idempotencyKey?: string): Promise<Result<OrderView>> {
  for (let attempt = 1; ; attempt++) {
    const found = await findVisibleOrder(deps.db, actor, idOrNumber);
    if (!found.ok) return found;
    const refused = await switchRefused(deps.db, found.value);
    if (refused) return refused;
    if (found.value.order.pickup_location_id === input.pickupLocationId) return getOrder(deps.db, actor, found.value.order.id);
    const planned = await plan(deps, found.value, input.pickupLocationId);
    if (!planned.ok) return planned;
    const p = planned.value;

    const result = await withOptionalIdempotency(deps.db, `PATCH /v1/orders/${idOrNumber}/pickup ${actor.id}`, idempotencyKey, input, async (tx) => {
      const locked = await findVisibleOrder(tx, actor, idOrNumber, true);
      if (!locked.ok) throw BusinessError.of(locked);
      const stillRefused = await switchRefused(tx, locked.value);
      if (stillRefused) throw BusinessError.of(stillRefused);
      const { order, lines, allocations } = locked.value;
      const now = deps.clock.now();
      const live = lines.filter((l) => l.status !== 'cancelled');
      const from = order.pickup_location_id;

      await releaseAllocations(tx, allocations.filter((a) => a.status === 'reserved' || a.status === 'backordered'), actor, now, order.number);
      await cancelOpenFulfillments(tx, order, actor, now, 'pickup_store_changed');
      const delivery = { method: order.delivery_method, pickupLocationId: p.store.id } as PlaceOrderInput['delivery'];
      const taken = await holdAndConsume(tx, p.sites, p.request, p.option, { channel: order.channel_id, lines: p.request.lines, delivery }, actor, now, order.id);
      const decision = requestDecision(p.option, live.map((l) => l.id), p.request.lines, { trigger: 'pickup_store_changed', currency: p.sites.currency });
      const decisionId = await insertDecision(tx, { orderId: order.id, actor: actor.id, decidedAt: now }, decision);
      const inserted = await insertAllocations(tx, withDecision(allocationRows(taken, order.id, live.map((l) => l.id), now), decisionId));
      const promise = { optionId: p.option.optionId, earliest: p.option.window.earliest, latest: p.option.window.latest, confidence: p.option.confidence };
      await updateOrder(tx, order.id, {
        pickup_location_id: p.store.id,
        promise_earliest: new Date(promise.earliest),
        promise_latest: new Date(promise.latest),
        promise_confidence: promise.confidence,
        promise_option: JSON.stringify(p.option),
        promise_token: taken.promise?.token ?? null,
        updated_at: now,
      });
      const moved = { ...order, pickup_location_id: p.store.id };
      await createFulfillments(tx, { order: moved, lines, allocations: inserted, sites: p.sites.sitesById, settings: await getFulfillmentSettings(tx), actor, now });
      const progress = await syncOrderProgress(tx, order.id, actor, now, { event: 'delivery.changed', details: { pickupLocationId: p.store.id } });
      await appendTimeline(tx, [
        {
          order_id: order.id,
          occurred_at: now,
          actor: actor.id,
          event: 'delivery.changed',
          status_from: order.status,
          status_to: progress.to,
          details: { fromPickupLocationId: from, toPickupLocationId: p.store.id, resourced: true, previousLatest: order.promise_latest?.toISOString() ?? null, promise },
        },
      ]);
      await appendEvents(tx, [
        {
          type: 'order.delivery_changed',
          aggregateType: 'order',
          aggregateId: order.id,
          payload: { ...orderRef(moved), method: order.delivery_method, previousPickupLocationId: from, pickupLocation: locationRef(p.store), promise },
        },
      ]);
      return orderView(tx, order.id);
    });
    // Stock seen a moment ago was taken by another order: promise again against fresh stock.
    if (!result.ok && (result.code === 'insufficient_stock' || result.code === 'capacity_exhausted')) {
      if (attempt < ATTEMPTS) {
        await deps.availability.refresh();
        continue;
      }
      return fail('out_of_stock', 'the stock for the new pickup store was taken by other orders', { reason: result.code, ...(result.details as object) });
    }
    return result;
  }
}

/** The order's option for the new store, as POST /v1/promise would show it, with the master data to hold it. */
async function plan(deps: OrderDeps, { order, lines }: LoadedOrder, pickupLocationId: string): Promise<Result<Plan>> {
  const store = await findLocationFacts(deps.db, pickupLocationId);
  if (!store || !store.active || store.type !== 'store' || !store.capabilities.includes('pickup')) {
    return fail('invalid_delivery', `${pickupLocationId} is not an active pickup store`, { method: order.delivery_method, pickupLocationId });
  }
  const request: PromiseRequest = {
    channel: order.channel_id,
    lines: lines.filter((l) => l.status !== 'cancelled').map((l) => ({ sku: l.sku, quantity: l.quantity - l.cancelled_quantity })),
    pickupLocationId,
  };
  const optionId = wantedOptionId({ method: order.delivery_method, pickupLocationId } as PlaceOrderInput['delivery']);
  const computed = await computePromiseFor(deps, request, { only: optionId });
  if (!computed.ok) return computed;
  const option = computed.value.result.options.find((o) => o.optionId === optionId);
  if (!option) return unavailable(optionId, computed.value.result.unavailable.find((u) => u.optionId === optionId)?.reasons ?? []);
  return ok({ request, option, sites: sitesOf(computed.value.snapshot), store });
}

/** Why the order cannot change pickup store now: not a pickup order, over, or already being prepared. */
async function switchRefused(db: DbOrTx, { order }: LoadedOrder): Promise<Failure | undefined> {
  const method = order.delivery_method;
  if (method !== 'pickup' && method !== 'reserve_and_collect') {
    return fail('pickup_switch_not_allowed', `order ${order.number} is not collected in a store (${method})`, { method });
  }
  if (order.status === 'cancelled' || order.status === 'completed') {
    return fail('pickup_switch_not_allowed', `order ${order.number} is ${order.status}`, { status: order.status });
  }
  const prepared = (await orderFulfillments(db, order.id)).filter(
    (f) => (f.kind === 'pickup' && ['picked', 'ready_for_pickup', 'collected'].includes(f.status)) || (f.kind === 'transfer' && ['shipped', 'received'].includes(f.status)),
  );
  if (prepared.length > 0) {
    return fail('pickup_switch_not_allowed', `order ${order.number} is already being prepared for ${order.pickup_location_id}`, {
      fulfillments: prepared.map((f) => ({ fulfillmentId: f.id, number: f.number, kind: f.kind, locationId: f.location_id, status: f.status })),
    });
  }
  return undefined;
}
