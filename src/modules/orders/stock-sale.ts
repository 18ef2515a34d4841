import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import { appendLedger, stockChanged, type LedgerEntry, type PositionState } from '../inventory/ledger.repository.js';

/**
 * A counter sale (carry_out): the goods leave the store at once, so on hand drops in the order's
 * transaction, with a 'sale' ledger row and a stock.changed event per position. The guard keeps units
 * other orders hold (on hand − reserved ≥ quantity) but not the safety stock: the customer has the item
 * in hand, the buffer only protects remote promises. Positions are written in (sku, location) order,
 * like every other stock writer. Throws BusinessError out_of_stock listing every shortfall.
 */
export async function sellFromStore(tx: Tx, storeId: string, lines: readonly { sku: string; quantity: number }[], actor: Actor, orderNumber: string): Promise<void> {
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  const ledger: LedgerEntry[] = [];
  const events: NewEvent[] = [];
  const shortfalls: Array<{ sku: string; locationId: string; requested: number; available: number }> = [];
  for (const [sku, quantity] of [...bySku].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const after = await removeOnHandGuarded(tx, sku, storeId, quantity);
    if (!after) {
      const r = await sql<{ free: number }>`SELECT greatest(on_hand - reserved, 0) AS free FROM stock_position WHERE sku = ${sku} AND location_id = ${storeId}`.execute(tx);
      shortfalls.push({ sku, locationId: storeId, requested: quantity, available: r.rows[0]?.free ?? 0 });
      continue;
    }
    ledger.push({
      sku,
      locationId: storeId,
      cause: 'sale',
      onHandBefore: after.onHand + quantity,
      onHandAfter: after.onHand,
      reservedBefore: after.reserved,
      reservedAfter: after.reserved,
      source: 'carry_out',
      reference: orderNumber,
      actor: actor.id,
    });
    events.push(stockChanged(after, 'sale'));
  }
  if (shortfalls.length > 0) throw new BusinessError('out_of_stock', 'the store does not hold every line', { shortfalls });
  await appendLedger(tx, ledger);
  await appendEvents(tx, events);
}

async function removeOnHandGuarded(tx: Tx, sku: string, locationId: string, quantity: number): Promise<PositionState | undefined> {
  const r = await sql<PositionState>`
    UPDATE stock_position SET on_hand = on_hand - ${quantity}
    WHERE sku = ${sku} AND location_id = ${locationId} AND on_hand - reserved >= ${quantity}
    RETURNING sku, location_id AS "locationId", on_hand AS "onHand", reserved, safety_stock AS "safetyStock"`.execute(tx);
  return r.rows[0];
}
