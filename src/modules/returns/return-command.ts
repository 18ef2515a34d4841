import type { Tx } from '../../db/database.js';
import { assertReturnTransition, type ReturnStatus } from '../../domain/returns/return-lifecycle.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import { loadOrder, type LoadedOrder } from '../orders/order.repository.js';
import { findReturnId, loadReturn, lockOrderRow, type LoadedReturn } from './return.repository.js';

/** What a command on a return works on: its order and the return, both locked, in one transaction. */
export interface ReturnCommand {
  tx: Tx;
  actor: Actor;
  now: Date;
  order: LoadedOrder;
  current: LoadedReturn;
}

/**
 * Locks the return's order, then the return (the order first, like fulfillment steps, so a return and a
 * step on one order queue instead of deadlocking). A store key acts only on returns coming back to its
 * locations: to it any other return does not exist (404).
 */
export async function lockReturn(tx: Tx, actor: Actor, idOrNumber: string, now: Date): Promise<ReturnCommand> {
  const notFound = () => new BusinessError('return_not_found', `no return ${idOrNumber}`);
  const id = await findReturnId(tx, idOrNumber);
  if (!id) throw notFound();
  const peek = await tx.selectFrom('sales_return').select(['order_id', 'location_id']).where('id', '=', id).executeTakeFirstOrThrow();
  if (!canAccessLocation(actor, peek.location_id)) throw notFound();
  await lockOrderRow(tx, peek.order_id);
  const current = await loadReturn(tx, id, true);
  const order = await loadOrder(tx, peek.order_id);
  if (!current || !order) throw notFound();
  return { tx, actor, now, order, current };
}

/** Refuses (invalid_return_transition, 409) when the return cannot go to `to` from where it is. */
export function refuseUnless(c: ReturnCommand, to: ReturnStatus): void {
  const r = c.current.ret;
  const refused = assertReturnTransition(r.status, to, r.number);
  if (refused) throw BusinessError.of(refused);
}
