import type { Tx } from '../../db/database.js';

/**
 * Allocations whose units left the location: to the customer ('fulfilled') or to the pickup store
 * ('transferred'). Only held ('reserved') allocations can leave: anything else is a bug of the caller.
 */
export async function endShippedAllocations(tx: Tx, ids: readonly string[], status: 'fulfilled' | 'transferred', at: Date): Promise<void> {
  if (ids.length === 0) return;
  const r = await tx.updateTable('order_allocation').set({ status, ended_at: at }).where('id', 'in', [...ids]).where('status', '=', 'reserved').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== ids.length) throw new Error(`${ids.length - Number(r.numUpdatedRows)} allocation(s) were not held when they shipped`);
}
