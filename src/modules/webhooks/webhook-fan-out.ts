import type { Db } from '../../db/database.js';
import { matchesEventType } from '../../domain/events/event-types.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { EventConsumer, EventInterest, OutboxEvent } from '../dispatch/event-consumer.js';
import { enqueueDeliveries, type NewDelivery } from './delivery.repository.js';
import { hasSubscriptions, listFanOutTargets } from './webhook.repository.js';

/**
 * The dispatcher consumer behind webhooks: turns each event into one durable delivery per matching
 * subscription. Sending happens apart (webhook-sender.ts), so a slow or failing endpoint never holds
 * back the outbox cursor, other subscriptions, or the other consumers.
 */
export class WebhookFanOut implements EventConsumer {
  readonly name = 'webhooks';

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Without any subscription no event is read: the cursor just follows the log. */
  async handles(): Promise<EventInterest> {
    return (await hasSubscriptions(this.db)) ? 'all' : [];
  }

  async handle(events: OutboxEvent[]): Promise<void> {
    const targets = await listFanOutTargets(this.db);
    if (targets.length === 0) return;
    const deliveries: NewDelivery[] = [];
    for (const event of events) {
      for (const t of targets) {
        if (event.position > t.startAfter && matchesEventType(t.eventTypes, event.type)) deliveries.push({ subscriptionId: t.id, event });
      }
    }
    // Idempotent per (subscription, event id): a batch handed over again after a crash adds nothing.
    await enqueueDeliveries(this.db, deliveries, this.clock.now(), false);
  }
}
