import type { Db } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { checkChannel, DEFAULT_TTL_SECONDS, freeQuantity, grantInOrder, holdExpiry } from '../../domain/reservations/hold.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { appendLedger, stockChanged, type LedgerEntry } from '../inventory/ledger.repository.js';
import type { HoldOutcome } from './create-hold.js';
import { holdEvent, holdView, newHold, reservationRows, type NewHold } from './hold-records.js';
import { addReservedGuarded, findChannels, findPosition, insertReservations } from './reservation.repository.js';
import type { CreateHoldInput } from './reservation.schemas.js';

/** A single-line hold waiting in the queue of its (sku, location). */
export interface BatchRequest {
  actor: Actor;
  input: CreateHoldInput;
}

/**
 * Serves many single-line holds on ONE position in one transaction: lock the row once, grant in arrival
 * order while ATP lasts, one UPDATE by the granted total, one multi-row INSERT each for reservations,
 * ledger and events, one commit. The row lock is held for a handful of statements whatever the batch size,
 * which is what lifts a hot SKU past the one-commit-per-unit ceiling (PERFORMANCE.md §5).
 */
export async function reserveBatch(db: Db, now: Date, requests: readonly BatchRequest[]): Promise<Result<HoldOutcome>[]> {
  const { sku, locationId } = requests[0]!.input.lines[0]!;
  return db.transaction().execute(async (tx) => {
    const position = await findPosition(tx, sku, locationId, true);
    if (!position) {
      return requests.map(() => fail('unknown_position', 'no stock position for these SKUs at these locations', { missing: [{ sku, locationId }] }));
    }
    const channelIds = [...new Set(requests.flatMap((r) => (r.input.channel === undefined ? [] : [r.input.channel])))];
    const channels = await findChannels(tx, channelIds);
    // Filled in three steps: channel refusals, then stock refusals, then grants.
    const results: (Result<HoldOutcome> | undefined)[] = requests.map(({ input }) =>
      input.channel === undefined ? undefined : checkChannel(input.channel, channels.get(input.channel), [locationId]),
    );
    const candidates = requests.map((_, i) => i).filter((i) => results[i] === undefined);
    const { grants, total } = grantInOrder(freeQuantity(position), candidates.map((i) => requests[i]!.input.lines[0]!.quantity));

    const holds: { index: number; hold: NewHold; actor: Actor }[] = [];
    candidates.forEach((index, k) => {
      const grant = grants[k]!;
      const { input, actor } = requests[index]!;
      const line = input.lines[0]!;
      if (!grant.granted) {
        results[index] = fail('insufficient_stock', 'not enough available stock for every line', {
          shortfalls: [{ sku, locationId, requested: line.quantity, available: grant.available }],
        });
        return;
      }
      holds.push({ index, actor, hold: newHold(input, now, holdExpiry(now, input.ttlSeconds ?? DEFAULT_TTL_SECONDS)) });
    });
    if (total === 0) return results.map((r) => r!);

    // Still the guarded statement: the lock makes it redundant, and it keeps the no-oversell rule local.
    const after = await addReservedGuarded(tx, sku, locationId, total);
    if (!after) throw new Error(`reserved of ${locationId}/${sku} moved under a held row lock`);
    const ledger: LedgerEntry[] = [];
    const events: NewEvent[] = [];
    let reserved = position.reserved;
    for (const { index, hold, actor } of holds) {
      const line = hold.lines[0]!;
      ledger.push({
        sku,
        locationId,
        cause: 'reservation',
        onHandBefore: after.onHand,
        onHandAfter: after.onHand,
        reservedBefore: reserved,
        reservedAfter: reserved + line.quantity,
        source: line.id,
        reference: hold.holdId,
        actor: actor.id,
      });
      reserved += line.quantity;
      const view = holdView(hold);
      events.push(holdEvent('reservation.created', view));
      results[index] = ok({ statusCode: 201, hold: view });
    }
    events.push(stockChanged(after, 'reservation'));
    await insertReservations(tx, holds.flatMap((h) => reservationRows(h.hold)));
    await appendLedger(tx, ledger);
    await appendEvents(tx, events);
    return results.map((r) => r!);
  });
}
