import type { DbOrTx } from '../../db/database.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, type Failure } from '../../domain/shared/result.js';
import type { SafetyScopeInput } from './inventory.schemas.js';
import { findUnknownMasterData } from './stock.repository.js';

/** Refuses a command naming a location outside the caller's scope (a store key writes only its own stock). */
export function outOfScope(actor: Actor, locationIds: Iterable<string>): Failure | undefined {
  const denied = [...new Set(locationIds)].filter((id) => !canAccessLocation(actor, id));
  return denied.length > 0 ? fail('location_out_of_scope', `this key may not change stock at ${denied.join(', ')}`, { locationIds: denied }) : undefined;
}

/** Refuses a command naming SKUs or locations that do not exist, listing them all at once. */
export async function unknownMasterData(db: DbOrTx, skus: readonly string[], locationIds: readonly string[]): Promise<Failure | undefined> {
  const { unknownSkus, unknownLocations } = await findUnknownMasterData(db, skus, locationIds);
  if (unknownLocations.length > 0) return fail('unknown_location', `unknown location(s): ${unknownLocations.join(', ')}`, { locationIds: unknownLocations, skus: unknownSkus });
  if (unknownSkus.length > 0) return fail('unknown_sku', `unknown SKU(s): ${unknownSkus.slice(0, 20).join(', ')}`, { skus: unknownSkus });
  return undefined;
}

/** The three scopes the table allows: (sku, location), location, location type. */
export function checkScope(s: SafetyScopeInput): Failure | undefined {
  const valid = s.locationType !== undefined ? s.sku === undefined && s.locationId === undefined : s.locationId !== undefined;
  return valid ? undefined : fail('invalid_safety_scope', 'a rule applies to { sku, locationId }, { locationId } or { locationType }', { scope: s });
}

export const scopeOf = (s: SafetyScopeInput): SafetyScopeInput => ({ sku: s.sku, locationId: s.locationId, locationType: s.locationType });
