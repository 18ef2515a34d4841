import { computePromise, policy, shipCandidates, type PromiseInput, type PromiseOption } from '../../domain/promise/delivery-promise.js';
import type { ServiceLevel } from '../../domain/promise/carriers.js';
import { mergeKey } from '../../domain/fulfillment/release-groups.js';
import { chooseReplans, type PlanByLocation, type ReplanChoice, type ReplanUnit } from '../../domain/sourcing/batch-plan-choice.js';
import type { HeldOrder, PooledStock } from '../../domain/sourcing/batch-reoptimise.js';
import type { AssignedLine } from '../../domain/sourcing/sourcing-types.js';
import { loadOrder, type AllocationRow, type LoadedOrder } from '../orders/order.repository.js';
import type { ShipAddress } from '../orders/order.schemas.js';
import { computePromiseFor } from '../promise/compute-promise.js';
import type { PromiseRequest } from '../promise/promise.schemas.js';
import { solveBatch, type BatchSolution } from '../sourcing/highs-solver.js';
import { decisionsExcludingLocations } from '../sourcing/sourcing-decision.repository.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import type { HeldWork } from './release.repository.js';

/** One held order's part of a kept re-plan: the option that takes its units (held like checkout does). */
export interface OrderReplan {
  orderId: string;
  /** Its reserved allocations when planned (the transaction applies the plan only if they are unchanged). */
  fingerprint: string;
  request: PromiseRequest;
  /** The order line of each request line. */
  lineIds: string[];
  option: PromiseOption;
  releaseAt: Date;
}

export interface BatchReplan {
  solution: BatchSolution['status'] | 'nothing_to_plan';
  millis: number;
  units: number;
  /** Kept proposals, each applied in one transaction. */
  groups: Array<{ choice: ReplanChoice; orders: OrderReplan[] }>;
}

/** A unit of the batch: one order, or the orders of one customer to one address that ship merged. */
interface Unit {
  id: string;
  orders: LoadedOrder[];
  replan: ReplanUnit;
  /** Per unit line ("1", "2"...): its order, order line and SKU. */
  refs: Array<{ orderId: string; lineId: string; sku: string }>;
  input: PromiseInput;
  service: ServiceLevel;
}

/** The reserved allocations of an order as one string: a re-plan applies only to what it was planned for. */
export const allocationFingerprint = (loaded: LoadedOrder): string =>
  JSON.stringify(
    loaded.allocations
      .filter((a) => a.status === 'reserved')
      .map((a) => [a.id, a.location_id, a.quantity, a.fulfillment_id])
      .sort(),
  );

/**
 * Plans the batch re-optimisation of the held orders (outside any transaction): every order whose units
 * are all held in held ship work is priced with the promise's own candidates to its address (live ATP
 * plus the units the held orders hold), orders of one customer to one address and service are planned
 * as one unit (so the solver sees that sharing a location ships one parcel), HiGHS solves the joint plan
 * within `timeLimitMs`, and chooseReplans keeps what lowers cost or splits. Each kept order gets the
 * promise option that serves exactly its new plan, dated like checkout; one that would miss the order's
 * promised date drops its whole group.
 */
export async function planBatchReplan(deps: FulfillmentDeps, held: readonly HeldWork[], timeLimitMs: number): Promise<BatchReplan> {
  const orders = await eligibleOrders(deps, held);
  const releaseOf = new Map<string, Date>();
  for (const w of held) {
    const at = w.fulfillment.release_at;
    const known = releaseOf.get(w.fulfillment.order_id);
    if (at && (!known || at < known)) releaseOf.set(w.fulfillment.order_id, at);
  }
  const heldAt = new Map<string, Map<string, number>>();
  for (const o of orders) for (const a of reserved(o)) addTo(heldAt, a.location_id, a.sku, a.quantity);
  const units: Unit[] = [];
  for (const group of mergeUnits(orders)) {
    const unit = await priceUnit(deps, group, heldAt);
    if (unit) units.push(unit);
  }
  if (units.length === 0) return { solution: 'nothing_to_plan', millis: 0, units: 0, groups: [] };
  const held_: HeldOrder[] = units.map((u) => ({ orderId: u.id, lines: [...u.replan.lines], candidates: [...u.replan.candidates], policy: u.replan.policy, servedUnits: u.replan.lines.reduce((s, l) => s + l.quantity, 0) }));
  const solution = await solveBatch(held_, pool(units), timeLimitMs);
  if (solution.status !== 'optimal') return { solution: solution.status, millis: solution.millis, units: units.length, groups: [] };
  units.forEach((u, i) => (u.replan.proposed = solution.plans[i]!));
  const byId = new Map(units.map((u) => [u.id, u]));
  const groups: BatchReplan['groups'] = [];
  for (const choice of chooseReplans(units.map((u) => u.replan))) {
    const planned = choice.unitIds.flatMap((id) => orderReplans(byId.get(id)!, releaseOf));
    if (planned.every((p): p is OrderReplan => p !== undefined)) groups.push({ choice, orders: planned });
  }
  return { solution: 'optimal', millis: solution.millis, units: units.length, groups };
}

const reserved = (o: LoadedOrder): AllocationRow[] => o.allocations.filter((a) => a.status === 'reserved');

function addTo(map: Map<string, Map<string, number>>, locationId: string, sku: string, quantity: number): void {
  const perSku = map.get(locationId) ?? new Map<string, number>();
  perSku.set(sku, (perSku.get(sku) ?? 0) + quantity);
  map.set(locationId, perSku);
}

/**
 * Ship orders whose every held unit sits in held ship work (nothing backordered, nothing released yet).
 * Units a re-route sourced around locations it had to avoid (rejected, short-picked, or avoided by ops)
 * are left where they are: the batch prices every location and could send them back there.
 */
async function eligibleOrders(deps: FulfillmentDeps, held: readonly HeldWork[]): Promise<LoadedOrder[]> {
  const heldIds = new Set(held.map((w) => w.fulfillment.id));
  const out: LoadedOrder[] = [];
  for (const orderId of [...new Set(held.map((w) => w.fulfillment.order_id))].sort()) {
    const loaded = await loadOrder(deps.db, orderId);
    if (!loaded || loaded.order.delivery_method !== 'ship' || !loaded.order.address) continue;
    const units = reserved(loaded);
    if (units.length === 0 || loaded.allocations.some((a) => a.status === 'backordered')) continue;
    if (units.some((a) => a.fulfillment_id === null || !heldIds.has(a.fulfillment_id))) continue;
    out.push(loaded);
  }
  const avoiding = await decisionsExcludingLocations(deps.db, [...new Set(out.flatMap((o) => reserved(o).flatMap((a) => (a.decision_id ? [a.decision_id] : []))))]);
  return out.filter((o) => !reserved(o).some((a) => a.decision_id !== null && avoiding.has(a.decision_id)));
}

function mergeUnits(orders: readonly LoadedOrder[]): LoadedOrder[][] {
  const byKey = new Map<string, LoadedOrder[]>();
  for (const o of orders) {
    const email = (o.order.contact as { email?: string } | null)?.email ?? null;
    const key = mergeKey({ email, address: o.order.address as Record<string, unknown>, service: o.order.service });
    const k = key ? `${o.order.channel_id}#${key}` : `order:${o.order.id}`;
    byKey.set(k, [...(byKey.get(k) ?? []), o]);
  }
  return [...byKey.values()];
}

/** The unit's lines, candidates (pooled stock) and current plan; undefined when it cannot be priced now. */
async function priceUnit(deps: FulfillmentDeps, orders: LoadedOrder[], heldAt: ReadonlyMap<string, ReadonlyMap<string, number>>): Promise<Unit | undefined> {
  const first = orders[0]!.order;
  const service = (first.service ?? 'standard') as ServiceLevel;
  const address = first.address as ShipAddress;
  const refs: Unit['refs'] = [];
  const current = new Map<string, AssignedLine[]>();
  for (const o of orders) {
    for (const line of o.lines) {
      const units = reserved(o).filter((a) => a.line_id === line.id);
      if (units.length === 0) continue;
      refs.push({ orderId: o.order.id, lineId: line.id, sku: line.sku });
      const lineId = String(refs.length);
      for (const a of units) current.set(a.location_id, [...(current.get(a.location_id) ?? []), { lineId, sku: a.sku, quantity: a.quantity }]);
    }
  }
  const quantities = refs.map((r, i) => [...current.values()].flat().filter((l) => l.lineId === String(i + 1)).reduce((s, l) => s + l.quantity, 0));
  const request: PromiseRequest = { channel: first.channel_id, lines: refs.map((r, i) => ({ sku: r.sku, quantity: quantities[i]! })), destination: { postalCode: address.postalCode, country: address.country }, services: [service] };
  const computed = await computePromiseFor(deps, request);
  if (!computed.ok) return undefined;
  // The held units count as available where they are held: the batch may give them to another order.
  const input: PromiseInput = {
    ...computed.value.input,
    locations: computed.value.input.locations.map((l) => {
      const extra = heldAt.get(l.id);
      if (!extra) return l;
      const available = new Map(l.available);
      for (const [sku, q] of extra) available.set(sku, (available.get(sku) ?? 0) + q);
      return { ...l, available };
    }),
  };
  const { candidates } = shipCandidates(input, service);
  const lines = input.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, weightGrams: l.weightGrams }));
  return { id: first.id, orders, refs, input, service, replan: { id: first.id, lines, candidates, policy: policy(input, 'ship'), current, proposed: current } };
}

/** Shared stock for the solver: per location, the least any unit's channel may take there (pooled ATP). */
function pool(units: readonly Unit[]): PooledStock[] {
  const out = new Map<string, Map<string, number>>();
  for (const u of units) {
    for (const c of u.replan.candidates) {
      const perSku = out.get(c.locationId);
      if (!perSku) out.set(c.locationId, new Map(c.available));
      else for (const [sku, q] of perSku) perSku.set(sku, Math.min(q, c.available.get(sku) ?? 0));
    }
  }
  return [...out].map(([locationId, available]) => ({ locationId, available }));
}

/** Each order of a kept unit with the option that serves exactly its part of the new plan, or undefined. */
function orderReplans(u: Unit, releaseOf: ReadonlyMap<string, Date>): Array<OrderReplan | undefined> {
  return u.orders.map((o) => {
    const mine = u.refs.map((r, i) => ({ ...r, unitLine: String(i + 1), index: i })).filter((r) => r.orderId === o.order.id);
    const plan: PlanByLocation = u.replan.proposed;
    const at = new Map<string, Map<string, number>>();
    const lines = mine.map((r, i) => ({ ...u.input.lines[r.index]!, lineId: String(i + 1) }));
    for (const [locationId, assigned] of plan) for (const l of assigned) if (mine.some((r) => r.unitLine === l.lineId)) addTo(at, locationId, l.sku, l.quantity);
    // Only the new plan's units are available: the engine can only find that plan, and dates it.
    const input: PromiseInput = { ...u.input, lines, locations: u.input.locations.map((l) => ({ ...l, available: at.get(l.id) ?? new Map<string, number>() })) };
    const option = computePromise(input).options.find((x) => x.optionId === `ship:${u.service}`);
    if (!option || option.preorder || !servesExactly(option, at)) return undefined;
    const promised = o.order.promise_latest;
    if (promised && new Date(option.window.latest).getTime() > promised.getTime()) return undefined;
    const address = o.order.address as ShipAddress;
    return {
      orderId: o.order.id,
      fingerprint: allocationFingerprint(o),
      request: { channel: o.order.channel_id, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), destination: { postalCode: address.postalCode, country: address.country }, services: [u.service] },
      lineIds: mine.map((r) => r.lineId),
      option,
      // The new work keeps the order's hold: released when its earliest held work would have been.
      releaseAt: releaseOf.get(o.order.id) ?? new Date(0),
    };
  });
}

function servesExactly(option: PromiseOption, at: ReadonlyMap<string, ReadonlyMap<string, number>>): boolean {
  const got = new Map<string, Map<string, number>>();
  for (const s of option.shipments) for (const l of s.lines) addTo(got, s.locationId, l.sku, l.quantity);
  const flat = (m: ReadonlyMap<string, ReadonlyMap<string, number>>) => JSON.stringify([...m].flatMap(([loc, skus]) => [...skus].filter(([, q]) => q > 0).map(([sku, q]) => `${loc}/${sku}/${q}`)).sort());
  return flat(got) === flat(at);
}
