import type { OutboxEvent } from '../../db/outbox.js';

export type { OutboxEvent };

/** The events a consumer wants read: every one, or those of the listed types. */
export type EventInterest = 'all' | readonly string[];

/**
 * A named reader of the outbox, run by the dispatcher (event-dispatcher.ts): it receives the events in
 * position (commit) order, in batches, and its durable cursor moves past a batch only once `handle`
 * resolved. So delivery is at-least-once: after a crash, or when a process lost its lease mid-batch, the
 * same events come again. `handle` must therefore be idempotent per `eventId` (an upsert keyed by it,
 * a JetStream msgID, ...). Throwing (or rejecting) retries the whole batch later with backoff; the
 * consumer never skips an event. `signal` aborts when the process stops or loses the consumer's lease.
 *
 * Register one by adding it to the `consumers` list in src/context.ts.
 */
export interface EventConsumer {
  /** Stable: it names the cursor in the database (renaming starts a new cursor). */
  name: string;
  handle(events: OutboxEvent[], signal?: AbortSignal): Promise<void>;
  /**
   * The event types it acts on, asked before each batch is read: only those are read from the log (and
   * handed to `handle`), and the cursor moves past the others all the same. 'all' (the default) reads every
   * event, an empty list none. Asked after the tick's head was read, so a change it reflects (a webhook
   * subscription created meanwhile starts after that head) cannot make it skip an event it wants.
   */
  handles?(): EventInterest | Promise<EventInterest>;
  /**
   * Where a consumer seen for the first time starts: the whole log (default), or only events positioned
   * after the first time it runs ('head', for consumers that must not act on history, e.g. e-mails).
   */
  startFrom?: 'beginning' | 'head';
  /** Releases connections when the process stops. */
  close?(): Promise<void>;
}
