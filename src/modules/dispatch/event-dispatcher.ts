import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../../db/database.js';
import { readEvents } from '../../db/outbox.js';
import { retryDelayMs } from '../../domain/events/retry-policy.js';
import { PeriodicTask } from '../../background.js';
import type { EventConsumer, OutboxEvent } from './event-consumer.js';
import { acquireLease, advanceCursor, pendingHead, recordFailure, registerConsumers, releaseLeases, renewLease } from './event-consumer.repository.js';

export interface DispatcherOptions {
  /** How long a lease lasts without renewal: a killed process's consumers are taken over after it. */
  leaseMs: number;
  batchSize: number;
  /** Batches per consumer per tick, so one tick (and shutdown) never waits on an endless backlog. */
  maxBatchesPerTick?: number;
}

/** A failing consumer is retried after 1 s, 2 s, 4 s... up to a minute (any process may retry it). */
const CONSUMER_RETRY = { baseMs: 1_000, maxMs: 60_000 };

/**
 * Runs the registered consumers over the outbox, each from its durable cursor.
 *
 * - Commit order: events come in `position` order (see db/outbox.ts), so per-aggregate order is kept.
 * - At-least-once: the cursor moves only after `handle` resolved, fenced by the lease.
 * - Restart-safe: cursor and lease live in PostgreSQL; nothing is held in memory between ticks.
 * - One process per consumer: a lease (renewed while a batch runs) makes several Ordo processes share
 *   the work without doing it twice; a killed process's lease expires and another one takes over.
 */
export class EventDispatcher {
  /** Identifies this process in leases (host, pid and a random part: pids repeat across containers). */
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private registered = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly db: Db,
    readonly consumers: readonly EventConsumer[],
    private readonly opts: DispatcherOptions,
  ) {
    const names = new Set(consumers.map((c) => c.name));
    if (names.size !== consumers.length) throw new Error('event consumers need unique names');
  }

  /** One pass: every consumer whose lease this process holds (or gets) handles what is new. Returns events handled. */
  async tick(): Promise<number> {
    if (!this.registered) {
      await registerConsumers(this.db, this.consumers);
      this.registered = true;
    }
    const counts = await Promise.all(this.consumers.map((c) => this.pump(c)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async pump(consumer: EventConsumer): Promise<number> {
    const { leaseMs, batchSize, maxBatchesPerTick = 20 } = this.opts;
    const head = await pendingHead(this.db, consumer.name);
    if (head === undefined) return 0;
    let cursor = await acquireLease(this.db, consumer.name, this.owner, leaseMs);
    let handled = 0;
    for (let batch = 0; cursor !== undefined && cursor < head && batch < maxBatchesPerTick; batch++) {
      const wanted = (await consumer.handles?.()) ?? 'all';
      const events =
        wanted === 'all' || wanted.length > 0
          ? await readEvents(this.db, { after: cursor, limit: batchSize, upTo: head, ...(wanted === 'all' ? {} : { types: wanted }) })
          : [];
      if (events.length > 0 && !(await this.handOver(consumer, events))) return handled;
      // A short read saw every wanted event up to the head: the cursor passes the others too.
      const last = events.length === batchSize ? events[events.length - 1]!.position : head;
      if (!(await advanceCursor(this.db, consumer.name, this.owner, cursor, last, leaseMs))) return handled;
      handled += events.length;
      cursor = last;
    }
    return handled;
  }

  /** `handle` under a renewed lease; false (failure recorded, retried later) when it threw. */
  private async handOver(consumer: EventConsumer, events: OutboxEvent[]): Promise<boolean> {
    const { leaseMs } = this.opts;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const heartbeat = setInterval(() => {
      renewLease(this.db, consumer.name, this.owner, leaseMs).then(
        (held) => held || controller.abort(new Error(`lease of consumer ${consumer.name} lost`)),
        () => undefined, // a failed renewal is retried on the next beat; the fence on the cursor still protects it
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      await consumer.handle(events, controller.signal);
      return true;
    } catch (err) {
      await recordFailure(this.db, consumer.name, this.owner, describe(err), (n) => retryDelayMs(n, CONSUMER_RETRY, Math.random()));
      return false;
    } finally {
      clearInterval(heartbeat);
      this.inFlight.delete(controller);
    }
  }

  /** Aborts the batches in progress (they are redone later: at-least-once). */
  interrupt(): void {
    for (const c of this.inFlight) c.abort(new Error('Ordo is shutting down'));
  }

  /** Hands the leases over and closes the consumers' connections. */
  async close(): Promise<void> {
    await releaseLeases(this.db, this.owner).catch(() => undefined);
    for (const c of this.consumers) await c.close?.();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The dispatcher as a background job; stopping it aborts the batch in progress, then releases the leases. */
export class DispatcherTask extends PeriodicTask {
  constructor(
    readonly dispatcher: EventDispatcher,
    intervalMs: number,
  ) {
    super('event-dispatcher', intervalMs, () => dispatcher.tick());
  }

  override async stop(): Promise<void> {
    this.dispatcher.interrupt();
    await super.stop();
    await this.dispatcher.close();
  }
}
