import type { Db } from '../../db/database.js';
import { positionKey } from '../../domain/reservations/hold.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Result } from '../../domain/shared/result.js';
import type { HoldOutcome } from './create-hold.js';
import { reserveBatch, type BatchRequest } from './reserve-batch.js';

interface Waiter extends BatchRequest {
  resolve(result: Result<HoldOutcome>): void;
  reject(err: unknown): void;
}

/** Enough to amortise a commit; small enough that one batch's INSERTs stay a few milliseconds. */
export const MAX_BATCH = 256;

/**
 * Per-(sku, location) micro-batching of single-line holds: at most one transaction per position is in
 * flight in this process; requests arriving meanwhile queue and go together in the next one, FIFO.
 * A lone request starts at once (no timer), so an idle SKU pays no extra latency.
 * Several Ordo processes stay correct (each batch locks the row), they just batch separately.
 */
export class HotSkuBatcher {
  private readonly queues = new Map<string, Waiter[]>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  reserve(request: BatchRequest): Promise<Result<HoldOutcome>> {
    const line = request.input.lines[0]!;
    const key = positionKey(line.sku, line.locationId);
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ ...request, resolve, reject });
        return;
      }
      const fresh: Waiter[] = [{ ...request, resolve, reject }];
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  /** Runs batches for one key until its queue is empty; the key's entry marks "a batch is in flight". */
  private async drain(key: string, queue: Waiter[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await reserveBatch(this.db, this.clock.now(), batch);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        batch.forEach((w) => w.reject(err));
      }
    }
    // No await since the last emptiness check: no request can have been queued in between.
    this.queues.delete(key);
  }
}
