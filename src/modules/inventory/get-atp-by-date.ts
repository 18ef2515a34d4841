import type { DbOrTx } from '../../db/database.js';
import { atpTimeline } from '../../domain/inventory/atp-timeline.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import type { Static } from 'typebox';
import type { AtpByDate } from './inventory.schemas.js';
import { openSupplyOf } from './supply.repository.js';
import { listPositionsOfSku, productExists } from './stock.repository.js';

/** ATP of a SKU today and as open supply arrives, at one location or over the caller's network. */
export async function getAtpByDate(db: DbOrTx, clock: Clock, actor: Actor, sku: string, locationId?: string): Promise<Result<Static<typeof AtpByDate>>> {
  if (!(await productExists(db, sku))) return fail('sku_not_found', `no product ${sku}`);
  const scope = locationId ? [locationId] : actor.role === 'store' ? actor.locationIds : undefined;
  const [positions, incoming] = await Promise.all([listPositionsOfSku(db, sku, scope), openSupplyOf(db, sku, scope)]);
  const points = atpTimeline(positions, incoming, clock.now());
  return ok({ sku, locationId: locationId ?? null, points: points.map((p) => ({ ...p, at: p.at.toISOString() })) });
}
