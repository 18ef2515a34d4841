import type { Db } from '../../db/database.js';
import { checkChannel, compareByPosition, DEFAULT_TTL_SECONDS, holdExpiry, insufficientStock, positionKey, unknownPosition } from '../../domain/reservations/hold.js';
import type { Actor } from '../../domain/shared/actor.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HoldOutcome } from './create-hold.js';
import { holdView, newHold, reservationRows } from './hold-records.js';
import { findChannels, reserveSingleLines } from './reservation.repository.js';
import type { CreateHoldInput } from './reservation.schemas.js';

/** A single-line hold waiting in the batcher's queue. */
export interface BatchRequest {
  actor: Actor;
  input: CreateHoldInput;
}

/**
 * Serves many single-line holds, on any mix of positions, with ONE statement in its own transaction
 * (`reserve_single_lines`, migration 0003): lock every distinct row once in lock order, grant per row in
 * arrival order while ATP lasts (the rule of `grantPerPosition`), write everything, commit. One round trip
 * serves hundreds of holds: group commit for hot and random SKUs alike (PERFORMANCE.md §5, §8).
 * Channels are read first: a channel refused here never reaches the statement.
 */
export async function reserveBatch(db: Db, now: Date, requests: readonly BatchRequest[]): Promise<Result<HoldOutcome>[]> {
  const channelIds = [...new Set(requests.flatMap((r) => (r.input.channel === undefined ? [] : [r.input.channel])))];
  const channels = await findChannels(db, channelIds);
  const results: (Result<HoldOutcome> | undefined)[] = requests.map(({ input }) =>
    input.channel === undefined ? undefined : checkChannel(input.channel, channels.get(input.channel), [input.lines[0]!.locationId]),
  );
  const candidates = requests.map((_, i) => i).filter((i) => results[i] === undefined);
  if (candidates.length === 0) return results.map((r) => r!);

  const keys = [...new Map(candidates.map((i) => requests[i]!.input.lines[0]!).map((l) => [positionKey(l.sku, l.locationId), { sku: l.sku, locationId: l.locationId }])).values()].sort(compareByPosition);
  const index = new Map(keys.map((k, i) => [positionKey(k.sku, k.locationId), i]));
  const holds = candidates.map((i) => {
    const { input, actor } = requests[i]!;
    const hold = newHold(input, now, holdExpiry(now, input.ttlSeconds ?? DEFAULT_TTL_SECONDS));
    const line = hold.lines[0]!;
    return { i, actor, view: holdView(hold), reservation: reservationRows(hold)[0]!, position: index.get(positionKey(line.sku, line.locationId))! };
  });
  const outcomes = await reserveSingleLines(db, {
    keys,
    createdAt: now,
    requests: holds.map((h) => ({ position: h.position, reservation: h.reservation, actor: h.actor.id, hold: h.view })),
  });
  holds.forEach((h, k) => {
    const o = outcomes[k]!;
    const { sku, locationId, quantity } = h.reservation;
    if (o.outcome === 'granted') results[h.i] = ok({ statusCode: 201, hold: h.view });
    else if (o.outcome === 'missing') results[h.i] = unknownPosition([{ sku, locationId }]);
    else results[h.i] = insufficientStock([{ sku, locationId, requested: quantity, available: o.available }]);
  });
  return results.map((r) => r!);
}
