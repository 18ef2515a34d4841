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
 * Group commit of single-line holds, whatever their SKU: requests queue and each batch takes up to
 * `maxBatch` of them, FIFO. With `maxInFlight` 2 (a server pool), the next batch starts as soon as the
 * previous one holds its row locks, so its BEGIN and lock request overlap the previous writes and commit;
 * it queues behind those locks, so every row still grants in arrival order. PGlite has one connection: 1.
 * A lone request starts at once (no timer), so an idle system pays no extra latency.
 * Several Ordo processes stay correct (each batch locks its rows in lock order), they just batch separately.
 */
export class HotSkuBatcher {
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  /** A batch has started but does not hold its row locks yet: the next one must not overtake it. */
  private locking = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly maxInFlight = 1,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  reserve(request: BatchRequest): Promise<Result<HoldOutcome>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.locking || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.inFlight += 1;
    this.locking = true;
    void this.run(this.queue.splice(0, this.maxBatch));
  }

  private async run(batch: Waiter[]): Promise<void> {
    let locked = false;
    const onLocked = (): void => {
      locked = true;
      this.locking = false;
      this.pump();
    };
    try {
      const results = await reserveBatch(this.db, this.clock.now(), batch, onLocked);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      batch.forEach((w) => w.reject(err));
    } finally {
      if (!locked) this.locking = false;
      this.inFlight -= 1;
      this.pump();
    }
  }
}
