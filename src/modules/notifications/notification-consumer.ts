import type { EventConsumer, OutboxEvent } from '../dispatch/event-consumer.js';
import type { Channel } from '../../domain/notifications/delivery-policy.js';
import { CUSTOMER_EVENT_TYPES } from '../../domain/notifications/render.js';
import type { NotificationDeps } from './notification-deps.js';
import { notifyCustomers } from './notify-customer.js';

/**
 * Outbox consumer that turns order events into customer e-mails and SMS. It starts at the head of the
 * log: deploying it on an existing database must not mail every past order. Redelivered batches are
 * harmless (one notification per event and channel); provider outages are left to the retry task, so a
 * batch only fails, and is redone, when the database does.
 */
export class NotificationConsumer implements EventConsumer {
  readonly name = 'notifications';
  readonly startFrom = 'head' as const;

  constructor(private readonly deps: NotificationDeps) {}

  /** Only the events that may message a customer are read (an order's stock and fulfillment events are not). */
  handles(): readonly string[] {
    return CUSTOMER_EVENT_TYPES;
  }

  async handle(events: OutboxEvent[], signal?: AbortSignal): Promise<void> {
    await notifyCustomers(this.deps, events, { downChannels: new Set<Channel>(), signal });
  }

  async close(): Promise<void> {
    await this.deps.email.close();
  }
}
