import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import type { SupplyLine } from './inventory.schemas.js';
import { lockSupplyLine, setSupplyStatus } from './supply.repository.js';

/** The supply will not come: it leaves ATP by date. Stock is not touched. */
export async function cancelSupply(db: Db, clock: Clock, actor: Actor, id: string): Promise<Result<SupplyLine>> {
  return db.transaction().execute(async (tx) => {
    const line = await lockSupplyLine(tx, id);
    if (!line || !canAccessLocation(actor, line.locationId)) return fail('supply_not_found', `no incoming supply line ${id}`);
    if (line.status !== 'open') return fail('supply_not_open', `supply line ${id} is already ${line.status}`, { status: line.status });
    const cancelled = await setSupplyStatus(tx, id, 'cancelled', clock.now());
    await writeAudit(tx, actor, 'supply.cancelled', 'incoming_supply', id, line, cancelled);
    await appendEvents(tx, [{ type: 'supply.cancelled', aggregateType: 'incoming_supply', aggregateId: id, payload: cancelled }]);
    return ok(cancelled);
  });
}
