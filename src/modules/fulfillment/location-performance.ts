import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { learnedReliability } from '../../domain/fulfillment/location-reliability.js';

export type Outcome = 'completed' | 'rejection' | 'short_pick' | 'late_shipment';

/**
 * Counts how a location's fulfillment ended and, when its learned reliability moves, writes it to
 * location.data_reliability (sourcing prefers reliable locations; safety stock buffers unreliable ones).
 * A late shipment is recorded in addition to the shipment's own 'completed'.
 */
export async function recordOutcome(tx: Tx, locationId: string, outcome: Outcome, now: Date): Promise<void> {
  const add = { completed: [1, 0, 0, 0], rejection: [1, 1, 0, 0], short_pick: [1, 0, 1, 0], late_shipment: [0, 0, 0, 1] }[outcome];
  const r = await sql<{ fulfillments: number; rejections: number; short_picks: number; late_shipments: number }>`
    INSERT INTO location_performance (location_id, fulfillments, rejections, short_picks, late_shipments, updated_at)
    VALUES (${locationId}, ${add[0]}, ${add[1]}, ${add[2]}, ${add[3]}, ${now})
    ON CONFLICT (location_id) DO UPDATE SET
      fulfillments = location_performance.fulfillments + excluded.fulfillments,
      rejections = location_performance.rejections + excluded.rejections,
      short_picks = location_performance.short_picks + excluded.short_picks,
      late_shipments = location_performance.late_shipments + excluded.late_shipments,
      updated_at = excluded.updated_at
    RETURNING fulfillments, rejections, short_picks, late_shipments`.execute(tx);
  const c = r.rows[0]!;
  const reliability = learnedReliability({ fulfillments: c.fulfillments, rejections: c.rejections, shortPicks: c.short_picks, lateShipments: c.late_shipments });
  await tx.updateTable('location').set({ data_reliability: reliability, updated_at: now }).where('id', '=', locationId).where('data_reliability', '<>', reliability).execute();
}
