import { assertFulfillmentTransition, ENDED_STATUSES, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { cancelEmptiedFulfillments } from './cancel-fulfillments.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import { loadFulfillment } from './fulfillment.repository.js';
import { holdArrivedUnits } from './pickup.repository.js';
import type { FulfillmentView, ReceiveInput } from './fulfillment.schemas.js';
import { moveStock } from './stock-moves.js';

/**
 * POST /v1/fulfillments/{id}/receive: the pickup store receives a shipped transfer (a key of the store
 * it goes to acts, not the sender). The units enter the store's stock, on hand and reserved together
 * ('transfer_in'), and are held for the order under new allocations served by the pickup, already
 * picked: they arrive prepared. A pickup left with nothing to prepare moves to `picked` (through
 * `accepted`) in the same step, so the store can make it ready. Units whose line was cancelled while
 * they travelled, or whose pickup was called off, arrive as free stock.
 */
export async function receiveTransfer(deps: FulfillmentDeps, actor: Actor, id: string, input: ReceiveInput, key?: string): Promise<Result<FulfillmentView>> {
  return runStep(deps, actor, id, input, key, { step: 'receive', actingLocation: 'destination' }, async (c) => {
    const transfer = c.current.fulfillment;
    const refused = assertFulfillmentTransition(transfer.kind as FulfillmentKind, transfer.status as FulfillmentStatus, 'received', transfer.number);
    if (refused) throw BusinessError.of(refused);
    const store = transfer.destination_location_id;
    if (store === null) throw new Error(`transfer ${transfer.number} has no destination`);

    const carriedIds = new Set(c.current.lines.filter((l) => l.allocation_status === 'transferred').map((l) => l.allocation_id));
    const carried = c.order.allocations.filter((a) => carriedIds.has(a.id));
    const pickup = transfer.pickup_fulfillment_id ? await loadFulfillment(c.tx, transfer.pickup_fulfillment_id, true) : undefined;
    const pickupOpen = pickup !== undefined && !ENDED_STATUSES.has(pickup.fulfillment.status as FulfillmentStatus);
    const liveLines = new Set(c.order.lines.filter((l) => l.status !== 'cancelled').map((l) => l.id));
    const wanted = pickupOpen ? carried.filter((a) => liveLines.has(a.line_id)) : [];
    const unwanted = carried.filter((a) => !wanted.includes(a));

    const held = pickupOpen ? await holdArrivedUnits(c.tx, wanted, store, pickup.fulfillment.id, c.now) : [];
    await moveStock(
      c.tx,
      [
        ...held.map((a) => ({ sku: a.sku, locationId: store, onHandDelta: a.quantity, reservedDelta: a.quantity, source: a.id })),
        ...unwanted.map((a) => ({ sku: a.sku, locationId: store, onHandDelta: a.quantity, reservedDelta: 0, source: a.id })),
      ],
      'transfer_in',
      c.actor,
      transfer.number,
    );
    await advance(c, 'received', { ended_at: c.now, ...(input.note ? { note: input.note } : {}) }, {
      units: held.map((a) => ({ sku: a.sku, quantity: a.quantity, allocationId: a.id })),
      ...(unwanted.length > 0 ? { freeStock: unwanted.map((a) => ({ sku: a.sku, quantity: a.quantity })) } : {}),
      ...(pickup ? { pickupFulfillmentId: pickup.fulfillment.id } : {}),
    });
    if (pickupOpen) await prepareIfComplete(c, pickup.fulfillment.id, transfer.number);
    if (unwanted.length > 0) await cancelEmptiedFulfillments(c.tx, c.order.order, c.actor, c.now, 'nothing_left_to_collect');
  });
}

/** Moves the pickup to `picked` when every unit it holds is picked (nothing left for the store to find). */
async function prepareIfComplete(c: StepContext, pickupId: string, transferNumber: string): Promise<void> {
  const loaded = await loadFulfillment(c.tx, pickupId);
  if (!loaded) throw new Error(`pickup ${pickupId} vanished`);
  const status = loaded.fulfillment.status;
  const held = loaded.lines.filter((l) => l.allocation_status === 'reserved');
  if ((status !== 'pending' && status !== 'accepted') || held.length === 0 || held.some((l) => l.picked_quantity !== l.quantity)) return;
  const sub: StepContext = { ...c, current: loaded };
  const details = { cause: 'transfer_received', transfer: transferNumber };
  if (status === 'pending') await advance(sub, 'accepted', { accepted_at: c.now }, details);
  await advance(sub, 'picked', { picked_at: c.now }, details);
  c.order = sub.order;
}
