import type { Db, Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import type { Position, SupplyLine } from './inventory.schemas.js';
import { appendLedger, stockChanged } from './ledger.repository.js';
import { addOnHand, ensurePositions, publicPosition, readPosition } from './stock.repository.js';
import { lockSupplyLine, setSupplyStatus } from './supply.repository.js';

/** Orders waiting for arriving units (backorders): served in the receipt's transaction. */
export interface SupplyWaiters {
  lock(tx: Tx, key: { sku: string; locationId: string }): Promise<void>;
  serve(tx: Tx, key: { sku: string; locationId: string }, actor: Actor, now: Date): Promise<void>;
}

/**
 * The goods arrived: the line is received and its quantity joins on hand (ledger 'movement'), once.
 * Orders waiting for them (`waiters`) are locked before the stock moves and served right after, in the
 * same transaction, so the arrived units never look free to anyone else.
 */
export async function receiveSupply(db: Db, clock: Clock, actor: Actor, id: string, waiters?: SupplyWaiters): Promise<Result<{ line: SupplyLine; position: Position }>> {
  return db.transaction().execute(async (tx) => {
    const line = await lockSupplyLine(tx, id);
    if (!line || !canAccessLocation(actor, line.locationId)) return fail('supply_not_found', `no incoming supply line ${id}`);
    if (line.status !== 'open') return fail('supply_not_open', `supply line ${id} is already ${line.status}`, { status: line.status });
    const received = await setSupplyStatus(tx, id, 'received', clock.now());
    const key = { sku: line.sku, locationId: line.locationId };
    await waiters?.lock(tx, key);
    await ensurePositions(tx, [key]);
    const { onHandBefore, position } = await addOnHand(tx, key, line.quantity);
    await appendLedger(tx, [
      { sku: line.sku, locationId: line.locationId, cause: 'movement', onHandBefore, onHandAfter: position.onHand, reservedBefore: position.reserved, reservedAfter: position.reserved, source: `supply:${id}`, reference: `${line.kind}:${line.reference}`, actor: actor.id },
    ]);
    await appendEvents(tx, [stockChanged(position, 'movement'), { type: 'supply.received', aggregateType: 'incoming_supply', aggregateId: id, payload: received }]);
    if (!waiters) return ok({ line: received, position: publicPosition(position) });
    await waiters.serve(tx, key, actor, clock.now());
    const served = await readPosition(tx, key);
    return ok({ line: received, position: publicPosition(served ?? position) });
  });
}
