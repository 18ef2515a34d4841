import type { Tx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { appendLedger, stockChanged, type LedgerEntry } from '../inventory/ledger.repository.js';
import { subtractPickLoad } from '../promise/promise.repository.js';
import { subtractReserved } from '../reservations/reservation.repository.js';
import { endAllocations, type AllocationRow } from './order.repository.js';

const byPosition = (a: { sku: string; location_id: string }, b: { sku: string; location_id: string }): number =>
  a.sku === b.sku ? (a.location_id < b.location_id ? -1 : a.location_id > b.location_id ? 1 : 0) : a.sku < b.sku ? -1 : 1;

/**
 * Gives an order's held units back to stock (cancellation, re-sourcing after a delivery change), in the
 * caller's transaction: reserved drops per position in (sku, location) order, one 'release' ledger row
 * per allocation, one stock.changed per position, the pick load it counted is given back, and the
 * allocations end as 'released'. Backordered allocations only end (nothing was held).
 */
export async function releaseAllocations(tx: Tx, allocations: readonly AllocationRow[], actor: Actor, at: Date, orderNumber: string): Promise<void> {
  const held = allocations.filter((a) => a.status === 'reserved').sort(byPosition);
  const ledger: LedgerEntry[] = [];
  const events: NewEvent[] = [];
  for (let i = 0; i < held.length; ) {
    const { sku, location_id: locationId } = held[i]!;
    let j = i;
    while (j < held.length && held[j]!.sku === sku && held[j]!.location_id === locationId) j++;
    const group = held.slice(i, j);
    const total = group.reduce((s, a) => s + a.quantity, 0);
    const after = await subtractReserved(tx, sku, locationId, total);
    let reserved = after.reserved + total;
    for (const a of group) {
      ledger.push({ sku, locationId, cause: 'release', onHandBefore: after.onHand, onHandAfter: after.onHand, reservedBefore: reserved, reservedAfter: reserved - a.quantity, source: a.id, reference: orderNumber, actor: actor.id });
      reserved -= a.quantity;
    }
    events.push(stockChanged(after, 'release'));
    i = j;
  }
  for (const a of held) if (a.pick_day) await subtractPickLoad(tx, a.location_id, a.pick_day, a.quantity);
  await appendLedger(tx, ledger);
  await appendEvents(tx, events);
  await endAllocations(tx, allocations.filter((a) => a.status === 'reserved' || a.status === 'backordered').map((a) => a.id), 'released', at);
}
