import type { Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { systemActor, type Actor } from '../../domain/shared/actor.js';
import { writeAudit } from '../audit/audit.repository.js';
import type { ShortfallState } from './shortfall.repository.js';

/** Who frees units when on hand fell under reserved: the timeline, ledger and audit name it. */
export const SHORTFALL_ACTOR: Actor = systemActor('shortfall-resolver');

/** The cause re-routes, sourcing decisions and cancellations record when a stock feed took the units. */
export const STOCK_LOST = 'stock_lost';

/** What one resolution step did to the position (one claim giving units up). */
export type ShortfallAction =
  | { kind: 'cart_hold'; holdId: string; reservationId: string; units: number; holdEnded: boolean }
  | { kind: 'promise_hold'; token: string; holdId: string; units: number }
  | {
      kind: 'order';
      orderId: string;
      orderNumber: string;
      fulfillmentId: string;
      fulfillmentNumber: string;
      units: number;
      /** Where the lost units went: new allocations (reserved elsewhere, or backordered on incoming supply) and cancelled units. */
      rerouted: Array<{ sku: string; locationId: string; quantity: number; status: string }>;
      cancelled: Array<{ sku: string; quantity: number }>;
      fulfillmentCancelled: boolean;
    };

/**
 * The record of one step, in its transaction: an audit row (the position before and after, and the
 * action) and an `inventory.shortfall_resolved` event with the position, the shortfall it found, the
 * units freed, what is left and what was done.
 */
export async function recordShortfallStep(tx: Tx, before: ShortfallState, after: { onHand: number; reserved: number }, action: ShortfallAction): Promise<void> {
  const id = `${before.locationId}/${before.sku}`;
  const payload = {
    sku: before.sku,
    locationId: before.locationId,
    onHand: after.onHand,
    shortfall: before.shortfall,
    freed: before.reserved - after.reserved,
    remaining: Math.max(0, after.reserved - after.onHand),
    reservedBefore: before.reserved,
    reservedAfter: after.reserved,
    action,
  };
  await writeAudit(tx, SHORTFALL_ACTOR, 'inventory.shortfall_resolved', 'stock_position', id, { onHand: before.onHand, reserved: before.reserved }, { onHand: after.onHand, reserved: after.reserved, action });
  await appendEvents(tx, [{ type: 'inventory.shortfall_resolved', aggregateType: 'stock_position', aggregateId: id, payload }]);
}
