import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { checkEventTypes, checkWebhookUrl } from './webhook-input.js';
import { updateSubscription, type WebhookSubscription } from './webhook.repository.js';
import type { UpdateWebhookInput } from './webhook.schemas.js';

/**
 * Changes a subscription. New filters apply to events fanned out from now on; pausing keeps enqueuing
 * deliveries and holds them until the subscription is active again (nothing is lost while paused).
 */
export async function updateWebhook(db: Db, clock: Clock, id: string, input: UpdateWebhookInput): Promise<Result<WebhookSubscription>> {
  const invalid = (input.url !== undefined ? checkWebhookUrl(input.url) : undefined) ?? (input.eventTypes ? checkEventTypes(input.eventTypes) : undefined);
  if (invalid) return invalid;
  const updated = await updateSubscription(db, id, { ...input, eventTypes: input.eventTypes && [...new Set(input.eventTypes)] }, clock.now());
  return updated ? ok(updated) : fail('webhook_not_found', `no webhook subscription ${id}`);
}
