import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import { claimIdempotencyKey, idempotencyKeyReused, requestHash, storeIdempotentResponse } from '../reservations/idempotency.repository.js';
import { checkEventTypes, checkWebhookUrl } from './webhook-input.js';
import { insertSubscription, type WebhookSubscription } from './webhook.repository.js';
import type { CreateWebhookInput } from './webhook.schemas.js';
import { generateSecret } from './webhook-signature.js';

export type CreatedWebhook = WebhookSubscription & { secret: string };

/**
 * Subscribes an endpoint to event types. It receives the events positioned after the current head of
 * the log (use replay for history). The signing secret is in this response only (and in a replay of
 * the same Idempotency-Key).
 */
export async function createWebhook(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: CreateWebhookInput,
  defaults: { maxAttempts: number; timeoutMs: number },
  idempotencyKey?: string,
): Promise<Result<CreatedWebhook>> {
  const invalid = checkWebhookUrl(input.url) ?? checkEventTypes(input.eventTypes);
  if (invalid) return invalid;
  try {
    return ok(
      await db.transaction().execute(async (tx) => {
        const scope = `POST /v1/webhooks ${actor.id}`;
        if (idempotencyKey !== undefined) {
          const claim = await claimIdempotencyKey(tx, scope, idempotencyKey, requestHash(input));
          if (claim.kind === 'reused') throw BusinessError.of(idempotencyKeyReused());
          if (claim.kind === 'replay') return claim.body as CreatedWebhook;
        }
        const secret = generateSecret();
        const subscription = await insertSubscription(tx, {
          url: input.url,
          description: input.description ?? null,
          eventTypes: [...new Set(input.eventTypes)],
          secret,
          maxAttempts: input.maxAttempts ?? defaults.maxAttempts,
          timeoutMs: input.timeoutMs ?? defaults.timeoutMs,
          createdBy: actor.id,
          now: clock.now(),
        });
        const created = { ...subscription, secret };
        if (idempotencyKey !== undefined) await storeIdempotentResponse(tx, scope, idempotencyKey, 201, created);
        return created;
      }),
    );
  } catch (err) {
    if (err instanceof BusinessError) return err.toFailure();
    throw err;
  }
}
