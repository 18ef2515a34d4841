import crypto from 'node:crypto';
import type { StatementBatch } from '../../db/statement-batch.js';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type { PromiseHoldTable } from '../../db/schema.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import { consumeHold } from '../reservations/consume-hold.js';
import { placeHold, writeHold } from '../reservations/create-hold.js';
import { newHold } from '../reservations/hold-records.js';
import type { HoldLineRequest } from '../../domain/reservations/hold.js';
import { requestHash } from '../reservations/idempotency.repository.js';
import { endActiveHold } from '../reservations/release-hold.js';
import type { PromiseSite } from './promise-data.js';
import { addPickLoads, endPromiseHold, findPromiseHold, insertConsumedPromiseHold, insertPromiseHold, subtractPickLoad, type NewPromiseHold } from './promise.repository.js';
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

/** What holding an option claims: stock per (sku, location) of its in-stock shipments, pick load per (location, day). */
function optionClaims(option: PromiseOption, sites: ReadonlyMap<string, PromiseSite>): { stock: HoldLineRequest[]; loads: PickLoad[] } {
  const stock = new Map<string, HoldLineRequest>();
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
  // One lock order for every writer of pick loads: location, then day (migration 0026).
  const order = (a: PickLoad, b: PickLoad) => (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0);
  return { stock: [...stock.values()], loads: [...loads.values()].sort(order) };
}

/**
 * Adds the pick loads in location order (add_pick_loads, migration 0026), now, or when the caller gives
 * `contended`, as one call last in its transaction. Either way a load that does not fit throws
 * capacity_exhausted with the load as details.
 */
async function claimPickLoads(tx: Tx, loads: readonly PickLoad[], sites: ReadonlyMap<string, PromiseSite>, contended?: ContendedWrites): Promise<void> {
  if (loads.length === 0) return;
  const guarded = JSON.stringify(loads.map((l) => ({ ...l, capacity: sites.get(l.locationId)!.dailyPickCapacity })));
  const refusal = (err: unknown): BusinessError | undefined => {
    const e = err as { code?: string; message?: string; detail?: string };
    if (e?.code !== 'P0001' || e.message !== 'capacity_exhausted' || !e.detail) return undefined;
    const { locationId, day, units } = JSON.parse(e.detail) as PickLoad;
    return new BusinessError('capacity_exhausted', `${locationId} has no pick capacity left on ${day}`, { locationId, day, units });
  };
  if (contended) {
    contended.add({ fn: 'add_pick_loads', jsonArgument: guarded, refusal });
    return;
  }
  try {
    await addPickLoads(tx, guarded);
  } catch (err) {
    throw refusal(err) ?? err;
  }
}

/**
 * Holds one computed option inside the caller's transaction: the stock of its in-stock shipments (a
 * reservation hold, guarded like any cart hold) and the pick load of locations with a daily capacity.
 * Throws BusinessError (insufficient_stock, capacity_exhausted) so the transaction rolls back whole.
 */
export async function holdOption(
  tx: Tx,
  now: Date,
  actor: Actor,
  req: PromiseRequest,
  option: PromiseOption,
  sites: ReadonlyMap<string, PromiseSite>,
  ttlSeconds: number,
): Promise<PromiseHoldView> {
  const token = crypto.randomUUID();
  const { stock, loads } = optionClaims(option, sites);
  const hold = stock.length > 0 ? await placeHold(tx, now, actor, { channel: req.channel, lines: stock, ttlSeconds, reference: `promise:${token}` }) : undefined;
  await claimPickLoads(tx, loads, sites);
  const row = await insertPromiseHold(tx, promiseHoldRow(token, hold?.id ?? null, req, option, loads, new Date(now.getTime() + ttlSeconds * 1000), actor));
  const view = holdView(row);
  await appendEvents(tx, [{ type: 'promise.held', aggregateType: 'promise', aggregateId: token, payload: view }]);
  return view;
}

const promiseHoldRow = (token: string, holdId: string | null, req: PromiseRequest, option: PromiseOption, loads: PickLoad[], expiresAt: Date, actor: Actor): NewPromiseHold => ({
  token,
  holdId,
  channelId: req.channel,
  cartHash: cartHash(req.channel, req.lines),
  destination: { destination: req.destination ?? null, pickupLocationId: req.pickupLocationId ?? null },
  option,
  pickLoad: loads,
  expiresAt,
  createdBy: actor.id,
});

/** An option an order takes at once: its reservations (ids per `sku@location`) and the pick days it loaded. */
export interface OptionTaken {
  token: string;
  holdId: string | null;
  reservationIds: ReadonlyMap<string, string>;
  /** `locationId@day` of the pick loads written. */
  loaded: ReadonlySet<string>;
}

/**
 * Holds a computed option for an order and gives it to the order in the same transaction, writing the
 * rows in their final state: reservations and promise hold `consumed` by the order. The same rows as
 * holdOption followed by consumePromiseHold, without reading back and updating what was just written:
 * about eight round trips fewer on the order's hot path. Of their events, only stock.changed: the hold and
 * the promise never exist outside this transaction, so reservation.created, promise.held and
 * reservation.consumed would tell subscribers of a state nobody could see (they were 3 of an order's 8
 * events, over half of its events' bytes: each also sequenced, read and handed to every consumer).
 * Events go to `events` for the caller's single insert;
 * with `batch`, the inserts that nothing reads back wait for its flush; with `contended`, the stock's
 * guarded writes and then the pick loads wait for the caller's flush, last in its transaction (a hot
 * SKU's stock row is locked for that last message only).
 */
export async function holdForOrder(
  tx: Tx,
  now: Date,
  actor: Actor,
  req: PromiseRequest,
  option: PromiseOption,
  sites: ReadonlyMap<string, PromiseSite>,
  ttlSeconds: number,
  orderId: string,
  events: NewEvent[],
  contended?: ContendedWrites,
  batch?: StatementBatch,
): Promise<OptionTaken> {
  const token = crypto.randomUUID();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const { stock, loads } = optionClaims(option, sites);
  // The option was computed moments ago from this channel's eligible locations (checkOrder read the
  // channel): placeHold's channel re-read is skipped; an edit racing the order counts as after it.
  const hold = stock.length > 0 ? newHold({ channel: req.channel, lines: stock, reference: `promise:${token}` }, now, expiresAt) : undefined;
  if (hold) events.push(...(await writeHold(tx, hold, actor, { at: now }, batch, contended)));
  await claimPickLoads(tx, loads, sites, contended);
  const row = promiseHoldRow(token, hold?.holdId ?? null, req, option, loads, expiresAt, actor);
  await insertConsumedPromiseHold(tx, row, now, orderId, batch);
  return {
    token,
    holdId: row.holdId,
    reservationIds: new Map(hold?.lines.map((l) => [`${l.sku}@${l.locationId}`, l.id]) ?? []),
    loaded: new Set(loads.map((l) => `${l.locationId}@${l.day}`)),
  };
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
