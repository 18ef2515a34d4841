import { ENDED_STATUSES, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import type { DbOrTx } from '../../db/database.js';
import { loadOrder } from '../orders/order.repository.js';
import { loadFulfillment, type FulfillmentRow, type LoadedFulfillment } from './fulfillment.repository.js';
import type { StepContext } from './fulfillment-step.js';
import type { PickInput } from './fulfillment.schemas.js';
import { mergedInto } from './release.repository.js';

/**
 * Work merged into one shipment (merge-shipments.ts): the store works on the lead only; every step on it
 * is applied to the fulfillments merged into it in the same transaction, each with its own order (locked
 * after the lead's), events, timeline and order progress. A merged fulfillment refuses steps of its own.
 */

const open = (f: FulfillmentRow): boolean => !ENDED_STATUSES.has(f.status as FulfillmentStatus) && f.status !== 'shipped';

/** Steps on a merged fulfillment are its lead's (409 fulfillment_merged names it). */
export function refuseMerged(f: FulfillmentRow): void {
  if (f.merged_into_id === null) return;
  throw new BusinessError('fulfillment_merged', `fulfillment ${f.number} ships merged with fulfillment ${f.merged_into_id}: work on that one, its steps apply to both`, { mergedIntoId: f.merged_into_id });
}

/** The open fulfillments merged into the step's lead, each as a step context of its own (order, then fulfillment locked). */
export async function memberSteps(c: StepContext): Promise<StepContext[]> {
  const out: StepContext[] = [];
  for (const m of (await mergedInto(c.tx, c.current.fulfillment.id)).filter(open)) {
    const order = await loadOrder(c.tx, m.order_id, true);
    const current = await loadFulfillment(c.tx, m.id, true);
    if (!order || !current || !open(current.fulfillment) || current.fulfillment.merged_into_id !== c.current.fulfillment.id) continue;
    out.push({ ...c, order, current });
  }
  return out;
}

/**
 * How a pick scanned for the merged parcel splits over its fulfillments (the lead first, then the merged
 * ones, oldest first): each gets what its lines ask for. Undefined when nothing is merged into it. A
 * short pick of merged work is refused (409 merged_short_pick): the units missing would be re-sourced per
 * order while the parcel is one, so the lead is rejected or re-routed instead (its merged work is then
 * detached and picked on its own).
 */
export async function splitMergedPick(db: DbOrTx, lead: LoadedFulfillment, input: PickInput, pickable: (f: LoadedFulfillment) => ReadonlyArray<{ sku: string; quantity: number }>): Promise<Result<Map<string, PickInput>> | undefined> {
  const members: LoadedFulfillment[] = [];
  for (const m of (await mergedInto(db, lead.fulfillment.id)).filter(open)) {
    const loaded = await loadFulfillment(db, m.id);
    if (loaded) members.push(loaded);
  }
  if (members.length === 0) return undefined;
  const left = new Map<string, number>();
  for (const l of input.lines) left.set(l.sku, (left.get(l.sku) ?? 0) + l.quantity);
  const wanted = new Map<string, number>();
  const out = new Map<string, PickInput>();
  for (const f of [lead, ...members]) {
    const need = new Map<string, number>();
    for (const l of pickable(f)) need.set(l.sku, (need.get(l.sku) ?? 0) + l.quantity);
    const lines = [...need].map(([sku, q]) => {
      wanted.set(sku, (wanted.get(sku) ?? 0) + q);
      const take = Math.min(q, left.get(sku) ?? 0);
      left.set(sku, (left.get(sku) ?? 0) - take);
      return { sku, quantity: take };
    });
    out.set(f.fulfillment.id, { ...input, lines });
  }
  const scanned = (sku: string) => input.lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0);
  const short = [...wanted].filter(([sku, q]) => scanned(sku) < q);
  const over = [...left].filter(([sku, q]) => q > 0 || !wanted.has(sku)).map(([sku]) => sku);
  const unanswered = [...wanted.keys()].filter((sku) => !input.lines.some((l) => l.sku === sku));
  if (over.length > 0 || unanswered.length > 0) {
    return fail('pick_mismatch', 'the pick must give, for every SKU of the merged shipment, how many units were found (0 if none), never more than asked', { over, unanswered });
  }
  if (short.length > 0) {
    return fail('merged_short_pick', `fulfillment ${lead.fulfillment.number} ships merged with other orders' work: a short pick cannot split it; reject or re-route it (the merged work is then picked on its own)`, {
      short: short.map(([sku, q]) => ({ sku, wanted: q })),
    });
  }
  return ok(out);
}
