import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { headPosition, startReplay } from './webhook.repository.js';

/**
 * Sends again, in order, the matching events positioned in (after, head]: each goes back to pending with
 * a fresh round of attempts (same event id, so receivers that dedupe ignore what they already have).
 * The background sender re-enqueues them in batches; a new replay replaces one in progress.
 */
export async function replayWebhook(db: Db, clock: Clock, id: string, after: number): Promise<Result<{ subscriptionId: string; after: number; until: number }>> {
  const head = await headPosition(db);
  if (after > head) return fail('replay_cursor_ahead', `position ${after} is after the newest event (${head})`, { head });
  const replaying = await startReplay(db, id, after, head, clock.now());
  if (!replaying) return fail('webhook_not_found', `no webhook subscription ${id}`);
  return ok({ subscriptionId: id, after, until: head });
}
