import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';

/**
 * Claims feed event ids: returns those seen for the first time. The primary key decides, so of two
 * concurrent batches carrying the same id, the second waits for the first and then sees a duplicate.
 */
export async function claimFeedEvents(tx: Tx, events: readonly { eventId: string; sku: string; locationId: string }[], at: Date): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const result = await sql<{ event_id: string }>`
    INSERT INTO inventory_feed_event (event_id, sku, location_id, applied_at)
    SELECT e.event_id, e.sku, e.location_id, ${at}
    FROM unnest(${events.map((e) => e.eventId)}::text[], ${events.map((e) => e.sku)}::text[], ${events.map((e) => e.locationId)}::text[])
      WITH ORDINALITY AS e(event_id, sku, location_id, n)
    ORDER BY e.n
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id`.execute(tx);
  return new Set(result.rows.map((r) => r.event_id));
}
