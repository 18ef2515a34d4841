import type { Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { holdEvent } from './hold-records.js';
import { endReservations, lockHoldRows, toHold } from './reservation.repository.js';
import type { Hold } from './reservation.schemas.js';

/**
 * Turns a hold into an order's allocation, inside the order's transaction: the lines end as `consumed` and
 * `reserved` is left as it is (the order now owns those units), so no ledger row is written here.
 * Call it before the order touches stock positions: the hold's rows are locked first, like release and
 * expiry do, which keeps one lock order. A hold past its expiry time is refused even if the expiry task
 * has not run yet (`now` is the caller's clock time). The caller rolls back on failure.
 */
export async function consumeHold(tx: Tx, holdId: string, actor: Actor, now: Date): Promise<Result<Hold>> {
  const rows = await lockHoldRows(tx, holdId);
  if (rows.length === 0) return fail('hold_not_found', `no reservation ${holdId}`);
  const active = rows.filter((r) => r.status === 'active');
  if (active.length === 0) {
    const status = toHold(rows).status;
    return fail(status === 'expired' ? 'hold_expired' : 'hold_not_active', `reservation ${holdId} is ${status}`, { status });
  }
  if (active.some((r) => new Date(r.expires_at).getTime() <= now.getTime())) {
    return fail('hold_expired', `reservation ${holdId} expired at ${new Date(active[0]!.expires_at).toISOString()}`, { status: 'expired' });
  }
  const ended = await endReservations(tx, active.map((r) => r.id), 'consumed', now, actor.id);
  const endedById = new Map(ended.map((r) => [r.id, r]));
  const hold = toHold(rows.map((r) => endedById.get(r.id) ?? r));
  await appendEvents(tx, [holdEvent('reservation.consumed', hold)]);
  return ok(hold);
}
