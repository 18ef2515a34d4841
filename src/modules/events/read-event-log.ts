import type { Db } from '../../db/database.js';
import { readEvents, sequenceEvents } from '../../db/outbox.js';
import type { EventsPage, EventsQuerystring } from './events.schemas.js';

/**
 * Events after a cursor, in commit-safe order. One sequencer pass runs first so a reader sees what
 * committed up to now without waiting for the background task; positions are only ever given in
 * increasing order to transactions that can no longer be overtaken, so following `nextCursor` never skips
 * an event (see db/outbox.ts). With filters, the cursor still moves past the events filtered out.
 */
export async function readEventLog(db: Db, q: EventsQuerystring): Promise<EventsPage> {
  await sequenceEvents(db);
  const after = q.after ?? 0;
  const types = q.types?.split(',');
  const items = await readEvents(db, { after, limit: q.limit ?? 100, types, aggregateId: q.aggregateId });
  return { items, nextCursor: items.length > 0 ? items[items.length - 1]!.position : after };
}
