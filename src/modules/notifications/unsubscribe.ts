import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { addSuppression } from './suppression.repository.js';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from './unsubscribe-token.js';

const invalid = () => fail('invalid_unsubscribe_token', 'this unsubscribe link is invalid or was altered');

/** Checks an unsubscribe link without acting on it (the confirmation page). */
export function readUnsubscribeLink(token: string, secret: string): Result<UnsubscribeClaim> {
  const claim = verifyUnsubscribeToken(token, secret);
  return claim ? ok(claim) : invalid();
}

/**
 * Acts on a signed unsubscribe link: the address stops getting optional messages (see decideDelivery).
 * Idempotent: clicking twice keeps one suppression, dated by the first click.
 */
export async function unsubscribe(ctx: { db: Db; clock: Clock }, token: string, secret: string): Promise<Result<UnsubscribeClaim>> {
  const claim = verifyUnsubscribeToken(token, secret);
  if (!claim) return invalid();
  await addSuppression(ctx.db, { channel: claim.channel, address: claim.address, reason: 'unsubscribed', note: null, createdBy: 'customer:unsubscribe-link', now: ctx.clock.now() });
  return ok(claim);
}
