import { IANAZone } from 'luxon';
import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { refreshSafetyStock } from '../inventory/safety-stock.repository.js';
import { findLocation, upsertLocationRow } from './location.repository.js';
import type { Location, LocationInput } from './location.schemas.js';

function checkHours(input: LocationInput): string | undefined {
  const days = Object.entries(input.openingHours ?? {});
  for (const [day, intervals] of days) {
    for (const i of intervals ?? []) if (i.open >= i.close) return `openingHours.${day}: open ${i.open} must be before close ${i.close}`;
  }
  for (const e of input.openingExceptions ?? []) {
    if (e.closed && e.hours && e.hours.length > 0) return `openingExceptions ${e.date}: closed and hours both given`;
    for (const i of e.hours ?? []) if (i.open >= i.close) return `openingExceptions ${e.date}: open ${i.open} must be before close ${i.close}`;
  }
  return undefined;
}

/** PUT semantics: creates or replaces a location; its safety stock follows a change of type or reliability. */
export async function upsertLocation(
  db: Db,
  actor: Actor,
  id: string,
  input: LocationInput,
): Promise<Result<{ location: Location; created: boolean }>> {
  if (!IANAZone.isValidZone(input.timeZone)) {
    return fail('invalid_time_zone', `"${input.timeZone}" is not an IANA time zone (e.g. Europe/Paris)`, { field: 'timeZone' });
  }
  if ((input.latitude === undefined) !== (input.longitude === undefined)) {
    return fail('validation_failed', 'latitude and longitude go together', { fields: ['latitude', 'longitude'] });
  }
  const hoursProblem = checkHours(input);
  if (hoursProblem) return fail('validation_failed', hoursProblem);

  return db.transaction().execute(async (tx) => {
    const before = await findLocation(tx, id, true);
    const location = await upsertLocationRow(tx, id, input);
    if (before && (before.type !== location.type || before.dataReliability !== location.dataReliability)) {
      await refreshSafetyStock(tx, actor, { locationId: id });
    }
    await writeAudit(tx, actor, before ? 'location.updated' : 'location.created', 'location', id, before ?? null, location);
    await appendEvents(tx, [{ type: 'location.upserted', aggregateType: 'location', aggregateId: id, payload: location }]);
    return ok({ location, created: !before });
  });
}
