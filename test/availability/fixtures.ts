import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/** Plain-SQL fixtures: the stock feed endpoints are built elsewhere, and these tests only read. */
export interface LocationFixture {
  id: string;
  type?: string;
  lat?: number | null;
  lng?: number | null;
  active?: boolean;
}

export async function insertLocations(db: Db, locations: LocationFixture[]): Promise<void> {
  for (const l of locations) {
    await sql`
      INSERT INTO location (id, name, type, latitude, longitude, time_zone, active)
      VALUES (${l.id}, ${`Location ${l.id}`}, ${l.type ?? 'store'}, ${l.lat ?? null}, ${l.lng ?? null}, 'Europe/Paris', ${l.active ?? true})`.execute(db);
  }
}

export async function insertProducts(db: Db, skus: string[]): Promise<void> {
  for (const sku of skus) await sql`INSERT INTO product (sku, name) VALUES (${sku}, ${`Product ${sku}`})`.execute(db);
}

export async function setPosition(db: Db, sku: string, locationId: string, onHand: number, reserved = 0, safetyStock = 0): Promise<void> {
  await sql`
    INSERT INTO stock_position (sku, location_id, on_hand, reserved, safety_stock)
    VALUES (${sku}, ${locationId}, ${onHand}, ${reserved}, ${safetyStock})
    ON CONFLICT (sku, location_id) DO UPDATE
      SET on_hand = excluded.on_hand, reserved = excluded.reserved, safety_stock = excluded.safety_stock`.execute(db);
}

export async function upsertChannel(
  db: Db,
  id: string,
  opts: { eligible?: string[] | null; pool?: Record<string, unknown>; active?: boolean } = {},
): Promise<void> {
  const values = {
    id,
    name: id,
    type: id.startsWith('marketplace') ? 'marketplace' : id === 'pos' ? 'pos' : 'web',
    eligible_location_ids: opts.eligible ?? null,
    pool: JSON.stringify(opts.pool ?? {}),
    active: opts.active ?? true,
  };
  await db
    .insertInto('channel')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ eligible_location_ids: values.eligible_location_ids, pool: values.pool, active: values.active }))
    .execute();
}
