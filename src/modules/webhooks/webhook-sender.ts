import crypto from 'node:crypto';
import os from 'node:os';
import { PeriodicTask } from '../../background.js';
import type { Db } from '../../db/database.js';
import { readEvents } from '../../db/outbox.js';
import { matchesEventType } from '../../domain/events/event-types.js';
import { afterFailedAttempt, type RetryPolicy } from '../../domain/events/retry-policy.js';
import type { Clock } from '../../domain/shared/clock.js';
import { eventMessage } from '../dispatch/event-message.js';
import { anyReplayInProgress, claimDueDeliveries, enqueueDeliveries, lockReplays, moveReplayCursor, recordAttempt, type AttemptRecord, type ClaimedDelivery } from './delivery.repository.js';
import { postWebhook } from './webhook-request.js';
import { SIGNATURE_HEADER, signPayload } from './webhook-signature.js';

export interface WebhookSenderOptions {
  retry: RetryPolicy;
  /** Deliveries in flight at once in this process. */
  concurrency: number;
  /** Added to a subscription's timeout to make its claim: a killed process's claims expire after it. */
  claimMarginMs: number;
  /** Events re-enqueued per replaying subscription per tick. */
  replayBatchSize: number;
}

/**
 * Sends due webhook deliveries and records every attempt. Retry times are durable (next_attempt_at, in
 * the injected clock's time); nothing waits in memory but the requests in flight, so a restart loses
 * nothing: claims of a killed process expire and those deliveries are sent again (at-least-once).
 */
export class WebhookSender {
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: WebhookSenderOptions,
  ) {}

  /** Advances replays, then claims what is due (up to free capacity) and starts sending it. Returns how many started. */
  async tick(): Promise<number> {
    await this.advanceReplays();
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const claimed = await claimDueDeliveries(this.db, this.owner, this.clock.now(), free, this.opts.claimMarginMs);
    for (const delivery of claimed) {
      // A failure to record (database down) leaves the claim to expire: the delivery is sent again later.
      const sending: Promise<void> = this.deliver(delivery)
        .catch(() => undefined)
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    return claimed.length;
  }

  /** Resolves once no request is in flight (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const body = eventMessage(d.event);
    const startedAt = this.clock.now();
    const response = await postWebhook({
      url: d.url,
      body,
      timeoutMs: d.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Ordo-Webhooks/1',
        'ordo-event-id': d.event.eventId,
        'ordo-event-type': d.event.type,
        'ordo-delivery-id': d.id,
        'ordo-delivery-attempt': String(d.totalAttempts + 1),
        [SIGNATURE_HEADER]: signPayload(d.secret, body, Math.floor(startedAt.getTime() / 1000)),
      },
    });
    const now = this.clock.now();
    await recordAttempt(
      this.db,
      d.id,
      this.owner,
      {
        startedAt,
        durationMs: response.durationMs,
        statusCode: response.statusCode,
        error: response.error,
        responseExcerpt: response.responseExcerpt,
        outcome: response.ok ? { status: 'delivered' } : this.afterFailure(d, now),
      },
      now,
    );
  }

  private afterFailure(d: ClaimedDelivery, now: Date): AttemptRecord['outcome'] {
    const next = afterFailedAttempt(d.attempts + 1, d.maxAttempts, now, this.opts.retry, Math.random());
    return next.kind === 'dead' ? { status: 'dead' } : { status: 'pending', nextAttemptAt: next.at };
  }

  /** Re-enqueues the next batch of every replay in progress, in one short transaction per tick. */
  private async advanceReplays(): Promise<void> {
    if (!(await anyReplayInProgress(this.db))) return;
    await this.db.transaction().execute(async (tx) => {
      for (const replay of await lockReplays(tx, 10)) {
        const events = (await readEvents(tx, { after: replay.after, limit: this.opts.replayBatchSize })).filter((e) => e.position <= replay.until);
        const matching = events.filter((e) => matchesEventType(replay.eventTypes, e.type)).map((event) => ({ subscriptionId: replay.id, event }));
        await enqueueDeliveries(tx, matching, this.clock.now(), true);
        const last = events.at(-1)?.position;
        const done = events.length < this.opts.replayBatchSize || last === undefined || last >= replay.until;
        await moveReplayCursor(tx, replay.id, done ? null : last);
      }
    });
  }
}

/** The sender as a background job; stopping it lets the requests in flight finish and be recorded. */
export class WebhookSenderTask extends PeriodicTask {
  constructor(
    readonly sender: WebhookSender,
    intervalMs: number,
  ) {
    super('webhook-sender', intervalMs, () => sender.tick());
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.sender.idle();
  }
}
