import { connect, headers, nanos, type JetStreamClient, type NatsConnection, type NatsError } from 'nats';
import type { EventConsumer, OutboxEvent } from '../dispatch/event-consumer.js';
import { eventMessage } from '../dispatch/event-message.js';

export interface NatsPublisherConfig {
  url: string;
  /** Subjects are `<subjectPrefix>.<event type>`, e.g. `ordo.events.order.shipped`. */
  subjectPrefix: string;
  /** Created with subjects `<subjectPrefix>.>` when missing. */
  stream: string;
}

// JetStream drops a message whose id it saw within this window. It must outlast a crashed process's
// lease plus the consumer's retry backoff, so a batch published again after a crash is not duplicated.
const DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * Publishes every event to NATS JetStream, one subject per event type, with the event id as message id
 * (`Nats-Msg-Id`): a batch the dispatcher hands over again after a crash is deduplicated by the server.
 * Messages of a batch are pipelined on one connection, so the stream keeps the outbox order.
 */
export class NatsPublisher implements EventConsumer {
  readonly name = 'nats';
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;

  constructor(private readonly config: NatsPublisherConfig) {}

  subjectFor(type: string): string {
    return `${this.config.subjectPrefix}.${type}`;
  }

  async handle(events: OutboxEvent[], signal?: AbortSignal): Promise<void> {
    const { js } = await this.connect();
    signal?.throwIfAborted();
    await Promise.all(
      events.map((e) => {
        const h = headers();
        h.set('Ordo-Event-Type', e.type);
        h.set('Ordo-Aggregate', `${e.aggregateType}:${e.aggregateId}`);
        h.set('Ordo-Position', String(e.position));
        return js.publish(this.subjectFor(e.type), eventMessage(e), { msgID: e.eventId, headers: h });
      }),
    );
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.nc.drain();
  }

  /** Connects once (again after a failure), creating the stream if it is missing. */
  private connect(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    this.connection ??= (async () => {
      const nc = await connect({ servers: this.config.url, name: 'ordo-events', maxReconnectAttempts: -1 });
      try {
        const jsm = await nc.jetstreamManager();
        try {
          await jsm.streams.info(this.config.stream);
        } catch (err) {
          if ((err as NatsError).api_error?.err_code !== 10059) throw err; // 10059: stream not found
          await jsm.streams.add({ name: this.config.stream, subjects: [`${this.config.subjectPrefix}.>`], duplicate_window: nanos(DUPLICATE_WINDOW_MS) });
        }
        return { nc, js: nc.jetstream() };
      } catch (err) {
        await nc.close();
        throw err;
      }
    })().catch((err: unknown) => {
      this.connection = undefined;
      throw err;
    });
    return this.connection;
  }
}
