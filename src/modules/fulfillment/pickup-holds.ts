import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { pickupHoldExpired, pickupReminderDue } from '../../domain/fulfillment/pickup-code.js';
import { systemActor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { cancelOrder } from '../orders/cancel-order.js';
import { appendTimeline, findLocationFacts, loadOrder } from '../orders/order.repository.js';
import { locationRef, orderEvent, orderRef } from '../orders/order-payloads.js';
import type { OrderDeps } from '../orders/place-order.js';
import { loadFulfillment, updateFulfillment } from './fulfillment.repository.js';
import { getFulfillmentSettings } from './fulfillment-settings.js';
import { expiredPickups, pickupsToRemind } from './pickup.repository.js';

const BATCH = 200;
const REMINDER_ACTOR = systemActor('pickup-reminder');
const EXPIRY_ACTOR = systemActor('pickup-expiry');

/**
 * The 'pickup-reminder' task: each ready pickup whose hold ends within `pickupReminderHours` gets one
 * `order.pickup_reminder` (same payload as order.ready_for_pickup: code, store, end of the hold), marked
 * by reminder_sent_at in the same transaction, so a restart or a second process never reminds twice.
 * The table is the timer. Returns how many reminders were written.
 */
export async function sendPickupReminders(deps: { db: Db; clock: Clock }, batch = BATCH): Promise<number> {
  const now = deps.clock.now();
  const { pickupReminderHours } = await getFulfillmentSettings(deps.db);
  const due = await pickupsToRemind(deps.db, now, new Date(now.getTime() + pickupReminderHours * 3_600_000), batch);
  let sent = 0;
  for (const candidate of due) {
    sent += await deps.db.transaction().execute(async (tx) => {
      // Order first, then its fulfillment, like every step: a collection racing this one waits.
      const order = await loadOrder(tx, candidate.order_id, true);
      const f = (await loadFulfillment(tx, candidate.id, true))?.fulfillment;
      if (!order || !f || f.status !== 'ready_for_pickup' || f.hold_until === null || f.pickup_code === null) return 0;
      if (!pickupReminderDue({ holdUntil: f.hold_until.getTime(), reminderSentAt: f.reminder_sent_at?.getTime() ?? null }, now.getTime(), pickupReminderHours)) return 0;
      const store = await findLocationFacts(tx, f.location_id);
      if (!store) throw new Error(`pickup store ${f.location_id} vanished`);
      await updateFulfillment(tx, f.id, { reminder_sent_at: now, updated_at: now });
      const holdUntil = f.hold_until.toISOString();
      await appendEvents(tx, [orderEvent('order.pickup_reminder', { ...orderRef(order.order), pickupCode: f.pickup_code, pickupLocation: locationRef(store), holdUntil })]);
      await appendTimeline(tx, [
        { order_id: order.order.id, occurred_at: now, actor: REMINDER_ACTOR.id, event: 'pickup.reminder_sent', status_from: null, status_to: null, details: { fulfillmentId: f.id, number: f.number, holdUntil } },
      ]);
      return 1;
    });
  }
  return sent;
}

export interface ExpiryRun {
  cancelled: string[];
  /** Orders whose uncollected lines could not be cancelled (e.g. collected in the meantime), with why. */
  refused: Array<{ orderId: string; code: string }>;
}

/**
 * The 'pickup-expiry' task: a ready pickup whose hold is over is cancelled through the cancel-order use
 * case (reason not_collected, so the customer's message says why): the lines it holds are cancelled,
 * their units released (they stay on the pickup store's shelves as free stock), the emptied fulfillment
 * ends, the money is voided or refunded, and order.cancelled is written. A pickup collected meanwhile
 * is left alone (the cancel is refused on the locked order).
 */
export async function expireUncollectedPickups(deps: OrderDeps, batch = BATCH): Promise<ExpiryRun> {
  const now = deps.clock.now();
  const run: ExpiryRun = { cancelled: [], refused: [] };
  for (const candidate of await expiredPickups(deps.db, now, batch)) {
    if (!pickupHoldExpired(candidate.hold_until.getTime(), now.getTime())) continue;
    const loaded = await loadFulfillment(deps.db, candidate.id);
    const lineIds = [...new Set((loaded?.lines ?? []).filter((l) => l.allocation_status === 'reserved').map((l) => l.order_line_id))];
    if (lineIds.length === 0) continue;
    const result = await cancelOrder(deps, EXPIRY_ACTOR, candidate.order_id, { reason: 'not_collected', lineIds });
    if (result.ok) run.cancelled.push(candidate.order_id);
    else run.refused.push({ orderId: candidate.order_id, code: result.code });
  }
  return run;
}
