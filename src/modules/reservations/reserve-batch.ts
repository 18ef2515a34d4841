import type { Db } from '../../db/database.js';
import type { NewEvent } from '../../db/outbox.js';
import { checkChannel, compareByPosition, DEFAULT_TTL_SECONDS, freeQuantity, grantPerPosition, holdExpiry, positionKey } from '../../domain/reservations/hold.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { stockChanged, type LedgerEntry, type PositionState } from '../inventory/ledger.repository.js';
import type { HoldOutcome } from './create-hold.js';
import { holdEvent, holdView, newHold, reservationRows, type NewHold } from './hold-records.js';
import { findChannels, lockPositions, writeReservationBatch } from './reservation.repository.js';
import type { CreateHoldInput } from './reservation.schemas.js';

/** A single-line hold waiting in the batcher's queue. */
export interface BatchRequest {
  actor: Actor;
  input: CreateHoldInput;
}

/**
 * Serves many single-line holds, on any mix of positions, in one transaction: lock every distinct row
 * once (one statement, lock order), grant per row in arrival order while ATP lasts, then write everything
 * (guarded UPDATEs, reservations, ledger, events) with one statement, one commit. Four round trips
 * (five with channels) serve hundreds of holds: group commit for hot and random SKUs alike (PERFORMANCE.md §5).
 * `onLocked` runs once the rows are locked: the batcher may then start the next batch, which will queue
 * behind these locks.
 */
export async function reserveBatch(
  db: Db,
  now: Date,
  requests: readonly BatchRequest[],
  onLocked: () => void = () => undefined,
): Promise<Result<HoldOutcome>[]> {
  const lines = requests.map((r) => r.input.lines[0]!);
  const keys = [...new Map(lines.map((l) => [positionKey(l.sku, l.locationId), { sku: l.sku, locationId: l.locationId }])).values()].sort(compareByPosition);
  return db.transaction().execute(async (tx) => {
    const locked = new Map((await lockPositions(tx, keys)).map((p) => [positionKey(p.sku, p.locationId), p]));
    onLocked();
    const channelIds = [...new Set(requests.flatMap((r) => (r.input.channel === undefined ? [] : [r.input.channel])))];
    const channels = await findChannels(tx, channelIds);
    const results: (Result<HoldOutcome> | undefined)[] = requests.map(({ input }, i) =>
      input.channel === undefined ? undefined : checkChannel(input.channel, channels.get(input.channel), [lines[i]!.locationId]),
    );
    const free = new Map([...locked].map(([k, p]) => [k, freeQuantity(p)]));
    const { grants, totals } = grantPerPosition(free, lines.map((l, i) => (results[i] === undefined ? l : null)));

    const holds: { hold: NewHold; actor: Actor }[] = [];
    grants.forEach((grant, i) => {
      if (grant === null) return;
      const { input, actor } = requests[i]!;
      const { sku, locationId, quantity } = lines[i]!;
      if (grant === undefined) {
        results[i] = fail('unknown_position', 'no stock position for these SKUs at these locations', { missing: [{ sku, locationId }] });
      } else if (!grant.granted) {
        results[i] = fail('insufficient_stock', 'not enough available stock for every line', {
          shortfalls: [{ sku, locationId, requested: quantity, available: grant.available }],
        });
      } else {
        const hold = newHold(input, now, holdExpiry(now, input.ttlSeconds ?? DEFAULT_TTL_SECONDS));
        holds.push({ hold, actor });
        results[i] = ok({ statusCode: 201, hold: holdView(hold) });
      }
    });
    if (holds.length === 0) return results.map((r) => r!);

    // Ledger rows chain before/after inside each row in grant order; the row locks make the arithmetic exact.
    const reserved = new Map([...locked].map(([k, p]) => [k, p.reserved]));
    const ledger: LedgerEntry[] = [];
    const events: NewEvent[] = [];
    for (const { hold, actor } of holds) {
      const line = hold.lines[0]!;
      const key = positionKey(line.sku, line.locationId);
      const before = reserved.get(key)!;
      const onHand = locked.get(key)!.onHand;
      ledger.push({
        sku: line.sku,
        locationId: line.locationId,
        cause: 'reservation',
        onHandBefore: onHand,
        onHandAfter: onHand,
        reservedBefore: before,
        reservedAfter: before + line.quantity,
        source: line.id,
        reference: hold.holdId,
        actor: actor.id,
      });
      reserved.set(key, before + line.quantity);
      events.push(holdEvent('reservation.created', holdView(hold)));
    }
    const deltas = [...totals].map(([key, quantity]) => {
      const p = locked.get(key)!;
      return { sku: p.sku, locationId: p.locationId, quantity };
    });
    for (const { sku, locationId, quantity } of deltas) {
      const p = locked.get(positionKey(sku, locationId))!;
      const after: PositionState = { ...p, reserved: p.reserved + quantity };
      events.push(stockChanged(after, 'reservation'));
    }
    const updated = await writeReservationBatch(tx, { deltas, reservations: holds.flatMap((h) => reservationRows(h.hold)), ledger, events });
    // Still a guarded UPDATE: under the locks it cannot refuse, and if it ever did, everything rolls back.
    if (updated !== deltas.length) throw new Error(`a locked stock position moved during a reservation batch (${updated}/${deltas.length} updated)`);
    return results.map((r) => r!);
  });
}
