import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type { PromiseHoldTable } from '../../db/schema.js';
import { appendEvents } from '../../db/outbox.js';
import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import { consumeHold } from '../reservations/consume-hold.js';
import { placeHold } from '../reservations/create-hold.js';
import { requestHash } from '../reservations/idempotency.repository.js';
import { endActiveHold } from '../reservations/release-hold.js';
import type { PromiseSite } from './promise-data.js';
import { addPickLoad, endPromiseHold, findPromiseHold, insertPromiseHold, subtractPickLoad } from './promise.repository.js';
import type { PromiseHoldView, PromiseRequest } from './promise.schemas.js';
import type { ContendedWrites } from '../../db/contended-writes.js';

type PickLoad = { locationId: string; day: string; units: number };

/** What a token is bound to: the channel and the cart lines (order of lines does not matter). */
export const cartHash = (channel: string, lines: ReadonlyArray<{ sku: string; quantity: number }>): string =>
  requestHash({ channel, lines: [...lines].map((l) => `${l.sku}×${l.quantity}`).sort() });

export function holdView(row: Selectable<PromiseHoldTable>): PromiseHoldView {
  const option = row.option as unknown as PromiseOption;
  return {
    token: row.token,
    optionId: option.optionId,
    holdId: row.hold_id,
    status: row.status,
    expiresAt: new Date(row.expires_at).toISOString(),
    option,
  };
}

/**
 * Holds one computed option inside the caller's transaction: the stock of its in-stock shipments (a
 * reservation hold, guarded like any cart hold) and the pick load of locations with a daily capacity.
 * Throws BusinessError (insufficient_stock, capacity_exhausted) so the transaction rolls back whole.
 * With `contended`, the pick loads are added when the caller flushes it, last in its transaction.
 */
export async function holdOption(
  tx: Tx,
  now: Date,
  actor: Actor,
  req: PromiseRequest,
  option: PromiseOption,
  sites: ReadonlyMap<string, PromiseSite>,
  ttlSeconds: number,
  contended?: ContendedWrites,
): Promise<PromiseHoldView> {
  const token = crypto.randomUUID();
  const stock = new Map<string, { sku: string; locationId: string; quantity: number }>();
  const loads = new Map<string, PickLoad>();
  for (const s of option.shipments) {
    if (s.availableFrom !== undefined) continue; // pre-ordered units: nothing on the shelf to hold yet
    const units = s.lines.reduce((sum, l) => sum + l.quantity, 0);
    for (const l of s.lines) {
      const key = `${l.sku}@${s.locationId}`;
      const line = stock.get(key) ?? { sku: l.sku, locationId: s.locationId, quantity: 0 };
      line.quantity += l.quantity;
      stock.set(key, line);
    }
    const site = sites.get(s.locationId);
    if (site?.dailyPickCapacity !== null && site !== undefined) {
      const day = s.departureDate ?? s.earliest.slice(0, 10);
      const key = `${s.locationId}@${day}`;
      const load = loads.get(key) ?? { locationId: s.locationId, day, units: 0 };
      load.units += units;
      loads.set(key, load);
    }
  }
  const hold = stock.size > 0 ? await placeHold(tx, now, actor, { channel: req.channel, lines: [...stock.values()], ttlSeconds, reference: `promise:${token}` }) : undefined;
  const addLoads = async (): Promise<void> => {
    for (const load of [...loads.values()].sort((a, b) => (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0))) {
      const capacity = sites.get(load.locationId)!.dailyPickCapacity;
      if (!(await addPickLoad(tx, load.locationId, load.day, load.units, capacity))) {
        throw new BusinessError('capacity_exhausted', `${load.locationId} has no pick capacity left on ${load.day}`, load);
      }
    }
  };
  if (contended && loads.size > 0) contended.add(addLoads);
  else await addLoads();
  const row = await insertPromiseHold(tx, {
    token,
    holdId: hold?.id ?? null,
    channelId: req.channel,
    cartHash: cartHash(req.channel, req.lines),
    destination: { destination: req.destination ?? null, pickupLocationId: req.pickupLocationId ?? null },
    option,
    pickLoad: [...loads.values()],
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    createdBy: actor.id,
  });
  const view = holdView(row);
  await appendEvents(tx, [{ type: 'promise.held', aggregateType: 'promise', aggregateId: token, payload: view }]);
  return view;
}

/**
 * Gives back a token's stock and pick load (released by the client, or expired), in one transaction.
 * Releasing a released token again answers it unchanged.
 */
export async function endPromise(db: Db, token: string, status: 'released' | 'expired', now: Date, actorId: string): Promise<Result<PromiseHoldView>> {
  return db.transaction().execute(async (tx) => {
    const row = await findPromiseHold(tx, token, true);
    if (!row) return fail('promise_hold_not_found', `no promise hold ${token}`);
    if (row.status !== 'active') {
      return row.status === status ? ok(holdView(row)) : fail('promise_hold_not_active', `promise hold ${token} is ${row.status}`, { status: row.status });
    }
    return ok(await endLockedPromise(tx, row, status, now, actorId));
  });
}

/**
 * Ends an active token the caller locked (FOR UPDATE), inside its transaction: the hold's stock and the
 * pick load go back, and `promise.<status>` is announced. Also used when stock lost under the hold
 * releases it (shortfall resolver).
 */
export async function endLockedPromise(tx: Tx, row: Selectable<PromiseHoldTable>, status: 'released' | 'expired', now: Date, actorId: string): Promise<PromiseHoldView> {
  if (row.hold_id) await endActiveHold(tx, row.hold_id, status, now, actorId);
  for (const load of row.pick_load) await subtractPickLoad(tx, load.locationId, load.day, load.units);
  const ended = holdView(await endPromiseHold(tx, row.token, status, now));
  await appendEvents(tx, [{ type: `promise.${status}`, aggregateType: 'promise', aggregateId: row.token, payload: ended }]);
  return ended;
}

/**
 * For the order flow, inside the order's transaction: an order placed with a token gets exactly the
 * held option, or a clear refusal (unknown, used, expired, or for another cart or channel). The stock
 * hold becomes the order's; the pick load stays committed to it.
 */
export async function consumePromiseHold(
  tx: Tx,
  token: string,
  cart: { channel: string; lines: ReadonlyArray<{ sku: string; quantity: number }> },
  actor: Actor,
  now: Date,
  orderId: string,
): Promise<Result<PromiseOption>> {
  const row = await findPromiseHold(tx, token, true);
  if (!row) return fail('promise_hold_not_found', `no promise hold ${token}`);
  if (row.status !== 'active') return fail('promise_hold_not_active', `the promise was ${row.status}; ask for a new promise`, { status: row.status });
  if (new Date(row.expires_at).getTime() <= now.getTime()) {
    return fail('promise_hold_expired', `the promise expired at ${new Date(row.expires_at).toISOString()}; ask for a new promise`);
  }
  if (row.channel_id !== cart.channel || row.cart_hash !== cartHash(cart.channel, cart.lines)) {
    return fail('promise_cart_mismatch', 'the promise was made for another cart or channel; ask for a new promise', { channel: row.channel_id });
  }
  if (row.hold_id) {
    const consumed = await consumeHold(tx, row.hold_id, actor, now);
    if (!consumed.ok) return consumed;
  }
  await endPromiseHold(tx, token, 'consumed', now, orderId);
  return ok(row.option as unknown as PromiseOption);
}
