import type { Tx } from '../../db/database.js';
import type { StatementBatch } from '../../db/statement-batch.js';
import { allocateHold, allocateOption, type PlannedAllocation } from '../../domain/orders/order-allocation.js';
import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import type { Carrier } from '../../domain/promise/carriers.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { computePromiseFor, readPromiseInputsAhead, type PromiseDeps } from '../promise/compute-promise.js';
import type { PromiseInputsOf } from '../promise/promise-inputs.js';
import { consumePromiseHold, holdForOrder, type OptionTaken } from '../promise/promise-holds.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import { findPromiseHold } from '../promise/promise.repository.js';
import type { PromiseSite, PromiseSnapshot } from '../promise/promise-data.js';
import type { PromiseRequest } from '../promise/promise.schemas.js';
import { consumeHold } from '../reservations/consume-hold.js';
import { findHoldRows } from '../reservations/reservation.repository.js';
import type { CheckedOrder } from './check-order.js';
import type { PlaceOrderInput } from './order.schemas.js';
import { sellFromStore } from './stock-sale.js';
import type { ContendedWrites } from '../../db/contended-writes.js';

/** Where an order's units come from, decided before its transaction opens. */
export type OrderSource =
  | { kind: 'promise'; request: PromiseRequest; option: PromiseOption; sites: HoldSites }
  | { kind: 'token'; token: string }
  | { kind: 'reservation'; holdId: string }
  | { kind: 'carry_out'; storeId: string };

export interface TakenAllocation extends PlannedAllocation {
  holdId: string | null;
  reservationId: string | null;
  /** The local day the location's pick load counts these units on (to give back on cancellation). */
  pickDay: string | null;
}

export interface TakenStock {
  allocations: TakenAllocation[];
  promise?: { option: PromiseOption; token: string };
}

/** Master data holdOption needs, read before the transaction (PGlite has one connection). */
export interface HoldSites {
  sitesById: ReadonlyMap<string, PromiseSite>;
  holdTtlSeconds: number;
  /** Currency of the sourcing costs (the promise settings'), for the decision record. */
  currency: string;
  /** The carriers the promise knows (their services' cut-offs date new work). */
  carriers: readonly Carrier[];
}

export async function holdSites(deps: PromiseDeps): Promise<HoldSites> {
  return sitesOf(await deps.data.current());
}

/** The same from the snapshot a promise was just computed with. */
export function sitesOf(snapshot: PromiseSnapshot): HoldSites {
  return { sitesById: snapshot.sitesById, holdTtlSeconds: snapshot.settings.holdTtlSeconds, currency: snapshot.settings.currency, carriers: snapshot.carriers };
}

/** What a promise token or option must fit: the channel, the lines in order, the delivery asked for. */
export interface OrderCart {
  channel: string;
  lines: Array<{ sku: string; quantity: number }>;
  delivery: PlaceOrderInput['delivery'];
}

const cartLines = (c: CheckedOrder) => c.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
const cartOf = (c: CheckedOrder): OrderCart => ({ channel: c.input.channel, lines: cartLines(c), delivery: c.input.delivery });

/** The option id of POST /v1/promise a delivery asks for. */
export function wantedOptionId(delivery: PlaceOrderInput['delivery']): string {
  const d = delivery;
  if (d.method === 'ship') return `ship:${d.service}`;
  return `${d.method === 'pickup' ? 'click_and_collect' : 'reserve_and_collect'}:${d.pickupLocationId}`;
}

/**
 * The promise inputs of an order whose units will come from a promise computed now (chooseSource), asked
 * for before its checks so that they are read alongside its facts, not after them: one round trip less
 * before its transaction. Undefined for orders that compute no promise.
 */
export function readSourceInputsAhead(deps: PromiseDeps, input: PlaceOrderInput): Promise<PromiseInputsOf> | undefined {
  if (input.delivery.method === 'carry_out' || input.promiseToken || input.reservationId) return undefined;
  const ahead = readPromiseInputsAhead(deps, input.lines.map((l) => l.sku));
  ahead.catch(() => undefined); // an order refused by its checks never awaits it; one that does sees the failure
  return ahead;
}

/**
 * Without a token or a reservation, the order is served by the option the promise would show for its
 * delivery method, computed by the same code as POST /v1/promise (shared sourcing engine, live ATP).
 * No option: 409 out_of_stock with every shortfall, or delivery_unavailable with the reasons.
 */
export async function chooseSource(deps: PromiseDeps, c: CheckedOrder, inputs?: Promise<PromiseInputsOf>): Promise<Result<OrderSource>> {
  const { input } = c;
  if (input.delivery.method === 'carry_out') return ok({ kind: 'carry_out', storeId: input.origin!.storeId });
  if (input.promiseToken) return ok({ kind: 'token', token: input.promiseToken });
  if (input.reservationId) return ok({ kind: 'reservation', holdId: input.reservationId });
  const d = input.delivery;
  const request: PromiseRequest =
    d.method === 'ship'
      ? { channel: input.channel, lines: cartLines(c), destination: { postalCode: d.address!.postalCode, country: d.address!.country }, services: [d.service!] }
      : { channel: input.channel, lines: cartLines(c), pickupLocationId: d.pickupLocationId! };
  const optionId = wantedOptionId(d);
  let computed = await computePromiseFor(deps, request, { only: optionId, ...(inputs ? { inputs } : {}) });
  if (!computed.ok && computed.code === 'channel_not_found') {
    // A channel created a moment ago may not be in this process's availability view yet.
    await deps.availability.refresh();
    computed = await computePromiseFor(deps, request, { only: optionId });
  }
  if (!computed.ok) return computed;
  const option = computed.value.result.options.find((o) => o.optionId === optionId);
  if (option) return ok({ kind: 'promise', request, option, sites: sitesOf(computed.value.snapshot) });
  return unavailable(optionId, computed.value.result.unavailable.find((u) => u.optionId === optionId)?.reasons ?? []);
}

/** Why an option the order needs is absent: out_of_stock with the shortfalls, or the promise's reasons. */
export function unavailable(optionId: string, reasons: Array<{ code: string; message: string; details?: unknown }>): Failure {
  const stock = reasons.find((r) => r.code === 'no_stock');
  if (stock) {
    const shortfalls = (stock.details as { shortfalls?: unknown[] } | undefined)?.shortfalls ?? [];
    return fail('out_of_stock', 'not enough stock (or incoming supply for backorderable products) for every line', { optionId, shortfalls, reasons });
  }
  return fail('delivery_unavailable', reasons[0]?.message ?? `${optionId} is not available for this cart`, { optionId, reasons });
}

/**
 * Takes the order's stock inside its transaction, through the same paths as checkout: a computed
 * option is held (holdOption: guarded reservation + pick load) and consumed at once, a token's held
 * option is consumed, a cart hold is consumed, a counter sale lowers on hand. Throws BusinessError
 * (rolling the whole order back) when stock is gone or the token/hold does not fit the order.
 */
export async function takeStock(
  tx: Tx,
  source: OrderSource,
  c: CheckedOrder,
  actor: Actor,
  now: Date,
  order: { id: string; number: string },
  contended?: ContendedWrites,
  events?: NewEvent[],
  batch?: StatementBatch,
): Promise<TakenStock> {
  switch (source.kind) {
    case 'carry_out': {
      await sellFromStore(tx, source.storeId, cartLines(c), actor, order.number);
      const allocations = c.lines.map((l, lineIndex) => ({ lineIndex, sku: l.sku, locationId: source.storeId, quantity: l.quantity, status: 'fulfilled' as const, transfer: false }));
      return { allocations: allocations.map((a) => ({ ...a, holdId: null, reservationId: null, pickDay: null })) };
    }
    case 'reservation': {
      const hold = orThrow(await consumeHold(tx, source.holdId, actor, now));
      if (hold.channel !== null && hold.channel !== c.input.channel) {
        throw new BusinessError('reservation_mismatch', `reservation ${hold.id} was made for channel ${hold.channel}`, { channel: hold.channel });
      }
      const pickup = c.input.delivery.pickupLocationId;
      if (c.input.delivery.method === 'reserve_and_collect' && hold.lines.some((l) => l.locationId !== pickup)) {
        throw new BusinessError('reservation_mismatch', `reserve & collect takes units on the shelves of ${pickup} only`, { pickupLocationId: pickup });
      }
      const planned = orThrow(allocateHold(hold.lines, cartLines(c), c.input.delivery.method === 'pickup' ? pickup : undefined));
      const ids = new Map(hold.lines.map((l) => [`${l.sku}@${l.locationId}`, l.id]));
      return { allocations: planned.map((a) => ({ ...a, holdId: hold.id, reservationId: ids.get(`${a.sku}@${a.locationId}`) ?? null, pickDay: null })) };
    }
    case 'token':
      return consumeToken(tx, source.token, cartOf(c), actor, now, order.id);
    case 'promise':
      return holdAndConsume(tx, source.sites, source.request, source.option, cartOf(c), actor, now, order.id, contended, events, batch);
  }
}

/**
 * Holds a computed option like checkout does (guarded stock, pick load) and gives it to the order at once,
 * in the same rows and events as a token consumed (holdForOrder). With `contended`, the pick loads wait
 * for the caller's flush, last in its transaction; with `events`, the events wait for the caller's own
 * insert (otherwise they are appended here).
 */
export async function holdAndConsume(
  tx: Tx,
  sites: HoldSites,
  request: PromiseRequest,
  option: PromiseOption,
  cart: OrderCart,
  actor: Actor,
  now: Date,
  orderId: string,
  contended?: ContendedWrites,
  events?: NewEvent[],
  batch?: StatementBatch,
): Promise<TakenStock> {
  const planned = orThrow(allocateOption(option, cart.lines));
  const pending: NewEvent[] = events ?? [];
  const taken = await holdForOrder(tx, now, actor, request, option, sites.sitesById, sites.holdTtlSeconds, orderId, pending, contended, batch);
  if (!events) await appendEvents(tx, pending);
  return { allocations: takenAllocations(planned, taken), promise: { option, token: taken.token } };
}

/** The planned allocations with what holding them wrote: held units carry their reservation and pick day. */
function takenAllocations(planned: readonly PlannedAllocation[], taken: Omit<OptionTaken, 'token'>): TakenAllocation[] {
  return planned.map((a): TakenAllocation => {
    const held = a.status === 'reserved';
    const day = a.departureDate ?? a.earliest?.slice(0, 10) ?? null;
    return {
      ...a,
      holdId: held ? taken.holdId : null,
      reservationId: held ? (taken.reservationIds.get(`${a.sku}@${a.locationId}`) ?? null) : null,
      pickDay: held && day !== null && taken.loaded.has(`${a.locationId}@${day}`) ? day : null,
    };
  });
}

async function consumeToken(tx: Tx, token: string, cart: OrderCart, actor: Actor, now: Date, orderId: string): Promise<TakenStock> {
  const row = await findPromiseHold(tx, token);
  const d = cart.delivery;
  if (row && d.method === 'ship') {
    const promised = (row.destination as { destination?: { postalCode: string; country: string } | null }).destination;
    if (!promised || promised.postalCode !== d.address!.postalCode || promised.country !== d.address!.country) {
      throw new BusinessError('promise_option_mismatch', 'the promise was made for another delivery address; ask for a new promise', { promised: promised ?? null });
    }
  }
  const option = orThrow(await consumePromiseHold(tx, token, { channel: cart.channel, lines: cart.lines }, actor, now, orderId));
  const wanted = wantedOptionId(d);
  if (option.optionId !== wanted) {
    throw new BusinessError('promise_option_mismatch', `the promise holds ${option.optionId} but the order asks for ${wanted}`, { held: option.optionId, wanted });
  }
  const planned = orThrow(allocateOption(option, cart.lines));
  const holdRows = row?.hold_id ? await findHoldRows(tx, row.hold_id) : [];
  const allocations = takenAllocations(planned, {
    holdId: row?.hold_id ?? null,
    reservationIds: new Map(holdRows.map((r) => [`${r.sku}@${r.location_id}`, r.id])),
    loaded: new Set((row?.pick_load ?? []).map((l) => `${l.locationId}@${l.day}`)),
  });
  return { allocations, promise: { option, token } };
}

function orThrow<T>(r: Result<T>): T {
  if (!r.ok) throw BusinessError.of(r);
  return r.value;
}
