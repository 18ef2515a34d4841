import { sql, type Selectable } from 'kysely';
import { insertNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { CarrierTable, LocationTable, PromiseHoldTable } from '../../db/schema.js';
import type { Carrier, CarrierServiceConfig } from '../../domain/promise/carriers.js';
import type { CarrierView } from './carrier.schemas.js';
import type { PromiseSettings } from './promise-settings.schemas.js';

export function toCarrierView(r: Selectable<CarrierTable>): CarrierView {
  return {
    id: r.id,
    name: r.name,
    trackingUrlTemplate: r.tracking_url_template,
    active: r.active,
    services: r.services as CarrierView['services'],
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export const toCarrier = (v: CarrierView): Carrier => ({ ...v, services: v.services as CarrierServiceConfig[] });

export async function findCarrier(db: DbOrTx, id: string, forUpdate = false): Promise<CarrierView | undefined> {
  let q = db.selectFrom('carrier').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toCarrierView(row) : undefined;
}

export async function listCarriers(db: DbOrTx): Promise<CarrierView[]> {
  return (await db.selectFrom('carrier').selectAll().orderBy('id').execute()).map(toCarrierView);
}

export async function upsertCarrierRow(db: DbOrTx, id: string, v: Omit<CarrierView, 'id' | 'createdAt' | 'updatedAt'>): Promise<CarrierView> {
  const values = { id, name: v.name, tracking_url_template: v.trackingUrlTemplate, active: v.active, services: JSON.stringify(v.services) };
  const { id: _id, ...update } = values;
  const row = await db
    .insertInto('carrier')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...update, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCarrierView(row);
}

export interface ObservationRow {
  carrierId: string;
  service: string;
  lane: string;
  shipmentReference: string;
  originLocationId: string | null;
  departedOn: string;
  deliveredOn: string;
  transitDays: number;
}

/** Inserts deliveries not seen before (by carrier and shipment reference); returns how many were new. */
export async function insertObservations(tx: Tx, rows: readonly ObservationRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insertInto('transit_observation')
    .values(
      rows.map((r) => ({
        carrier_id: r.carrierId,
        service: r.service,
        lane: r.lane,
        shipment_reference: r.shipmentReference,
        origin_location_id: r.originLocationId,
        departed_on: r.departedOn,
        delivered_on: r.deliveredOn,
        transit_days: r.transitDays,
      })),
    )
    .onConflict((oc) => oc.columns(['carrier_id', 'shipment_reference']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** Observed deliveries as counts: `${carrierId}/${service}` → lane → transit days → count. */
export async function laneCounts(db: DbOrTx): Promise<Map<string, Map<string, Map<number, number>>>> {
  const rows = await db
    .selectFrom('transit_observation')
    .select(['carrier_id', 'service', 'lane', 'transit_days', sql<number>`count(*)::int`.as('n')])
    .groupBy(['carrier_id', 'service', 'lane', 'transit_days'])
    .execute();
  const out = new Map<string, Map<string, Map<number, number>>>();
  for (const r of rows) {
    const key = `${r.carrier_id}/${r.service}`;
    const lanes = out.get(key) ?? new Map<string, Map<number, number>>();
    const days = lanes.get(r.lane) ?? new Map<number, number>();
    days.set(r.transit_days, Number(r.n));
    lanes.set(r.lane, days);
    out.set(key, lanes);
  }
  return out;
}

export async function readSettings(db: DbOrTx): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('promise_settings').select('settings').executeTakeFirst();
  return row?.settings;
}

export async function saveSettings(db: DbOrTx, settings: PromiseSettings): Promise<void> {
  await db
    .insertInto('promise_settings')
    .values({ id: true, settings: JSON.stringify(settings) })
    .onConflict((oc) => oc.column('id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: new Date() }))
    .execute();
}

/**
 * What the cached promise data depends on, in one cheap statement: when it changes, the cache reloads.
 * Observations only move the figure every `laneRefresh` new rows' worth of time (see PromiseData).
 */
/** Moves whenever locations, carriers, learned transit, promise settings or routing policies change (migration 0019). */
export async function promiseDataVersion(db: DbOrTx): Promise<string> {
  const r = await sql<{ v: string }>`SELECT promise_data_version() AS v`.execute(db);
  return r.rows[0]?.v ?? '';
}

export async function activeLocations(db: DbOrTx): Promise<Selectable<LocationTable>[]> {
  return db.selectFrom('location').selectAll().where('active', '=', true).orderBy('id').execute();
}

/**
 * Adds pick loads (JSON: locationId, day, units, capacity), each within its location's daily capacity
 * (add_pick_loads, migration 0026); one that does not fit raises capacity_exhausted (SQLSTATE P0001, the
 * load in DETAIL) and the transaction must roll back.
 */
export async function addPickLoads(tx: Tx, guardedLoads: string): Promise<void> {
  await sql`SELECT add_pick_loads(${guardedLoads}::json)`.execute(tx);
}

/** Takes units off a location's day, never below 0 (its slots, migration 0026). */
export async function subtractPickLoad(tx: Tx, locationId: string, day: string, units: number): Promise<void> {
  await sql`SELECT subtract_pick_load(${locationId}, ${day}::date, ${units}::int)`.execute(tx);
}

export interface NewPromiseHold {
  token: string;
  holdId: string | null;
  channelId: string;
  cartHash: string;
  destination: unknown;
  option: unknown;
  pickLoad: unknown;
  expiresAt: Date;
  createdBy: string;
}

const promiseHoldValues = (row: NewPromiseHold) => ({
  token: row.token,
  hold_id: row.holdId,
  channel_id: row.channelId,
  cart_hash: row.cartHash,
  destination: JSON.stringify(row.destination),
  option: JSON.stringify(row.option),
  pick_load: JSON.stringify(row.pickLoad),
  expires_at: row.expiresAt,
  created_by: row.createdBy,
});

export async function insertPromiseHold(tx: Tx, row: NewPromiseHold): Promise<Selectable<PromiseHoldTable>> {
  return tx.insertInto('promise_hold').values(promiseHoldValues(row)).returningAll().executeTakeFirstOrThrow();
}

/** A hold written already consumed by `orderId` (an order that holds and takes its option in one transaction). */
export async function insertConsumedPromiseHold(tx: Tx, row: NewPromiseHold, endedAt: Date, orderId: string, batch?: StatementBatch): Promise<void> {
  await insertNowOrLater(tx, 'promise_hold', [{ ...promiseHoldValues(row), status: 'consumed', ended_at: endedAt, order_id: orderId }], batch);
}

export async function findPromiseHold(db: DbOrTx, token: string, forUpdate = false): Promise<Selectable<PromiseHoldTable> | undefined> {
  let q = db.selectFrom('promise_hold').selectAll().where('token', '=', token);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function endPromiseHold(tx: Tx, token: string, status: 'consumed' | 'released' | 'expired', at: Date, orderId?: string): Promise<Selectable<PromiseHoldTable>> {
  return tx
    .updateTable('promise_hold')
    .set({ status, ended_at: at, order_id: orderId ?? null })
    .where('token', '=', token)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Active holds past their time, oldest first. */
export async function dueHoldTokens(db: DbOrTx, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('promise_hold')
    .select('token')
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.token);
}
