import type { Db, Tx } from '../../db/database.js';
import type { StatementBatch } from '../../db/statement-batch.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import {
  checkChannel,
  checkHoldRequest,
  DEFAULT_TTL_SECONDS,
  freeQuantity,
  holdExpiry,
  insufficientStock,
  unknownPosition,
  type Shortfall,
} from '../../domain/reservations/hold.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import { appendLedger, stockChanged, type LedgerEntry } from '../inventory/ledger.repository.js';
import { holdEvent, holdView, newHold, reservationRows, type NewHold } from './hold-records.js';
import { claimIdempotencyKey, idempotencyKeyReused, requestHash, storeIdempotentResponse } from './idempotency.repository.js';
import { findChannels, insertReservations, reserveLines, takeStockLinesWrite } from './reservation.repository.js';
import type { ContendedWrites } from '../../db/contended-writes.js';
import type { CreateHoldInput, Hold } from './reservation.schemas.js';

export interface HoldOutcome {
  /** 201, or the status stored with a replayed Idempotency-Key. */
  statusCode: number;
  hold: Hold;
}

export const idempotencyScope = (actor: Actor): string => `POST /v1/reservations ${actor.id}`;

/**
 * Places a hold in one transaction with one guarded UPDATE per line, in (sku, location) order so two holds
 * over the same rows in opposite orders queue instead of deadlocking. All or nothing: every line is tried
 * so the 409 lists all shortfalls, then the transaction rolls back.
 *
 * This is also the "naive" path the hot-SKU benchmark compares the batcher with (one transaction per request).
 */
export async function reserveNaive(db: Db, clock: Clock, actor: Actor, input: CreateHoldInput, idempotencyKey?: string): Promise<Result<HoldOutcome>> {
  const problem = checkHoldRequest(actor, input.lines);
  if (problem) return problem;
  try {
    return await db.transaction().execute(async (tx) => {
      const scope = idempotencyScope(actor);
      if (idempotencyKey !== undefined) {
        const claim = await claimIdempotencyKey(tx, scope, idempotencyKey, requestHash(input));
        if (claim.kind === 'reused') throw BusinessError.of(idempotencyKeyReused());
        if (claim.kind === 'replay') return ok({ statusCode: claim.statusCode, hold: claim.body as Hold });
      }
      const view = await placeHold(tx, clock.now(), actor, input);
      if (idempotencyKey !== undefined) await storeIdempotentResponse(tx, scope, idempotencyKey, 201, view);
      return ok({ statusCode: 201, hold: view });
    });
  } catch (err) {
    if (err instanceof BusinessError) return err.toFailure();
    throw err;
  }
}

/**
 * Places a hold inside the caller's transaction (a cart hold, or the stock behind a promise token):
 * one guarded UPDATE per line in (sku, location) order, all in one call (reserve_lines); every line is tried so the BusinessError lists all
 * shortfalls, and the caller's transaction rolls back with it.
 */
export async function placeHold(tx: Tx, now: Date, actor: Actor, input: CreateHoldInput): Promise<Hold> {
  if (input.channel !== undefined) {
    const channels = await findChannels(tx, [input.channel]);
    const refused = checkChannel(input.channel, channels.get(input.channel), input.lines.map((l) => l.locationId));
    if (refused) throw BusinessError.of(refused);
  }
  const hold = newHold(input, now, holdExpiry(now, input.ttlSeconds ?? DEFAULT_TTL_SECONDS));
  const events = await writeHold(tx, hold, actor);
  const view = holdView(hold);
  await appendEvents(tx, [holdEvent('reservation.created', view), ...events]);
  return view;
}

/**
 * The stock side of a hold: guarded UPDATEs, the reservation rows (in their final status when the hold is
 * consumed in the same transaction) and the ledger (with `batch`, those inserts wait for its flush). Returns the `stock.changed` events for the caller
 * to append with its own. Throws BusinessError (unknown_position, insufficient_stock) listing every line.
 * With `contended` the guarded UPDATEs, their ledger rows and events wait for the caller's flush, last in
 * its transaction (take_stock_lines, migration 0024; a refusal there names the first line refused).
 */
export async function writeHold(tx: Tx, hold: NewHold, actor: Actor, consumed?: { at: Date }, batch?: StatementBatch, contended?: ContendedWrites): Promise<NewEvent[]> {
  if (contended) {
    contended.add(takeStockLinesWrite(hold.lines, hold.holdId, actor.id));
    await insertReservations(tx, reservationRows(hold), consumed && { status: 'consumed', endedAt: consumed.at, endedBy: actor.id }, batch);
    return [];
  }
  const ledger: LedgerEntry[] = [];
  const events: NewEvent[] = [];
  const shortfalls: Shortfall[] = [];
  const missing: { sku: string; locationId: string }[] = [];
  const outcomes = await reserveLines(tx, hold.lines);
  hold.lines.forEach((line, i) => {
    const outcome = outcomes[i];
    if (!outcome) return void missing.push({ sku: line.sku, locationId: line.locationId });
    if (!outcome.granted) return void shortfalls.push({ sku: line.sku, locationId: line.locationId, requested: line.quantity, available: freeQuantity(outcome.position) });
    const after = outcome.position;
    ledger.push({
      sku: line.sku,
      locationId: line.locationId,
      cause: 'reservation',
      onHandBefore: after.onHand,
      onHandAfter: after.onHand,
      reservedBefore: after.reserved - line.quantity,
      reservedAfter: after.reserved,
      source: line.id,
      reference: hold.holdId,
      actor: actor.id,
    });
    events.push(stockChanged(after, 'reservation'));
  });
  if (missing.length > 0) throw BusinessError.of(unknownPosition(missing));
  if (shortfalls.length > 0) throw BusinessError.of(insufficientStock(shortfalls));
  await insertReservations(tx, reservationRows(hold), consumed && { status: 'consumed', endedAt: consumed.at, endedBy: actor.id }, batch);
  await appendLedger(tx, ledger, batch);
  return events;
}
