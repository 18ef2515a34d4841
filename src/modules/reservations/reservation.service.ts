import type { Db } from '../../db/database.js';
import { checkHoldRequest } from '../../domain/reservations/hold.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Result } from '../../domain/shared/result.js';
import { reserveNaive, type HoldOutcome } from './create-hold.js';
import { HotSkuBatcher } from './hot-sku-batcher.js';
import type { CreateHoldInput } from './reservation.schemas.js';

/**
 * Entry point of POST /v1/reservations: single-line holds (the hot-SKU case: flash sales, "add to cart")
 * go through the per-position batcher; multi-line holds and requests carrying an Idempotency-Key take the
 * one-transaction path, because their key row must commit or roll back with exactly their own hold.
 */
export class ReservationService {
  private readonly batcher: HotSkuBatcher;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.batcher = new HotSkuBatcher(db, clock);
  }

  async create(actor: Actor, input: CreateHoldInput, idempotencyKey?: string): Promise<Result<HoldOutcome>> {
    if (input.lines.length !== 1 || idempotencyKey !== undefined) return reserveNaive(this.db, this.clock, actor, input, idempotencyKey);
    const problem = checkHoldRequest(actor, input.lines);
    if (problem) return problem;
    return this.batcher.reserve({ actor, input });
  }
}
