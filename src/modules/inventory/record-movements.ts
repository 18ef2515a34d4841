import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { applyMovements, positionKey, type LockedPosition, type MovementInput } from '../../domain/inventory/apply-movements.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { claimFeedEvents } from './feed.repository.js';
import { outOfScope, unknownMasterData } from './inventory-checks.js';
import type { MovementsInput, MovementsResult } from './inventory.schemas.js';
import { appendLedger, stockChanged } from './ledger.repository.js';
import { ensurePositions, lockPositions, writeOnHand } from './stock.repository.js';

/**
 * A batch of stock deltas from a feed, in one transaction. Each event id is applied once: an id already
 * seen (earlier batch, or earlier in this batch) is reported in `duplicates` and changes nothing.
 * A delta that would drive on hand below 0 is clamped to 0 and reported in `clamped` (the sale
 * happened; refusing it would lose it). A movement older than the position's last absolute count is
 * reported in `stale` (the count already includes it). Positions are locked in (sku, location) order so
 * concurrent batches wait for each other instead of deadlocking.
 */
export async function recordMovements(db: Db, clock: Clock, actor: Actor, input: MovementsInput): Promise<Result<MovementsResult>> {
  const zero = input.movements.filter((m) => m.delta === 0).map((m) => m.eventId);
  if (zero.length > 0) return fail('invalid_movement', 'a movement delta must not be 0', { eventIds: zero.slice(0, 100) });
  const denied = outOfScope(actor, input.movements.map((m) => m.locationId));
  if (denied) return denied;
  const unknown = await unknownMasterData(db, input.movements.map((m) => m.sku), input.movements.map((m) => m.locationId));
  if (unknown) return unknown;

  const seen = new Set<string>();
  const duplicates: string[] = [];
  const firsts = input.movements.filter((m) => {
    if (seen.has(m.eventId)) {
      duplicates.push(m.eventId);
      return false;
    }
    seen.add(m.eventId);
    return true;
  });

  return db.transaction().execute(async (tx) => {
    const fresh = await claimFeedEvents(tx, firsts, clock.now());
    const movements: (MovementInput & { reason?: string })[] = [];
    for (const m of firsts) {
      if (!fresh.has(m.eventId)) duplicates.push(m.eventId);
      else movements.push({ ...m, occurredAt: m.occurredAt ? new Date(m.occurredAt) : undefined });
    }
    const keys = uniqueKeys(movements);
    await ensurePositions(tx, keys);
    const locked = await lockPositions(tx, keys);
    const lockedState = new Map<string, LockedPosition>([...locked].map(([key, p]) => [key, { onHand: p.onHand, lastSetAt: p.lastSetAtDate }]));
    const outcome = applyMovements(lockedState, movements);

    const reasons = new Map(movements.map((m) => [m.eventId, m.reason]));
    await appendLedger(
      tx,
      outcome.steps.map((s) => {
        const p = locked.get(positionKey(s.sku, s.locationId))!;
        return { sku: s.sku, locationId: s.locationId, cause: 'movement' as const, onHandBefore: s.onHandBefore, onHandAfter: s.onHandAfter, reservedBefore: p.reserved, reservedAfter: p.reserved, source: s.eventId, reference: reasons.get(s.eventId) ?? null, actor: actor.id };
      }),
    );
    const written = await writeOnHand(
      tx,
      [...outcome.finalOnHand].map(([key, onHand]) => {
        const p = locked.get(key)!;
        return { sku: p.sku, locationId: p.locationId, onHand };
      }),
    );
    await appendEvents(tx, written.map((p) => stockChanged(p, 'movement')));
    return ok({ applied: outcome.steps.length, duplicates, stale: outcome.stale, clamped: outcome.clamped });
  });
}

function uniqueKeys(movements: readonly MovementInput[]) {
  const keys = new Map<string, { sku: string; locationId: string }>();
  for (const m of movements) keys.set(positionKey(m.sku, m.locationId), { sku: m.sku, locationId: m.locationId });
  return [...keys.values()];
}
