import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { unitsToRelease, type HoldClaim } from '../../domain/inventory/stock-shortfall.js';
import { appendLedger, stockChanged } from '../inventory/ledger.repository.js';
import { lockPositionsInOrder, readShortfall } from '../inventory/shortfall.repository.js';
import { recordShortfallStep, SHORTFALL_ACTOR, STOCK_LOST, type ShortfallAction } from '../inventory/shortfall-records.js';
import type { PositionKey } from '../inventory/stock.repository.js';
import { endLockedPromise } from '../promise/promise-holds.js';
import { findPromiseHold } from '../promise/promise.repository.js';
import { holdEvent } from './hold-records.js';
import { endReservations, findHoldRows, lockHoldRows, lockReservation, shortenReservation, subtractReserved, toHold } from './reservation.repository.js';

/**
 * A cart hold's line at an oversold position gives up what the position lacks, in one transaction: the
 * line is locked, then the position (the order every hold command follows), and both are read again
 * under the locks, so two resolvers never free a unit twice. The lock waits for a command busy with the
 * line: skipping it would let an order give up units the line was about to give back (released or
 * expired); consumed meanwhile, the units are an order's and are listed as such next. The line keeps its other units (quantity lowered, `reservation.reduced`) or ends
 * `released` when it gives all of them (`reservation.released` once the hold has no active line).
 * Checkout with that hold then refuses the cart that no longer matches it, as for any changed hold.
 * Returns what was done, or undefined when nothing was (line gone, position no longer oversold).
 */
export async function shortenCartHold(db: Db, claim: HoldClaim, key: PositionKey, now: Date): Promise<ShortfallAction | undefined> {
  return db.transaction().execute(async (tx) => {
    const line = await lockReservation(tx, claim.reservationId);
    if (!line || line.status !== 'active') return undefined;
    const before = await readShortfall(tx, key, true);
    if (!before || before.shortfall <= 0) return undefined;
    const units = unitsToRelease({ type: 'hold', ...claim, kind: 'cart', quantity: line.quantity }, before.shortfall);
    const holdEnded = units === line.quantity;
    if (holdEnded) await endReservations(tx, [line.id], 'released', now, SHORTFALL_ACTOR.id);
    else await shortenReservation(tx, line.id, units);
    const after = await subtractReserved(tx, key.sku, key.locationId, units);
    await appendLedger(tx, [
      { sku: key.sku, locationId: key.locationId, cause: 'release', onHandBefore: after.onHand, onHandAfter: after.onHand, reservedBefore: after.reserved + units, reservedAfter: after.reserved, source: line.id, reference: line.hold_id, actor: SHORTFALL_ACTOR.id },
    ]);
    const hold = toHold(await findHoldRows(tx, line.hold_id));
    const event = hold.status === 'active' ? holdEvent('reservation.reduced', hold) : holdEvent('reservation.released', hold);
    await appendEvents(tx, [stockChanged(after, 'release'), { ...event, payload: { ...hold, reason: STOCK_LOST } }]);
    const action: ShortfallAction = { kind: 'cart_hold', holdId: line.hold_id, reservationId: line.id, units, holdEnded: hold.status !== 'active' };
    await recordShortfallStep(tx, before, after, action);
    return action;
  });
}

/**
 * A promise hold with a line at an oversold position is released whole, in one transaction (the quote
 * of a whole option cannot lose units and stay true): the token first, then its hold's lines, then
 * every position it holds in lock order (the order endPromise follows), the shortfall read again under
 * the lock. Checkout with the token then answers promise_hold_not_active: ask a new promise.
 */
export async function releasePromiseHold(db: Db, claim: HoldClaim, key: PositionKey, now: Date): Promise<ShortfallAction | undefined> {
  if (!claim.token) return undefined;
  const token = claim.token;
  return db.transaction().execute(async (tx) => {
    const row = await findPromiseHold(tx, token, true);
    if (!row || row.status !== 'active' || !row.hold_id) return undefined;
    const active = (await lockHoldRows(tx, row.hold_id)).filter((l) => l.status === 'active');
    if (!active.some((l) => l.sku === key.sku && l.location_id === key.locationId)) return undefined;
    await lockPositionsInOrder(tx, active.map((l) => ({ sku: l.sku, locationId: l.location_id })));
    const before = await readShortfall(tx, key);
    if (!before || before.shortfall <= 0) return undefined;
    await endLockedPromise(tx, row, 'released', now, SHORTFALL_ACTOR.id);
    const after = (await readShortfall(tx, key))!;
    const action: ShortfallAction = { kind: 'promise_hold', token, holdId: row.hold_id, units: before.reserved - after.reserved };
    await recordShortfallStep(tx, before, after, action);
    return action;
  });
}
