import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { endPromise } from './promise-holds.js';
import { dueHoldTokens } from './promise.repository.js';

/**
 * The durable timer of promise holds: tokens past their time give their stock and pick load back.
 * Each token ends in its own transaction, which re-checks it under lock: two processes never expire one twice.
 */
export async function expireDuePromises(ctx: { db: Db; clock: Clock }, batchSize = 200): Promise<number> {
  const now = ctx.clock.now();
  const tokens = await dueHoldTokens(ctx.db, now, batchSize);
  let expired = 0;
  for (const token of tokens) {
    const result = await endPromise(ctx.db, token, 'expired', now, 'system:promise-expiry');
    if (result.ok) expired++;
  }
  return expired;
}
