import type { OrderClaim } from '../../domain/inventory/stock-shortfall.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import { appendEvents } from '../../db/outbox.js';
import { appendLedger, stockChanged, type LedgerEntry } from '../inventory/ledger.repository.js';
import { readShortfall, type ShortfallState } from '../inventory/shortfall.repository.js';
import { recordShortfallStep, SHORTFALL_ACTOR, STOCK_LOST, type ShortfallAction } from '../inventory/shortfall-records.js';
import type { PositionKey } from '../inventory/stock.repository.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { subtractPickLoad } from '../promise/promise.repository.js';
import { subtractReserved } from '../reservations/reservation.repository.js';
import { advance, lockForStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import { updateFulfillment, type FulfillmentLineState, type LoadedFulfillment } from './fulfillment.repository.js';
import { recordLostUnits, UNPICKED_STATUSES } from './lost-units.repository.js';
import { applyReroute, finishReroute, planStep, seeFulfillment, verifyPlanned, type ReroutePlan } from './reroute.js';
import { transfersFeeding } from './reroute.repository.js';

interface LostLine {
  line: FulfillmentLineState;
  units: number;
}

const ATTEMPTS = 3;
// The fulfillment or the position moved between plan and transaction, or the stock found elsewhere went: plan again.
const REPLAN = new Set(['fulfillment_changed', 'shortfall_changed', 'insufficient_stock', 'capacity_exhausted']);

/**
 * The units of the position's SKU the fulfillment has not picked, up to `shortfall`, taken from its
 * last lines first. Nothing when the fulfillment is picked or further (those units are never taken).
 */
function lostLines(f: LoadedFulfillment, key: PositionKey, shortfall: number): LostLine[] {
  if (f.fulfillment.location_id !== key.locationId || !(UNPICKED_STATUSES as readonly string[]).includes(f.fulfillment.status)) return [];
  const out: LostLine[] = [];
  let left = shortfall;
  for (const line of [...f.lines].reverse()) {
    if (left <= 0) break;
    if (line.sku !== key.sku || line.allocation_status !== 'reserved' || line.picked_quantity !== null) continue;
    const units = Math.min(left, line.quantity, line.allocation_quantity);
    out.push({ line, units });
    left -= units;
  }
  return out;
}

/**
 * An order gives up units a stock feed took from under it, treated like a short pick the feed reported:
 * only the missing quantity (at most the position's shortfall) leaves the fulfillment, its reserved
 * units at the position are released, the lost units are recorded 'missing' (so this order's re-routes
 * avoid the location), and they are re-sourced elsewhere through the re-route path (planReroute /
 * applyReroute / finishReroute, cause `stock_lost`): held at another location, backordered on incoming
 * supply where the product allows it, otherwise cancelled with their money voided or refunded. A
 * fulfillment left with nothing to do ends `cancelled` (reason stock_lost). One transaction, locking
 * the order, the fulfillment, then the position, whose shortfall is read again under the lock: a
 * resolver racing this one finds nothing left to free. The location's reliability is untouched (the
 * feed, not a pick, found the gap).
 */
export async function loseOrderUnits(deps: FulfillmentDeps, claim: OrderClaim, key: PositionKey): Promise<Result<ShortfallAction | undefined>> {
  for (let n = 1; ; n++) {
    const result = await attempt(deps, claim, key);
    if (result.ok || !REPLAN.has(result.code) || n >= ATTEMPTS) return result;
    if (result.code === 'insufficient_stock' || result.code === 'capacity_exhausted') await deps.availability.refresh();
  }
}

async function attempt(deps: FulfillmentDeps, claim: OrderClaim, key: PositionKey): Promise<Result<ShortfallAction | undefined>> {
  const seen = await seeFulfillment(deps.db, SHORTFALL_ACTOR, claim.fulfillmentId);
  if (!seen.ok) return ok(undefined);
  const state = await readShortfall(deps.db, key);
  if (!state || state.shortfall <= 0) return ok(undefined);
  const lost = lostLines(seen.value.current, key, state.shortfall);
  if (lost.length === 0) return ok(undefined);
  const units = lost.map((l) => ({ orderLineId: l.line.order_line_id, sku: l.line.sku, quantity: l.units }));
  const planned = await planStep(deps, seen.value, 'cancelled', units);
  if (!planned) return ok(undefined);
  return withOptionalIdempotency(deps.db, 'stock-shortfall', undefined, undefined, async (tx) => {
    const c = await lockForStep(tx, deps, SHORTFALL_ACTOR, claim.fulfillmentId, 'location');
    const plan = await verifyPlanned(c, planned);
    const before = await readShortfall(tx, key, true);
    const total = lost.reduce((s, l) => s + l.units, 0);
    if (!before || before.shortfall < total) throw new BusinessError('shortfall_changed', `${key.locationId}/${key.sku} changed while its shortfall was being resolved`);
    return loseInStep(c, key, before, lost, plan);
  });
}

async function loseInStep(c: StepContext, key: PositionKey, before: ShortfallState, lost: readonly LostLine[], plan: ReroutePlan): Promise<ShortfallAction> {
  const f = c.current.fulfillment;
  const order = c.order.order;
  const total = lost.reduce((s, l) => s + l.units, 0);
  const after = await subtractReserved(c.tx, key.sku, key.locationId, total);
  const ledger: LedgerEntry[] = [];
  let reserved = after.reserved + total;
  for (const l of lost) {
    ledger.push({ sku: key.sku, locationId: key.locationId, cause: 'release', onHandBefore: after.onHand, onHandAfter: after.onHand, reservedBefore: reserved, reservedAfter: reserved - l.units, source: l.line.allocation_id, reference: order.number, actor: SHORTFALL_ACTOR.id });
    reserved -= l.units;
    const pickDay = c.order.allocations.find((a) => a.id === l.line.allocation_id)?.pick_day;
    if (pickDay) await subtractPickLoad(c.tx, key.locationId, pickDay, l.units);
    await recordLostUnits(c.tx, { fulfillmentLineId: l.line.id, allocationId: l.line.allocation_id, quantity: l.line.quantity, allocationQuantity: l.line.allocation_quantity }, l.units, c.now);
  }
  await appendLedger(c.tx, ledger);
  await appendEvents(c.tx, [stockChanged(after, 'release')]);

  const rerouted = await applyReroute(c, plan);
  const held = c.current.lines.filter((l) => l.allocation_status === 'reserved').reduce((s, l) => s + l.quantity, 0);
  const emptied = held - total === 0 && !(f.kind === 'pickup' && (await transfersFeeding(c.tx, f.id)) > 0);
  const lostUnits = lost.map((l) => ({ sku: l.line.sku, quantity: l.units }));
  if (emptied) await advance(c, 'cancelled', { ended_at: c.now, note: STOCK_LOST }, { reason: STOCK_LOST, units: lostUnits });
  else c.current = { ...c.current, fulfillment: await updateFulfillment(c.tx, f.id, { updated_at: c.now }) };
  await finishReroute(c, rerouted, f, STOCK_LOST);

  const action: ShortfallAction = {
    kind: 'order',
    orderId: order.id,
    orderNumber: order.number,
    fulfillmentId: f.id,
    fulfillmentNumber: f.number,
    units: total,
    rerouted: rerouted.allocations.map((a) => ({ sku: a.sku, locationId: a.location_id, quantity: a.quantity, status: a.status })),
    cancelled: rerouted.cancelled.map(({ line, count }) => ({ sku: line.sku, quantity: count })),
    fulfillmentCancelled: emptied,
  };
  await recordShortfallStep(c.tx, before, after, action);
  return action;
}
