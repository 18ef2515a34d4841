import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { systemActor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { holdEvent, holdsOf, returnReservedStock } from './hold-records.js';
import { endReservations, lockDueReservations } from './reservation.repository.js';

const EXPIRY_BATCH = 500;
const EXPIRY_ACTOR = systemActor('expiry');

/**
 * Expires every active hold whose `expires_at` has passed, in batches of one transaction each. The table is
 * the timer: nothing is kept in memory, so holds still expire after a restart, and SKIP LOCKED lets several
 * Ordo processes run this at once without expiring a row twice. Returns how many lines it expired.
 */
export async function expireDueHolds(ctx: { db: Db; clock: Clock }, batchSize = EXPIRY_BATCH): Promise<number> {
  let expired = 0;
  for (;;) {
    const now = ctx.clock.now();
    const count = await ctx.db.transaction().execute(async (tx) => {
      const due = await lockDueReservations(tx, now, batchSize);
      const ended = await endReservations(tx, due.map((r) => r.id), 'expired', now, EXPIRY_ACTOR.id);
      if (ended.length === 0) return 0;
      const stockEvents = await returnReservedStock(tx, ended, 'expiry', EXPIRY_ACTOR.id);
      await appendEvents(tx, [...holdsOf(ended).map((h) => holdEvent('reservation.expired', h)), ...stockEvents]);
      return ended.length;
    });
    expired += count;
    if (count < batchSize) return expired;
  }
}
