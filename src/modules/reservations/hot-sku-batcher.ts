import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Result } from '../../domain/shared/result.js';
import type { HoldOutcome } from './create-hold.js';
import { reserveBatch, type BatchRequest } from './reserve-batch.js';

interface Waiter extends BatchRequest {
  resolve(result: Result<HoldOutcome>): void;
  reject(err: unknown): void;
}

/** Enough to amortise a commit over hundreds of holds; small enough that one batch stays a few milliseconds. */
export const MAX_BATCH = 512;

/**
 * Group commit of single-line holds, whatever their SKU: one batch transaction is in flight per process;
 * requests arriving meanwhile queue and the next batch takes up to `maxBatch` of them, FIFO, so each row
 * grants in arrival order. A lone request starts at once (no timer), so an idle system pays no extra latency.
 * Several Ordo processes stay correct (each batch locks its rows in lock order), they just batch separately.
 */
export class HotSkuBatcher {
  private queue: Waiter[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  reserve(request: BatchRequest): Promise<Result<HoldOutcome>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Runs batches until the queue is empty; `draining` marks "a batch is in flight". */
  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await reserveBatch(this.db, this.clock.now(), batch);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        batch.forEach((w) => w.reject(err));
      }
    }
    // No await since the last emptiness check: no request can have been queued in between.
    this.draining = false;
  }
}
