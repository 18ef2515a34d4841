import type { DbOrTx } from '../../db/database.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { findHoldRows, toHold, type ReservationRow } from './reservation.repository.js';
import type { Hold } from './reservation.schemas.js';

/** A store key sees a hold only if every line is at one of its locations. */
export function holdAccess(actor: Actor, holdId: string, rows: readonly ReservationRow[]): Result<void> {
  if (rows.length === 0) return fail('hold_not_found', `no reservation ${holdId}`);
  const outside = [...new Set(rows.map((r) => r.location_id).filter((id) => !canAccessLocation(actor, id)))];
  if (outside.length > 0) return fail('location_out_of_scope', 'this key may not see holds at these locations', { locationIds: outside });
  return ok(undefined);
}

export async function getHold(db: DbOrTx, actor: Actor, holdId: string): Promise<Result<Hold>> {
  const rows = await findHoldRows(db, holdId);
  const access = holdAccess(actor, holdId, rows);
  return access.ok ? ok(toHold(rows)) : access;
}
