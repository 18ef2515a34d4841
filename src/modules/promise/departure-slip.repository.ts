import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';

export interface DepartureSlipRow {
  fulfillmentId: string;
  locationId: string;
  plannedOn: string;
  departedOn: string;
  slip: number;
}

/** Records a fulfillment's departure once (a step replayed by its Idempotency-Key never gets here twice, a merge might). */
export async function insertDepartureSlip(tx: Tx, row: DepartureSlipRow): Promise<void> {
  await tx
    .insertInto('departure_slip')
    .values({ fulfillment_id: row.fulfillmentId, location_id: row.locationId, planned_on: row.plannedOn, departed_on: row.departedOn, slip: row.slip })
    .onConflict((oc) => oc.column('fulfillment_id').doNothing())
    .execute();
}

/** Recorded slips as counts: location id → opportunities late → departures. */
export async function slipCounts(db: DbOrTx): Promise<Map<string, Map<number, number>>> {
  const rows = await db
    .selectFrom('departure_slip')
    .select(['location_id', 'slip', sql<number>`count(*)::int`.as('n')])
    .groupBy(['location_id', 'slip'])
    .execute();
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) out.set(r.location_id, (out.get(r.location_id) ?? new Map<number, number>()).set(r.slip, Number(r.n)));
  return out;
}
