import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/**
 * Seeds master data and stock straight into the tables: these suites test holds, not the catalogue or
 * feed endpoints, and must not depend on their validation.
 */
export async function seedStock(
  db: Db,
  positions: { sku: string; locationId: string; onHand: number; safetyStock?: number }[],
  channels: { id: string; eligibleLocationIds: string[] | null; active?: boolean }[] = [],
): Promise<void> {
  const skus = [...new Set(positions.map((p) => p.sku))];
  const locations = [...new Set(positions.map((p) => p.locationId))];
  await db.insertInto('product').values(skus.map((sku) => ({ sku, name: `Product ${sku}`, active: true, backorderable: false, preorderable: false }))).onConflict((oc) => oc.doNothing()).execute();
  await db
    .insertInto('location')
    .values(
      locations.map((id) => ({
        id,
        name: `Location ${id}`,
        type: 'warehouse',
        time_zone: 'Europe/Paris',
        capabilities: ['ship'],
        handling_cost_minor: 0,
        priority: 0,
        data_reliability: 1,
        active: true,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('stock_position')
    .values(positions.map((p) => ({ sku: p.sku, location_id: p.locationId, on_hand: p.onHand, reserved: 0, safety_stock: p.safetyStock ?? 0 })))
    .execute();
  if (channels.length > 0) {
    await db
      .insertInto('channel')
      .values(channels.map((c) => ({ id: c.id, name: c.id, type: 'web', eligible_location_ids: c.eligibleLocationIds, active: c.active ?? true })))
      .execute();
  }
}

export async function position(db: Db, sku: string, locationId: string): Promise<{ onHand: number; reserved: number; safetyStock: number }> {
  const r = await db
    .selectFrom('stock_position')
    .select(['on_hand', 'reserved', 'safety_stock'])
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .executeTakeFirstOrThrow();
  return { onHand: r.on_hand, reserved: r.reserved, safetyStock: r.safety_stock };
}

/** Row counts of every table a hold writes: "nothing written" means none of them moved. */
export async function writeCounts(db: Db): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM reservation) AS reservations,
           (SELECT count(*)::int FROM inventory_ledger) AS ledger,
           (SELECT count(*)::int FROM outbox_event) AS events,
           (SELECT count(*)::int FROM idempotency_key) AS keys,
           (SELECT coalesce(sum(reserved), 0)::int FROM stock_position) AS reserved`.execute(db);
  return r.rows[0]!;
}

/**
 * The ledger replays to the position: rows chain (each reserved_before is the previous reserved_after, in
 * id order) from 0 to the current reserved, and the active reservations add up to it.
 */
export async function checkConservation(db: Db, sku: string, locationId: string): Promise<{ reserved: number; active: number }> {
  const ledger = await db
    .selectFrom('inventory_ledger')
    .select(['reserved_before', 'reserved_after'])
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .orderBy('id')
    .execute();
  let reserved = 0;
  for (const row of ledger) {
    if (row.reserved_before !== reserved) throw new Error(`ledger breaks its chain at reserved ${reserved} -> ${row.reserved_before}`);
    reserved = row.reserved_after;
  }
  const p = await position(db, sku, locationId);
  if (p.reserved !== reserved) throw new Error(`position reserved ${p.reserved} but the ledger says ${reserved}`);
  const active = await db
    .selectFrom('reservation')
    .select(sql<number>`coalesce(sum(quantity), 0)::int`.as('q'))
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  if (active.q !== p.reserved) throw new Error(`active reservations hold ${active.q} but reserved is ${p.reserved}`);
  return { reserved: p.reserved, active: active.q };
}
