import { sql, type Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { LocationTable } from '../../db/schema.js';
import type { Location, LocationInput } from './location.schemas.js';

export function toLocation(r: Selectable<LocationTable>): Location {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    address: r.address,
    latitude: r.latitude,
    longitude: r.longitude,
    timeZone: r.time_zone,
    openingHours: r.opening_hours,
    openingExceptions: r.opening_exceptions,
    capabilities: r.capabilities,
    dailyPickCapacity: r.daily_pick_capacity,
    handlingCostMinor: r.handling_cost_minor,
    priority: r.priority,
    dataReliability: r.data_reliability,
    active: r.active,
    cutoffs: r.cutoffs,
    processingDays: r.processing_days,
    pickupPrepMinutes: r.pickup_prep_minutes,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function findLocation(db: DbOrTx, id: string, forUpdate = false): Promise<Location | undefined> {
  let q = db.selectFrom('location').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toLocation(row) : undefined;
}

export interface LocationFilter {
  type?: string;
  active?: boolean;
  capability?: string;
  ids?: readonly string[];
  after?: string;
  limit: number;
}

export async function listLocations(db: DbOrTx, f: LocationFilter): Promise<Location[]> {
  let q = db.selectFrom('location').selectAll().orderBy('id').limit(f.limit);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  // An explicit text[] (PGlite does not serialise a bare JS array parameter as a PostgreSQL array).
  if (f.capability) q = q.where(sql<boolean>`capabilities @> ARRAY[${f.capability}]::text[]`);
  if (f.ids) q = q.where('id', 'in', f.ids.length > 0 ? [...f.ids] : ['']);
  if (f.after) q = q.where('id', '>', f.after);
  return (await q.execute()).map(toLocation);
}

export async function upsertLocationRow(db: DbOrTx, id: string, input: LocationInput): Promise<Location> {
  const values = {
    id,
    name: input.name,
    type: input.type,
    address: JSON.stringify(input.address ?? {}),
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    time_zone: input.timeZone,
    opening_hours: JSON.stringify(input.openingHours ?? {}),
    opening_exceptions: JSON.stringify(input.openingExceptions ?? []),
    capabilities: input.capabilities ?? [],
    daily_pick_capacity: input.dailyPickCapacity ?? null,
    handling_cost_minor: input.handlingCostMinor ?? 0,
    priority: input.priority ?? 0,
    data_reliability: input.dataReliability ?? 1,
    active: input.active ?? true,
    cutoffs: JSON.stringify(input.cutoffs ?? {}),
    processing_days: input.processingDays ?? null,
    pickup_prep_minutes: input.pickupPrepMinutes ?? null,
  };
  const { id: _id, ...update } = values;
  const row = await db
    .insertInto('location')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...update, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toLocation(row);
}
