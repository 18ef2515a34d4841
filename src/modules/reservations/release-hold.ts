import type { Db, Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { holdAccess } from './get-hold.js';
import { holdEvent, returnReservedStock } from './hold-records.js';
import { endReservations, lockHoldRows, toHold, type ReservationRow } from './reservation.repository.js';
import type { Hold } from './reservation.schemas.js';

/**
 * Releases a cart hold: its units go back to ATP. Releasing a released hold again answers the same hold
 * (a retried DELETE is harmless); an expired or consumed hold cannot be released.
 */
export async function releaseHold(db: Db, clock: Clock, actor: Actor, holdId: string): Promise<Result<Hold>> {
  return db.transaction().execute(async (tx) => {
    // The hold's rows first, then positions in lock order: expiry takes them in the same order.
    const rows = await lockHoldRows(tx, holdId);
    const access = holdAccess(actor, holdId, rows);
    if (!access.ok) return access;
    if (!rows.some((r) => r.status === 'active')) {
      const hold = toHold(rows);
      return hold.status === 'released' ? ok(hold) : fail('hold_not_active', `reservation ${holdId} is ${hold.status}`, { status: hold.status });
    }
    return ok(await endLockedHold(tx, rows, 'released', clock.now(), actor.id));
  });
}

/**
 * Ends whatever is still active in a hold, inside the caller's transaction (a promise token released or
 * expired): the units go back to ATP with their ledger rows and events. Returns the hold as it ends.
 */
export async function endActiveHold(tx: Tx, holdId: string, status: 'released' | 'expired', now: Date, actorId: string): Promise<Hold | undefined> {
  const rows = await lockHoldRows(tx, holdId);
  if (rows.length === 0) return undefined;
  return rows.some((r) => r.status === 'active') ? endLockedHold(tx, rows, status, now, actorId) : toHold(rows);
}

/** Ends the active lines of a hold whose rows the caller locked: units back to ATP, ledger rows, events. */
async function endLockedHold(tx: Tx, rows: ReservationRow[], status: 'released' | 'expired', now: Date, actorId: string): Promise<Hold> {
  const active = rows.filter((r) => r.status === 'active');
  const ended = await endReservations(tx, active.map((r) => r.id), status, now, actorId);
  const stockEvents = await returnReservedStock(tx, ended, status === 'released' ? 'release' : 'expiry', actorId);
  const endedById = new Map(ended.map((r) => [r.id, r]));
  const hold = toHold(rows.map((r) => endedById.get(r.id) ?? r));
  await appendEvents(tx, [holdEvent(`reservation.${status}`, hold), ...stockEvents]);
  return hold;
}
