import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { outOfScope, unknownMasterData } from './inventory-checks.js';
import type { SupplyInput, SupplyLine } from './inventory.schemas.js';
import { upsertSupplyLines } from './supply.repository.js';

/** Records a purchase order or transfer on its way (idempotent: the same message twice changes nothing more). */
export async function recordSupply(db: Db, clock: Clock, actor: Actor, input: SupplyInput): Promise<Result<{ lines: SupplyLine[] }>> {
  const denied = outOfScope(actor, input.lines.map((l) => l.locationId));
  if (denied) return denied;
  const unknown = await unknownMasterData(db, input.lines.map((l) => l.sku), input.lines.map((l) => l.locationId));
  if (unknown) return unknown;
  return db.transaction().execute(async (tx) => {
    const lines = await upsertSupplyLines(tx, input, clock.now());
    const id = `${input.kind}:${input.reference}`;
    await writeAudit(tx, actor, 'supply.recorded', 'incoming_supply', id, null, input);
    await appendEvents(tx, [{ type: 'supply.recorded', aggregateType: 'incoming_supply', aggregateId: id, payload: { kind: input.kind, reference: input.reference, lines } }]);
    return ok({ lines });
  });
}
