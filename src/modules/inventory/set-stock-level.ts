import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { appendLedger, stockChanged } from './ledger.repository.js';
import { outOfScope, unknownMasterData } from './inventory-checks.js';
import type { SetStockInput, SetStockResult } from './inventory.schemas.js';
import { refreshSafetyStock } from './safety-stock.repository.js';
import { upsertSafetyRuleRow } from './safety-rule.repository.js';
import { ensurePositions, publicPosition, readPosition, setOnHandIfNewer } from './stock.repository.js';

/**
 * Absolute on hand of one position (a count from the POS or WMS), guarded by its source time: a message
 * not newer than the last applied one is answered `{ applied: false, reason: 'stale' }` and changes
 * nothing, so messages arriving out of order never bring back an older figure.
 */
export async function setStockLevel(db: Db, actor: Actor, locationId: string, sku: string, input: SetStockInput): Promise<Result<SetStockResult>> {
  const denied = outOfScope(actor, [locationId]);
  if (denied) return denied;
  const unknown = await unknownMasterData(db, [sku], [locationId]);
  if (unknown) return unknown;
  const asOf = new Date(input.asOf);
  const key = { sku, locationId };

  return db.transaction().execute(async (tx) => {
    await ensurePositions(tx, [key]);
    const set = await setOnHandIfNewer(tx, key, input.onHand, asOf);
    if (!set) {
      const current = await readPosition(tx, key);
      return ok({ applied: false, reason: 'stale' as const, changed: false, position: publicPosition(current!) });
    }
    let position = set.position;
    const safetyBefore = position.safetyStock;
    if (input.safetyStock !== undefined) {
      await upsertSafetyRuleRow(tx, { sku, locationId, quantity: input.safetyStock });
      await refreshSafetyStock(tx, actor, { sku, locationId });
      position = (await readPosition(tx, key))!;
    }
    const changed = set.onHandBefore !== position.onHand || safetyBefore !== position.safetyStock;
    if (set.onHandBefore !== position.onHand) {
      await appendLedger(tx, [
        { sku, locationId, cause: 'set', onHandBefore: set.onHandBefore, onHandAfter: position.onHand, reservedBefore: set.reservedBefore, reservedAfter: position.reserved, source: input.source ?? null, reference: input.asOf, actor: actor.id },
      ]);
    }
    if (changed) await appendEvents(tx, [stockChanged(position, 'set')]);
    return ok({ applied: true, changed, position: publicPosition(position) });
  });
}
