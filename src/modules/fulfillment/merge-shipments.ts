import type { Tx } from '../../db/database.js';
import { appendTimeline, type NewTimelineEntry, type OrderRow } from '../orders/order.repository.js';
import { mergeKey } from '../../domain/fulfillment/release-groups.js';
import { shipCandidates, type PromiseInput } from '../../domain/promise/delivery-promise.js';
import type { ServiceLevel } from '../../domain/promise/carriers.js';
import type { Actor } from '../../domain/shared/actor.js';
import { shipmentCost } from '../../domain/sourcing/cost-model.js';
import type { ShipAddress } from '../orders/order.schemas.js';
import { computePromiseFor } from '../promise/compute-promise.js';
import { linesOf, updateFulfillment, type FulfillmentRow } from './fulfillment.repository.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import type { HeldWork } from './release.repository.js';

/** Fulfillments to ship as one parcel set from one location: the lead (oldest) and those merged into it. */
export interface MergePlan {
  leadId: string;
  memberIds: string[];
  /** What the location's shipments cost apart, and merged (handling once, parcels by the total weight). */
  separateCostMinor: number;
  mergedCostMinor: number;
}

/**
 * Which held work of one customer to one address and service, at one location, ships merged: priced
 * with the promise's rate card from that location to the address (read before the release's
 * transaction), merged only when one shipment costs less than the separate ones. The lead is the oldest
 * fulfillment; the others keep their orders and lines and point at it.
 */
export async function planMerges(deps: FulfillmentDeps, work: readonly HeldWork[]): Promise<MergePlan[]> {
  const byKey = new Map<string, HeldWork[]>();
  for (const w of work) {
    const key = mergeKey(w);
    if (!key || w.fulfillment.kind !== 'ship' || w.fulfillment.drop_ship) continue;
    const k = `${key}@${w.fulfillment.location_id}`;
    byKey.set(k, [...(byKey.get(k) ?? []), w]);
  }
  const plans: MergePlan[] = [];
  for (const group of byKey.values()) {
    if (new Set(group.map((w) => w.fulfillment.order_id)).size < 2) continue;
    const plan = await priceMerge(deps, group);
    if (plan && plan.mergedCostMinor < plan.separateCostMinor) plans.push(plan);
  }
  return plans;
}

async function priceMerge(deps: FulfillmentDeps, group: readonly HeldWork[]): Promise<MergePlan | undefined> {
  const sorted = [...group].sort((a, b) => a.fulfillment.created_at.getTime() - b.fulfillment.created_at.getTime() || (a.fulfillment.id < b.fulfillment.id ? -1 : 1));
  const lines = await linesOf(deps.db, sorted.map((w) => w.fulfillment.id));
  const units = sorted.map((w) => (lines.get(w.fulfillment.id) ?? []).filter((l) => l.allocation_status === 'reserved'));
  const all = units.flat();
  if (all.length === 0 || units.some((u) => u.length === 0)) return undefined;
  const first = sorted[0]!;
  const locationId = first.fulfillment.location_id;
  const address = first.address as ShipAddress;
  const service = (first.service ?? 'standard') as ServiceLevel;
  const request = { channel: first.channelId, lines: all.map((l) => ({ sku: l.sku, quantity: l.quantity })), destination: { postalCode: address.postalCode, country: address.country }, services: [service] };
  const computed = await computePromiseFor(deps, request);
  if (!computed.ok) return undefined;
  // Only this location, holding exactly the units (they are reserved, so not in its ATP): its quote and costs.
  const base = computed.value.input;
  const only = new Map<string, number>();
  for (const l of all) only.set(l.sku, (only.get(l.sku) ?? 0) + l.quantity);
  const input: PromiseInput = { ...base, locations: base.locations.filter((l) => l.id === locationId).map((l) => ({ ...l, available: only })) };
  const candidate = shipCandidates(input, service).candidates[0];
  if (!candidate) return undefined;
  const weight = new Map(base.lines.map((l) => [l.sku, l.weightGrams]));
  const weighed = (ls: typeof all) => ls.map((l) => ({ lineId: l.id, sku: l.sku, quantity: l.quantity, unitWeightGrams: weight.get(l.sku) ?? 0 }));
  return {
    leadId: first.fulfillment.id,
    memberIds: sorted.slice(1).map((w) => w.fulfillment.id),
    separateCostMinor: units.reduce((s, u) => s + shipmentCost(candidate, weighed(u)).costMinor, 0),
    mergedCostMinor: shipmentCost(candidate, weighed(all)).costMinor,
  };
}

/**
 * In the release's transaction, after the work was released: each planned merge whose fulfillments were
 * all released now becomes one shipment (members point at the lead), with a `fulfillment.merged`
 * timeline entry on every order involved. Returns how many fulfillments were merged into another.
 */
export async function mergeAtRelease(tx: Tx, released: readonly FulfillmentRow[], plans: readonly MergePlan[], orders: ReadonlyMap<string, OrderRow>, actor: Actor, now: Date): Promise<number> {
  const byId = new Map(released.map((f) => [f.id, f]));
  let merged = 0;
  for (const plan of plans) {
    const lead = byId.get(plan.leadId);
    const members = plan.memberIds.map((id) => byId.get(id)).filter((f): f is FulfillmentRow => f !== undefined);
    if (!lead || members.length === 0) continue;
    for (const m of members) await updateFulfillment(tx, m.id, { merged_into_id: lead.id, updated_at: now });
    merged += members.length;
    const details = { leadFulfillmentId: lead.id, leadNumber: lead.number, locationId: lead.location_id, fulfillments: [lead, ...members].map((f) => ({ fulfillmentId: f.id, number: f.number, orderNumber: orders.get(f.order_id)?.number ?? null })), separateCostMinor: plan.separateCostMinor, mergedCostMinor: plan.mergedCostMinor };
    const entries: NewTimelineEntry[] = [...new Set([lead, ...members].map((f) => f.order_id))].map((orderId) => ({ order_id: orderId, occurred_at: now, actor: actor.id, event: 'fulfillment.merged', status_from: null, status_to: null, details }));
    await appendTimeline(tx, entries);
  }
  return merged;
}
