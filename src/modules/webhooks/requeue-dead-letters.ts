import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { requeueDeadLetters } from './delivery.repository.js';
import { findSubscription } from './webhook.repository.js';

/** Gives dead letters a fresh round of attempts, now (all of the subscription's, or the listed ones). */
export async function requeueDeadLettersOf(db: Db, clock: Clock, id: string, deliveryIds?: readonly string[]): Promise<Result<{ requeued: number }>> {
  if (!(await findSubscription(db, id))) return fail('webhook_not_found', `no webhook subscription ${id}`);
  return ok({ requeued: await requeueDeadLetters(db, id, deliveryIds, clock.now()) });
}
