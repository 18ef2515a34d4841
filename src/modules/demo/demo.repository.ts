import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import { resolvedSafetyStockSql } from '../inventory/safety-stock.repository.js';
import type { NetworkChannel, NetworkLocation, NetworkProduct, NetworkStock } from './network-data.js';
import { chunks } from '../../db/chunks.js';

// Multi-row INSERTs stay under PostgreSQL's 65,535 bind parameters (locations have 15 columns).
const ROWS_PER_INSERT = 2_000;
// Stock goes through unnest(): 3 array parameters whatever the row count, so chunks can be large.
const STOCK_ROWS_PER_INSERT = 50_000;

/** An empty database has no location: that is when the demo may be loaded. */
export async function isDatabaseEmpty(db: DbOrTx): Promise<boolean> {
  const row = await db.selectFrom('location').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export async function insertLocations(tx: Tx, locations: readonly NetworkLocation[]): Promise<void> {
  for (const part of chunks(locations, ROWS_PER_INSERT)) {
    await tx
      .insertInto('location')
      .values(
        part.map((l) => ({
          id: l.id,
          name: l.name,
          type: l.type,
          address: JSON.stringify(l.address ?? {}),
          latitude: l.latitude ?? null,
          longitude: l.longitude ?? null,
          time_zone: l.timeZone,
          opening_hours: JSON.stringify(l.openingHours ?? {}),
          opening_exceptions: JSON.stringify(l.openingExceptions ?? []),
          capabilities: l.capabilities ?? [],
          daily_pick_capacity: l.dailyPickCapacity ?? null,
          handling_cost_minor: l.handlingCostMinor ?? 0,
          priority: l.priority ?? 0,
          data_reliability: l.dataReliability ?? 1,
          active: l.active ?? true,
          cutoffs: JSON.stringify(l.cutoffs ?? {}),
          processing_days: l.processingDays ?? null,
          pickup_prep_minutes: l.pickupPrepMinutes ?? null,
        })),
      )
      .execute();
  }
}

export async function insertProducts(tx: Tx, products: readonly NetworkProduct[]): Promise<void> {
  for (const part of chunks(products, ROWS_PER_INSERT)) {
    await tx
      .insertInto('product')
      .values(
        part.map((p) => ({
          sku: p.sku,
          name: p.name,
          style_id: p.styleId,
          attributes: JSON.stringify(p.attributes),
          prices: JSON.stringify(p.prices),
          weight_grams: p.weightGrams,
          backorderable: p.backorderable,
          preorderable: p.preorderable,
          active: true,
        })),
      )
      .execute();
  }
}

export async function insertChannels(tx: Tx, channels: readonly NetworkChannel[]): Promise<void> {
  if (channels.length === 0) return;
  await tx
    .insertInto('channel')
    .values(
      channels.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        eligible_location_ids: c.eligibleLocationIds,
        pool: JSON.stringify(c.pool),
        active: true,
      })),
    )
    .execute();
}

/**
 * Inserts positions with their safety stock resolved in SQL from the rules and location reliabilities
 * already in the transaction, exactly as the inventory context would compute it.
 */
export async function insertStockPositions(tx: Tx, rows: readonly NetworkStock[]): Promise<void> {
  for (const part of chunks(rows, STOCK_ROWS_PER_INSERT)) {
    await sql`
      INSERT INTO stock_position (sku, location_id, on_hand, safety_stock)
      SELECT v.sku, v.location_id, v.on_hand, ${resolvedSafetyStockSql('v.sku', 'v.location_id')}
      FROM unnest(${part.map((r) => r.sku)}::text[], ${part.map((r) => r.locationId)}::text[], ${part.map((r) => r.onHand)}::int[])
        AS v(sku, location_id, on_hand)`.execute(tx);
  }
}
