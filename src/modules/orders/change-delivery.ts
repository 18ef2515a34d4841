import { appendEvents } from '../../db/outbox.js';
import { lineStatusOf } from '../../domain/orders/order-allocation.js';
import { assertTransition, deriveOrderStatus, isBeforeFulfillment, type LineStatus } from '../../domain/orders/order-lifecycle.js';
import type { ServiceLevel } from '../../domain/promise/carriers.js';
import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, type Result } from '../../domain/shared/result.js';
import { computePromiseFor } from '../promise/compute-promise.js';
import type { PromiseRequest } from '../promise/promise.schemas.js';
import { cancelOpenFulfillments, lockMergedWork, lockParcelLeadOrders } from '../fulfillment/cancel-fulfillments.js';
import { createFulfillments } from '../fulfillment/create-fulfillments.js';
import { getFulfillmentSettings, releaseHoldEnd } from '../fulfillment/fulfillment-settings.js';
import { findVisibleOrder } from './get-order.js';
import { withOptionalIdempotency } from './idempotent-command.js';
import { appendTimeline, insertAllocations, setLineStatus, updateOrder, type LoadedOrder } from './order.repository.js';
import { orderRef } from './order-payloads.js';
import { allocationRows } from './order-records.js';
import { holdAndConsume, sitesOf, unavailable, type HoldSites } from './order-sourcing.js';
import { orderView, type OrderDeps } from './place-order.js';
import { releaseAllocations } from './release-allocations.js';
import { requestDecision } from '../sourcing/decision-records.js';
import { insertDecision, withDecision } from '../sourcing/sourcing-decision.repository.js';
import type { ChangeDeliveryInput, OrderView, ShipAddress } from './order.schemas.js';

const ATTEMPTS = 3;

/**
 * PATCH /v1/orders/{id}/delivery: a new ship-to address before anything leaves a location. A new postal
 * code or country re-promises the order for its service (same engine as checkout) and re-sources it in
 * one transaction: its held units go back, the new option's units are held (the freed units count), and
 * the new dates replace the old ones. A change within the same postal code keeps stock and dates.
 * 409 when the order is not shipped to an address, is already being fulfilled, or cannot be served there.
 */
export async function changeDelivery(deps: OrderDeps, actor: Actor, idOrNumber: string, input: ChangeDeliveryInput, idempotencyKey?: string): Promise<Result<OrderView>> {
  for (let attempt = 1; ; attempt++) {
    const found = await findVisibleOrder(deps.db, actor, idOrNumber);
    if (!found.ok) return found;
    const refused = changeRefused(found.value);
    if (refused) return refused;
    const before = found.value.order.address as ShipAddress;
    const moves = before.postalCode !== input.address.postalCode || before.country !== input.address.country;
    let plan: { request: PromiseRequest; option: PromiseOption; sites: HoldSites } | undefined;
    if (moves) {
      const live = found.value.lines.filter((l) => l.status !== 'cancelled');
      const request: PromiseRequest = {
        channel: found.value.order.channel_id,
        lines: live.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        destination: { postalCode: input.address.postalCode, country: input.address.country },
        services: [found.value.order.service as ServiceLevel],
      };
      const optionId = `ship:${found.value.order.service}`;
      const computed = await computePromiseFor(deps, request, { only: optionId });
      if (!computed.ok) return computed;
      const option = computed.value.result.options.find((o) => o.optionId === optionId);
      if (!option) return unavailable(optionId, computed.value.result.unavailable.find((u) => u.optionId === optionId)?.reasons ?? []);
      plan = { request, option, sites: sitesOf(computed.value.snapshot) };
    }
    const result = await withOptionalIdempotency(deps.db, `PATCH /v1/orders/${idOrNumber}/delivery ${actor.id}`, idempotencyKey, input, async (tx) => {
      const leadOrders = await lockParcelLeadOrders(tx, idOrNumber);
      const locked = await findVisibleOrder(tx, actor, idOrNumber, true);
      if (!locked.ok) throw BusinessError.of(locked);
      const stillRefused = changeRefused(locked.value);
      if (stillRefused) throw BusinessError.of(stillRefused);
      const { order, lines, allocations } = locked.value;
      const now = deps.clock.now();
      const live = lines.filter((l) => l.status !== 'cancelled');
      const changes: Parameters<typeof updateOrder>[2] = { address: JSON.stringify(input.address), updated_at: now };
      let newStatus = order.status;
      if (plan) {
        await lockMergedWork(tx, order.id, leadOrders);
        await releaseAllocations(tx, allocations.filter((a) => a.status === 'reserved' || a.status === 'backordered'), actor, now, order.number);
        const cart = { channel: order.channel_id, lines: plan.request.lines, delivery: { method: 'ship' as const, service: plan.request.services![0]!, address: input.address } };
        await cancelOpenFulfillments(tx, order, actor, now, 'delivery_changed');
        const taken = await holdAndConsume(tx, plan.sites, plan.request, plan.option, cart, actor, now, order.id);
        const decision = requestDecision(plan.option, live.map((l) => l.id), plan.request.lines, { trigger: 'delivery_changed', currency: plan.sites.currency });
        const decisionId = await insertDecision(tx, { orderId: order.id, actor: actor.id, decidedAt: now }, decision);
        const inserted = await insertAllocations(tx, withDecision(allocationRows(taken, order.id, live.map((l) => l.id), now), decisionId));
        // The new work waits in the release hold like new work (re-planned and merged with the customer's other held orders).
        const settings = await getFulfillmentSettings(tx);
        await createFulfillments(tx, { order: { ...order, address: input.address }, lines, allocations: inserted, sites: plan.sites.sitesById, settings, actor, now, ...releaseHoldEnd(settings, now) });
        const statuses = live.map((l, i) => ({ line: l, status: lineStatusOf(taken.allocations.filter((a) => a.lineIndex === i)) }));
        for (const { line, status } of statuses.filter((s) => s.status !== s.line.status)) {
          const refusedLine = assertTransition('line', line.status, status, line.id);
          if (refusedLine) throw BusinessError.of(refusedLine);
          await setLineStatus(tx, [line.id], status, now);
        }
        const byId = new Map(statuses.map((s) => [s.line.id, s.status]));
        newStatus = deriveOrderStatus(lines.map((l) => byId.get(l.id) ?? (l.status as LineStatus)));
        if (newStatus !== order.status) {
          const refusedOrder = assertTransition('order', order.status, newStatus);
          if (refusedOrder) throw BusinessError.of(refusedOrder);
        }
        Object.assign(changes, {
          status: newStatus,
          promise_earliest: new Date(plan.option.window.earliest),
          promise_latest: new Date(plan.option.window.latest),
          promise_confidence: plan.option.confidence,
          promise_option: JSON.stringify(plan.option),
          promise_token: taken.promise?.token ?? null,
        });
      }
      await updateOrder(tx, order.id, changes);
      const promise = plan ? { optionId: plan.option.optionId, earliest: plan.option.window.earliest, latest: plan.option.window.latest, confidence: plan.option.confidence } : undefined;
      await appendTimeline(tx, [
        {
          order_id: order.id,
          occurred_at: now,
          actor: actor.id,
          event: 'delivery.changed',
          status_from: order.status,
          status_to: newStatus,
          details: {
            from: order.address ?? {},
            to: input.address,
            resourced: plan !== undefined,
            ...(promise ? { previousLatest: order.promise_latest?.toISOString() ?? null, promise } : {}),
          },
        },
      ]);
      await appendEvents(tx, [
        { type: 'order.delivery_changed', aggregateType: 'order', aggregateId: order.id, payload: { ...orderRef(order), address: input.address, ...(promise ? { promise } : {}) } },
      ]);
      return orderView(tx, order.id);
    });
    // Stock seen a moment ago was taken by another order: re-promise against fresh stock.
    if (!result.ok && (result.code === 'insufficient_stock' || result.code === 'capacity_exhausted') && attempt < ATTEMPTS) {
      await deps.availability.refresh();
      continue;
    }
    if (!result.ok && (result.code === 'insufficient_stock' || result.code === 'capacity_exhausted')) {
      return fail('out_of_stock', 'the stock for the new address was taken by other orders', { reason: result.code, ...(result.details as object) });
    }
    return result;
  }
}

function changeRefused({ order, lines }: LoadedOrder) {
  if (order.delivery_method !== 'ship') return fail('delivery_change_not_allowed', `order ${order.number} is not shipped to an address (${order.delivery_method})`, { method: order.delivery_method });
  const started = lines.filter((l) => !isBeforeFulfillment(l.status as LineStatus));
  if (started.length > 0) {
    return fail('delivery_change_not_allowed', `order ${order.number} is already being fulfilled`, { lines: started.map((l) => ({ lineId: l.id, status: l.status })) });
  }
  if (order.status === 'cancelled') return fail('delivery_change_not_allowed', `order ${order.number} is cancelled`, { status: order.status });
  return undefined;
}

