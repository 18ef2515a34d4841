import type { OutboxEvent } from '../../db/outbox.js';

/**
 * The JSON every outside consumer receives for an event (webhook body, NATS message data): the same shape
 * as an item of GET /v1/events. `eventId` is stable across redeliveries: dedupe by it.
 */
export function eventMessage(e: OutboxEvent): string {
  return JSON.stringify({
    eventId: e.eventId,
    position: e.position,
    type: e.type,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    occurredAt: e.occurredAt,
    payload: e.payload,
  });
}
