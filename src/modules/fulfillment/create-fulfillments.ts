import type { Insertable } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { StatementBatch } from '../../db/statement-batch.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import type { FulfillmentLineTable } from '../../db/schema.js';
import type { Carrier } from '../../domain/promise/carriers.js';
import { acceptanceDeadline, fulfillmentDueAt, mayHold } from '../../domain/fulfillment/fulfillment-deadlines.js';
import type { FulfillmentKind } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { AllocationRow, LineRow, NewTimelineEntry, OrderRow } from '../orders/order.repository.js';
import { appendTimeline } from '../orders/order.repository.js';
import type { PromiseSite } from '../promise/promise-data.js';
import { findCarrier } from '../promise/promise.repository.js';
import { countOrderFulfillments, insertFulfillment, insertFulfillmentLines, linesOf, linkAllocations, orderFulfillments, updateFulfillment, type FulfillmentRow } from './fulfillment.repository.js';
import { fulfillmentEvent } from './fulfillment-payloads.js';
import type { FulfillmentSettings } from './fulfillment-settings.schemas.js';

export interface NewWork {
  order: OrderRow;
  lines: readonly LineRow[];
  /** Allocations just written; only 'reserved' ones without a fulfillment become work. */
  allocations: readonly AllocationRow[];
  /** Master data of the locations (calendar, cut-offs, type), read before the transaction. */
  sites: ReadonlyMap<string, PromiseSite>;
  settings: FulfillmentSettings;
  actor: Actor;
  now: Date;
  /**
   * Hold new `ship` work until this instant (release-held.ts): created `held`, invisible to the location,
   * without an acceptance deadline or an outbox event until it is released; unless it would come out of
   * the hold urgent (mayHold), then it is released at once.
   */
  releaseAt?: Date;
  /** Carriers as the promise snapshot has them (the planned service's cut-off), instead of reading them. */
  carriers?: readonly Carrier[];
  /** The order was written in this transaction: it has no fulfillment yet, numbering starts at F1. */
  newOrder?: boolean;
  /** When given, events and timeline entries are left here for the caller's own single insert of each. */
  pending?: PendingWrites;
}

export interface PendingWrites {
  events: NewEvent[];
  timeline: NewTimelineEntry[];
  /** Fulfillment of each allocation linked here (allocation id → fulfillment id), for the caller's view. */
  linked: Map<string, string>;
  /** Lines and links of new work wait for its flush; a new order's work itself too (`newOrder`). */
  batch: StatementBatch;
  /**
   * A new order's allocations not written yet (UnwrittenAllocations.byId) and the fulfillment lines
   * pointing to them: their fulfillment is set on the rows instead of updated once written, and the
   * lines are left here for the caller to write after the allocations.
   */
  unwritten?: { allocations: ReadonlyMap<string, { fulfillment_id?: string | null }>; lines: Insertable<FulfillmentLineTable>[] };
}

interface Group {
  kind: FulfillmentKind;
  locationId: string;
  allocations: AllocationRow[];
}

/**
 * Turns an order's newly held units into work for the locations, in the caller's transaction: one
 * `ship` fulfillment per location for a shipped order; for a pickup or reserve & collect order, one
 * `pickup` fulfillment at the pickup store (its own shelves' units) and one `transfer` per other
 * location sending units there, pointing at it. Re-sourced units of a pickup order join the order's open
 * pickup fulfillment. Each gets its deadline from the promise (cut-off of its departure day, or the
 * ready time), an acceptance deadline in the location's open minutes, a `fulfillment.created` event
 * (drop-ship suppliers receive theirs by webhook) and a timeline entry. Carried-out and backordered units
 * create nothing (backorders become work when they are re-sourced on arrival of supply).
 */
export async function createFulfillments(tx: Tx, w: NewWork): Promise<FulfillmentRow[]> {
  const held = w.allocations.filter((a) => a.status === 'reserved' && a.fulfillment_id === null);
  if (held.length === 0 || w.order.delivery_method === 'carry_out') return [];
  const pickupStore = w.order.delivery_method === 'ship' ? null : w.order.pickup_location_id;
  const groups = new Map<string, Group>();
  for (const a of held) {
    const kind: FulfillmentKind = pickupStore === null ? 'ship' : a.location_id === pickupStore ? 'pickup' : 'transfer';
    const key = `${kind}@${a.location_id}`;
    const g = groups.get(key) ?? { kind, locationId: a.location_id, allocations: [] };
    g.allocations.push(a);
    groups.set(key, g);
  }
  let pickup: FulfillmentRow | undefined;
  const created: FulfillmentRow[] = [];
  let count = w.newOrder ? 0 : undefined;
  const nextNumber = async (): Promise<string> => {
    count ??= await countOrderFulfillments(tx, w.order.id);
    return `${w.order.number}-F${++count}`;
  };
  if (pickupStore !== null) {
    // A new order has no work yet (and its rows may still wait in the batch).
    pickup = w.newOrder ? undefined : (await orderFulfillments(tx, w.order.id)).find((f) => f.kind === 'pickup' && !['collected', 'rejected', 'cancelled'].includes(f.status));
    const own = groups.get(`pickup@${pickupStore}`);
    groups.delete(`pickup@${pickupStore}`);
    // The pickup is due when its last unit is ready (transfers included).
    const readyAt = held.map((a) => a.earliest).filter((e): e is string => e !== null).sort().at(-1) ?? null;
    if (!pickup) {
      pickup = await create(tx, w, { kind: 'pickup', locationId: pickupStore, allocations: own?.allocations ?? [] }, await nextNumber(), readyAt);
      created.push(pickup);
    } else if (own) {
      await addLines(tx, pickup, own.allocations, w.pending);
      if (pickup.status === 'picked') await reopen(tx, w, pickup);
    }
  }
  for (const g of groups.values()) created.push(await create(tx, w, g, await nextNumber(), null, pickup));
  return created;
}

async function create(tx: Tx, w: NewWork, g: Group, number: string, readyAt: string | null, feeds?: FulfillmentRow): Promise<FulfillmentRow> {
  const site = w.sites.get(g.locationId);
  const first = g.allocations[0];
  const service = g.kind === 'ship' ? (w.order.service ?? 'standard') : g.kind === 'transfer' ? 'standard' : null;
  const carrierCutoff = await plannedCarrierCutoff(tx, first?.carrier ?? null, w.carriers);
  const due = site ? fulfillmentDueAt(g.kind, site, { service, departureDate: first?.departure_date ?? null, earliest: readyAt ?? first?.earliest ?? null, carrierCutoff }) : null;
  const now = w.now.getTime();
  // Work the hold would hand over already urgent goes at once: its promise leaves no time to wait.
  const held = g.kind === 'ship' && w.releaseAt !== undefined && mayHold(w.releaseAt.getTime(), due, w.settings.urgentMinutes);
  const acceptBy = site ? acceptanceDeadline(site.calendar, now, w.settings.acceptTimeoutMinutes, due) : now + w.settings.acceptTimeoutMinutes * 60_000;
  const f = await insertFulfillment(tx, {
    number,
    order_id: w.order.id,
    location_id: g.locationId,
    kind: g.kind,
    status: held ? 'held' : 'pending',
    ...(held ? { release_at: w.releaseAt } : {}),
    drop_ship: g.kind === 'ship' && site?.type === 'supplier',
    destination_location_id: g.kind === 'transfer' ? w.order.pickup_location_id : null,
    pickup_fulfillment_id: g.kind === 'transfer' ? (feeds?.id ?? null) : null,
    service,
    planned_carrier: first?.carrier ? JSON.stringify(first.carrier) : null,
    promised_earliest: g.kind === 'pickup' ? readyAt : (first?.earliest ?? null),
    promised_latest: first?.latest ?? null,
    confidence: first?.confidence ?? null,
    due_at: due !== null ? new Date(due) : null,
    accept_by: held ? null : new Date(acceptBy),
    created_at: w.now,
    updated_at: w.now,
  }, w.newOrder ? w.pending?.batch : undefined);
  await addLines(tx, f, g.allocations, w.pending);
  const names = new Map(w.lines.map((l) => [l.id, l.name]));
  const lines = g.allocations.map((a) => ({ id: a.id, order_line_id: a.line_id, sku: a.sku, quantity: a.quantity, picked_quantity: null, name: names.get(a.line_id) ?? a.sku }));
  // Held work is announced (connectors, webhooks, store notifications) when it is released, not before.
  const events = held ? [] : [fulfillmentEvent('fulfillment.created', f, lines, w.order)];
  const entry: NewTimelineEntry = {
    order_id: w.order.id,
    occurred_at: w.now,
    actor: w.actor.id,
    event: 'fulfillment.created',
    status_from: null,
    status_to: f.status,
    details: {
      fulfillmentId: f.id,
      number: f.number,
      kind: f.kind,
      locationId: f.location_id,
      dueAt: f.due_at?.toISOString() ?? null,
      ...(held ? { releaseAt: w.releaseAt!.toISOString() } : {}),
      units: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    },
  };
  if (w.pending) {
    w.pending.events.push(...events);
    w.pending.timeline.push(entry);
  } else {
    await appendEvents(tx, events);
    await appendTimeline(tx, [entry]);
  }
  return f;
}

/** Writes the fulfillment lines left in `pending.unwritten`, once the allocations they point to are in the batch. */
export async function writeUnwrittenLines(tx: Tx, pending: PendingWrites): Promise<void> {
  if (pending.unwritten) await insertFulfillmentLines(tx, pending.unwritten.lines.splice(0), pending.batch);
}

/** A picked pickup that received units to pick from its own shelves is back to `accepted` until they are. */
async function reopen(tx: Tx, w: NewWork, pickup: FulfillmentRow): Promise<void> {
  const row = await updateFulfillment(tx, pickup.id, { status: 'accepted', picked_at: null, updated_at: w.now });
  const lines = (await linesOf(tx, [pickup.id])).get(pickup.id) ?? [];
  await appendEvents(tx, [fulfillmentEvent('fulfillment.reopened', row, lines, w.order, 'units_added')]);
  await appendTimeline(tx, [
    { order_id: w.order.id, occurred_at: w.now, actor: w.actor.id, event: 'fulfillment.reopened', status_from: 'picked', status_to: 'accepted', details: { fulfillmentId: pickup.id, number: pickup.number, reason: 'units_added' } },
  ]);
}

/** The collection cut-off of the carrier service the promise planned (the parcels must be ready by then). */
async function plannedCarrierCutoff(tx: Tx, planned: Record<string, unknown> | null, carriers?: readonly Carrier[]): Promise<string | null> {
  const carrierId = planned?.carrierId;
  if (typeof carrierId !== 'string') return null;
  const carrier = carriers?.find((c) => c.id === carrierId) ?? (await findCarrier(tx, carrierId));
  return carrier?.services.find((s) => s.service === planned?.service)?.cutoff ?? null;
}

async function addLines(tx: Tx, f: FulfillmentRow, allocations: readonly AllocationRow[], pending?: PendingWrites): Promise<void> {
  const lines = allocations.map((a) => ({ fulfillment_id: f.id, order_line_id: a.line_id, allocation_id: a.id, sku: a.sku, quantity: a.quantity }));
  const unwritten = pending?.unwritten;
  if (unwritten && allocations.every((a) => unwritten.allocations.has(a.id))) {
    for (const a of allocations) unwritten.allocations.get(a.id)!.fulfillment_id = f.id;
    unwritten.lines.push(...lines);
  } else {
    await insertFulfillmentLines(tx, lines, pending?.batch);
    await linkAllocations(tx, allocations.map((a) => a.id), f.id, pending?.batch);
  }
  for (const a of allocations) pending?.linked.set(a.id, f.id);
}
