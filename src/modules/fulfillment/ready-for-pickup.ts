import { appendEvents } from '../../db/outbox.js';
import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { generatePickupCode, pickupHoldUntil } from '../../domain/fulfillment/pickup-code.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { findLocationFacts } from '../orders/order.repository.js';
import { locationRef, orderEvent, orderRef } from '../orders/order-payloads.js';
import { advance, runStep, type FulfillmentDeps } from './fulfillment-step.js';
import type { FulfillmentView, ReadyForPickupInput } from './fulfillment.schemas.js';
import { recordOutcome } from './location-performance.js';
import { openTransfersTo } from './pickup.repository.js';

/**
 * POST /v1/fulfillments/{id}/ready-for-pickup: the prepared pickup is on the pickup shelf. Refused while
 * a unit is not picked (pickup_not_prepared) or a transfer is still bringing units (awaiting_transfer).
 * A fresh 6-digit pickup code is drawn, the hold runs `pickupHoldDays` from now, the customer gets
 * `order.ready_for_pickup` (code, store, end of the hold) and the order becomes ready_for_pickup. The
 * code never appears in the fulfillment view nor in the timeline: only the customer's message carries it.
 */
export async function readyForPickup(deps: FulfillmentDeps, actor: Actor, id: string, input: ReadyForPickupInput, key?: string): Promise<Result<FulfillmentView>> {
  return runStep(deps, actor, id, input, key, { step: 'ready-for-pickup' }, async (c) => {
    const f = c.current.fulfillment;
    const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, 'ready_for_pickup', f.number);
    if (refused) throw BusinessError.of(refused);
    const travelling = await openTransfersTo(c.tx, f.id);
    if (travelling.length > 0) {
      throw new BusinessError('awaiting_transfer', `pickup ${f.number} waits for ${travelling.length} transfer(s) still on their way`, {
        transfers: travelling.map((t) => ({ fulfillmentId: t.id, number: t.number, locationId: t.location_id, status: t.status })),
      });
    }
    const held = c.current.lines.filter((l) => l.allocation_status === 'reserved');
    const unpicked = held.filter((l) => l.picked_quantity !== l.quantity);
    if (held.length === 0 || unpicked.length > 0) {
      throw new BusinessError('pickup_not_prepared', `pickup ${f.number} has units still to pick`, {
        lines: unpicked.map((l) => ({ lineId: l.id, sku: l.sku, quantity: l.quantity, pickedQuantity: l.picked_quantity })),
      });
    }
    const store = await findLocationFacts(c.tx, f.location_id);
    if (!store) throw new Error(`pickup store ${f.location_id} vanished`);
    const code = generatePickupCode();
    const holdUntil = new Date(pickupHoldUntil(c.now.getTime(), c.settings.pickupHoldDays));
    await advance(
      c,
      'ready_for_pickup',
      { ready_at: c.now, pickup_code: code, pickup_attempts: 0, pickup_locked_until: null, hold_until: holdUntil, reminder_sent_at: null, ...(input.note ? { note: input.note } : {}) },
      { holdUntil: holdUntil.toISOString() },
    );
    await appendEvents(c.tx, [
      orderEvent('order.ready_for_pickup', { ...orderRef(c.order.order), pickupCode: code, pickupLocation: locationRef(store), holdUntil: holdUntil.toISOString() }),
    ]);
    await recordOutcome(c.tx, f.location_id, 'completed', c.now);
  });
}
