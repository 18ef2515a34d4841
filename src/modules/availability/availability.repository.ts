import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/database.js';
import type { ChannelPool, ChannelRules } from '../../domain/inventory/pools.js';

/** A location as the availability view needs it. */
export interface ViewLocationRow {
  id: string;
  name: string;
  type: string;
  latitude: number | null;
  longitude: number | null;
  active: boolean;
  capabilities: string[];
}

export interface PositionChange {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

/**
 * Changes as seen by one statement: `snapshot` is that statement's own snapshot (text form
 * `xmin:xmax:xip,...`), `masterData` a fingerprint of the location and channel tables.
 */
export interface ChangeBatch {
  snapshot: string;
  masterData: string;
  positions: PositionChange[];
}

/**
 * Fingerprint of master data: row count and the sum of the tuple `xmin` (the writing transaction) of
 * every row. Any insert, update or delete changes it once it commits, whatever the commit order, which
 * `max(updated_at)` would not guarantee (updated_at is the *start* time of a transaction that may commit
 * after a younger one). A VACUUM FREEZE may change it too: that costs one extra reload, nothing more.
 * On a few hundred locations and a few dozen channels this costs microseconds per poll.
 */
const MASTER_DATA_FINGERPRINT = sql<string>`(
  (SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM location) || '|' ||
  (SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM channel))`;

export async function loadLocations(db: DbOrTx): Promise<ViewLocationRow[]> {
  return db
    .selectFrom('location')
    .select(['id', 'name', 'type', 'latitude', 'longitude', 'active', 'capabilities'])
    .orderBy('id')
    .execute();
}

function toPool(raw: Record<string, unknown>): ChannelPool {
  const pool: ChannelPool = {};
  if (typeof raw.maxShare === 'number') pool.maxShare = raw.maxShare;
  if (typeof raw.maxQuantity === 'number') pool.maxQuantity = raw.maxQuantity;
  if (Array.isArray(raw.protections)) {
    pool.protections = raw.protections
      .filter((p): p is { channelId: string; quantity: number } => typeof p?.channelId === 'string' && typeof p?.quantity === 'number')
      .map((p) => ({ channelId: p.channelId, quantity: p.quantity }));
  }
  return pool;
}

export async function loadChannels(db: DbOrTx): Promise<ChannelRules[]> {
  const rows = await db.selectFrom('channel').select(['id', 'active', 'eligible_location_ids', 'pool']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, active: r.active, eligibleLocationIds: r.eligible_location_ids, pool: toPool(r.pool ?? {}) }));
}

export async function currentSnapshot(db: DbOrTx): Promise<{ snapshot: string; masterData: string }> {
  const r = await sql<{ snapshot: string; master_data: string }>`
    SELECT pg_current_snapshot()::text AS snapshot, ${MASTER_DATA_FINGERPRINT} AS master_data`.execute(db);
  return { snapshot: r.rows[0]!.snapshot, masterData: r.rows[0]!.master_data };
}

/**
 * Every position of `limit` SKUs after `afterSku`, one row per SKU with its cells packed as
 * `location,onHand,reserved,safetyStock;...`: 20,000 rows instead of 6 million row objects for a full
 * load, which is what makes the start-up load take seconds and not minutes. Walks the primary key in order.
 */
export async function loadPositionChunk(
  db: DbOrTx,
  afterSku: string,
  limit: number,
): Promise<{ sku: string; cells: string }[]> {
  const r = await sql<{ sku: string; cells: string }>`
    SELECT sku, string_agg(location_id || ',' || on_hand || ',' || reserved || ',' || safety_stock, ';') AS cells
    FROM stock_position WHERE sku > ${afterSku}
    GROUP BY sku ORDER BY sku LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** A consistent full load: everything read in one REPEATABLE READ snapshot, returned with that snapshot. */
export async function loadEverything<T>(db: Db, fn: (tx: DbOrTx, snap: { snapshot: string; masterData: string }) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => fn(tx, await currentSnapshot(tx)));
}

/**
 * Rows whose current version the previous poll could not see, read with this statement's snapshot.
 *
 * Why nothing is ever missed: a row version written by transaction X is returned unless X was already
 * visible to the previous snapshot S (then the view already holds it: versions visible in S were read
 * then, and S's committed set is included in the new one). X invisible to S means X was still running
 * or not yet started when S was taken, hence `X >= xmin(S)`: the index range `updated_xid >= xmin(S)`
 * plus `NOT pg_visible_in_snapshot(updated_xid, S)` is exactly that set. A transaction that started
 * early and commits late (its xid is small, its commit is after the poll) stays invisible to S until it
 * commits and is picked up by the first poll after its commit, however long it ran. Inserted rows carry
 * the inserting xid by column default, updates by trigger, so both are covered. The snapshot is taken
 * by the same statement that reads (one statement, one snapshot, even in READ COMMITTED).
 */
export async function readChangesSince(db: DbOrTx, previous: string): Promise<ChangeBatch> {
  const xmin = previous.slice(0, previous.indexOf(':'));
  const r = await sql<{
    snapshot: string;
    master_data: string;
    sku: string | null;
    location_id: string | null;
    on_hand: number | null;
    reserved: number | null;
    safety_stock: number | null;
  }>`
    SELECT s.snapshot::text AS snapshot, s.master_data, sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock
    FROM (SELECT pg_current_snapshot() AS snapshot, ${MASTER_DATA_FINGERPRINT} AS master_data) s
    LEFT JOIN stock_position sp
      ON sp.updated_xid >= ${xmin}::xid8 AND NOT pg_visible_in_snapshot(sp.updated_xid, ${previous}::pg_snapshot)`.execute(db);
  const first = r.rows[0]!;
  const positions: PositionChange[] = [];
  for (const row of r.rows) {
    if (row.sku === null) continue;
    positions.push({ sku: row.sku, locationId: row.location_id!, onHand: row.on_hand!, reserved: row.reserved!, safetyStock: row.safety_stock! });
  }
  return { snapshot: first.snapshot, masterData: first.master_data, positions };
}
