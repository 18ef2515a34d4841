import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import type { CarrierInput, CarrierView } from './carrier.schemas.js';
import { findCarrier, upsertCarrierRow } from './promise.repository.js';

/** What the schema cannot say: bands ascending, one lane per band, no service level twice per origin set. */
function checkServices(input: CarrierInput): string | undefined {
  for (const [i, s] of input.services.entries()) {
    for (let b = 1; b < s.rates.length; b++) {
      if (s.rates[b]!.maxWeightGrams <= s.rates[b - 1]!.maxWeightGrams) return `services[${i}].rates: weight bands must be strictly ascending`;
    }
    const lanes = new Set<string>();
    for (const lane of s.lanes) {
      const key = `${lane.country}:${lane.maxDistanceKm ?? 'any'}`;
      if (lanes.has(key)) return `services[${i}].lanes: lane ${key} is given twice`;
      lanes.add(key);
      if (!s.destinationCountries.includes(lane.country)) return `services[${i}].lanes: ${lane.country} is not among destinationCountries`;
    }
    for (const country of s.destinationCountries) {
      if (!s.lanes.some((l) => l.country === country)) return `services[${i}]: no transit lane for destination ${country}`;
    }
  }
  return undefined;
}

/** PUT semantics: creates or replaces a carrier and all its services; audited, and announced as an event. */
export async function putCarrier(db: Db, actor: Actor, id: string, input: CarrierInput): Promise<Result<{ carrier: CarrierView; created: boolean }>> {
  const problem = checkServices(input);
  if (problem) return fail('validation_failed', problem);
  return db.transaction().execute(async (tx) => {
    const before = await findCarrier(tx, id, true);
    const carrier = await upsertCarrierRow(tx, id, {
      name: input.name,
      trackingUrlTemplate: input.trackingUrlTemplate ?? null,
      active: input.active ?? true,
      services: input.services,
    });
    await writeAudit(tx, actor, before ? 'carrier.updated' : 'carrier.created', 'carrier', id, before ?? null, carrier);
    await appendEvents(tx, [{ type: 'carrier.upserted', aggregateType: 'carrier', aggregateId: id, payload: carrier }]);
    return ok({ carrier, created: !before });
  });
}
