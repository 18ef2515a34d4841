import { appendEvents } from '../../db/outbox.js';
import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import { trackingUrl } from '../../domain/fulfillment/tracking-number.js';
import type { OrderShipped } from '../../domain/orders/order-events.js';
import { unitsValue } from '../../domain/orders/unit-value.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { appendTimeline, findLocationFacts, type NewTimelineEntry } from '../orders/order.repository.js';
import { orderEvent, orderRef } from '../orders/order-payloads.js';
import type { OrderContact } from '../orders/order-view.js';
import type { CarrierView } from '../promise/carrier.schemas.js';
import { findCarrier } from '../promise/promise.repository.js';
import { recordDepartureSlip } from '../promise/record-departure-slip.js';
import type { CarrierAdapters, LabelAddress } from './carrier-adapter.js';
import { captureForOrder } from './capture-payment.js';
import { orderFulfillments, type FulfillmentLineState } from './fulfillment.repository.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { FulfillmentView, Parcel, ShipInput } from './fulfillment.schemas.js';
import { recordOutcome } from './location-performance.js';
import { pack, packMerged } from './pack-fulfillment.js';
import { insertShippingLabel, trackingNumberTaken } from './shipping-label.repository.js';
import { endShippedAllocations } from './shipment.repository.js';
import { moveStock } from './stock-moves.js';

/** What fulfillment_order.shipment holds once the parcels left (the fulfillment.* events carry it). */
export interface Shipment {
  carrierId: string;
  carrierName: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  parcelTrackingNumbers: string[];
  /** The label Ordo printed (GET /v1/fulfillments/{id}/label); null when the location printed its own. */
  labelId: string | null;
}

/** Tracking numbers an adapter may answer already taken before the step gives up (see tracking-number.ts). */
const LABEL_ATTEMPTS = 5;

/**
 * POST /v1/fulfillments/{id}/ship: the parcels leave with the carrier, in one transaction. A fulfillment
 * still only picked is packed first with the parcels given (a drop-ship supplier confirms in one call).
 * The carrier is the one asked for or the one the promise planned, active and offering the service; its
 * adapter prints the label unless the location gave its own tracking number. The held units leave on hand
 * and reserved at the location ('shipment' to a customer, 'transfer_out' to the pickup store) and their
 * allocations end 'fulfilled' or 'transferred'. A shipment to the customer captures the value of its
 * units (plus the delivery fee on the order's first shipment; everything still authorised once the
 * order is shipped) and tells the customer (order.shipped). The location's record counts a completed
 * fulfillment, and a late one when it left after its deadline; how many departures after the planned one
 * it left is what later promises learn the location's departure slip from.
 */
export async function shipFulfillment(deps: FulfillmentDeps, labels: CarrierAdapters, actor: Actor, id: string, input: ShipInput, key?: string): Promise<Result<FulfillmentView>> {
  let chosen: Omit<Leaving, 'held' | 'settledBefore' | 'parcels' | 'ownParcels'> | undefined;
  // Work merged into this one leaves in its parcels, under its tracking number, each order told on its own.
  const members = async (m: StepContext, lead: StepContext) => {
    if (m.current.fulfillment.status === 'picked') await packMerged(m, lead);
    const held = m.current.lines.filter((l) => l.allocation_status === 'reserved');
    if (held.length === 0 || !chosen) return;
    await leave(m, { ...chosen, note: undefined, held, settledBefore: settledUnitsByLine(m), parcels: [], ownParcels: false, mergedInto: lead.current.fulfillment.number });
  };
  return runStep(deps, actor, id, input, key, { step: 'ship', members }, async (c) => {
    const f = c.current.fulfillment;
    refuseUnless(c, f.status === 'picked' ? 'packed' : 'shipped');
    if (f.status === 'picked' && !input.parcels) throw new BusinessError('parcels_required', `${f.number} is not packed yet: give its parcels`);
    const held = c.current.lines.filter((l) => l.allocation_status === 'reserved');
    if (held.length === 0) throw new BusinessError('nothing_to_ship', `${f.number} holds no units to ship`);
    const { carrier, service, serviceName } = await chooseCarrier(c, input);
    const settledBefore = settledUnitsByLine(c);
    if (input.parcels && f.status === 'picked') await pack(c, input.parcels);
    const parcels = input.parcels ?? (c.current.fulfillment.parcels as Parcel[]);
    if (parcels.length === 0) throw new BusinessError('parcels_required', `${f.number} has no parcels: pack it first`);
    const shipment = input.trackingNumber ? ownLabel(carrier, service, input.trackingNumber) : await printLabel(c, labels, carrier, service, parcels);
    chosen = { shipment, carrier, service, serviceName, note: input.note };
    await leave(c, { ...chosen, held, settledBefore, parcels, ownParcels: input.parcels !== undefined && f.status === 'packed' });
  });
}

interface Leaving {
  shipment: Shipment;
  carrier: CarrierView;
  service: string;
  serviceName: string;
  note: string | undefined;
  held: FulfillmentLineState[];
  settledBefore: Map<string, number>;
  parcels: readonly Parcel[];
  /** The parcels came with the ship step (written on the fulfillment). */
  ownParcels: boolean;
  /** Merged work: the lead whose parcels carry it. */
  mergedInto?: string;
}

/**
 * The units leave: stock and allocations, the fulfillment shipped with the shipment, the money captured
 * and the customer told (order.shipped), the location's record updated.
 */
async function leave(c: StepContext, out: Leaving): Promise<void> {
  const f = c.current.fulfillment;
  const { shipment, carrier, service, serviceName, held, settledBefore, parcels } = out;
  const toCustomer = f.kind === 'ship';
  const moves = held.map((l) => ({ sku: l.sku, locationId: f.location_id, onHandDelta: -l.allocation_quantity, reservedDelta: -l.allocation_quantity, source: l.allocation_id }));
  await moveStock(c.tx, moves, toCustomer ? 'shipment' : 'transfer_out', c.actor, f.number);
  await endShippedAllocations(c.tx, held.map((l) => l.allocation_id), toCustomer ? 'fulfilled' : 'transferred', c.now);
  const firstShipment = toCustomer && !(await orderFulfillments(c.tx, f.order_id)).some((o) => o.id !== f.id && o.kind === 'ship' && o.shipped_at !== null);
  await advance(
    c,
    'shipped',
    { shipped_at: c.now, service, shipment: JSON.stringify(shipment), ...(out.ownParcels ? { parcels: JSON.stringify(parcels) } : {}), ...(out.note ? { note: out.note } : {}) },
    {
      carrierId: carrier.id,
      service,
      trackingNumber: shipment.trackingNumber,
      parcels: parcels.length,
      units: held.map((h) => ({ sku: h.sku, quantity: h.allocation_quantity })),
      ...(out.mergedInto ? { mergedInto: out.mergedInto } : {}),
    },
  );

  if (toCustomer) {
    const timeline: NewTimelineEntry[] = [];
    const orderDone = c.order.order.status === 'shipped' || c.order.order.status === 'completed';
    const amount = orderDone ? 'rest' : shippedValue(c, held, settledBefore) + (firstShipment ? c.order.order.shipping_minor : 0);
    await captureForOrder(c.tx, c.deps.payments, c.order.order, amount, c.actor, c.now, `shipment ${f.number}`, timeline);
    await appendTimeline(c.tx, timeline);
    await appendEvents(c.tx, [orderEvent('order.shipped', shippedPayload(c, held, shipment, carrier.name, serviceName))]);
  }
  await recordOutcome(c.tx, f.location_id, 'completed', c.now);
  if (f.due_at !== null && c.now > f.due_at) await recordOutcome(c.tx, f.location_id, 'late_shipment', c.now);
  await recordDepartureSlip(c.tx, { fulfillmentId: f.id, locationId: f.location_id, plannedOn: plannedDeparture(c, held), carrier, service, shippedAt: c.now });
}

/**
 * The departure the promise planned for these units: their allocations' earliest, among those served
 * from stock (a backorder's departure waited for supply, whose lateness is not the location's).
 */
function plannedDeparture(c: StepContext, held: readonly FulfillmentLineState[]): string | null {
  const ids = new Set(held.map((l) => l.allocation_id));
  let planned: string | null = null;
  for (const a of c.order.allocations) {
    if (ids.has(a.id) && a.available_from === null && a.departure_date !== null && (planned === null || a.departure_date < planned)) planned = a.departure_date;
  }
  return planned;
}

/** Refuses (invalid_transition, 409) before anything is looked at when the step cannot apply. */
function refuseUnless(c: StepContext, to: FulfillmentStatus): void {
  const f = c.current.fulfillment;
  const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, to, f.number);
  if (refused) throw BusinessError.of(refused);
}

async function chooseCarrier(c: StepContext, input: ShipInput): Promise<{ carrier: CarrierView; service: string; serviceName: string }> {
  const f = c.current.fulfillment;
  const planned = (f.planned_carrier ?? {}) as { carrierId?: string; service?: string };
  const carrierId = input.carrierId ?? planned.carrierId;
  if (!carrierId) throw new BusinessError('carrier_unavailable', `no carrier was planned for ${f.number}: give carrierId`);
  const carrier = await findCarrier(c.tx, carrierId);
  if (!carrier || !carrier.active) throw new BusinessError('carrier_unavailable', `carrier ${carrierId} is unknown or inactive`, { carrierId });
  const service = input.service ?? f.service ?? planned.service ?? 'standard';
  const offered = carrier.services.find((s) => s.service === service);
  if (!offered) {
    throw new BusinessError('carrier_unavailable', `${carrier.name} has no ${service} service`, { carrierId, service, offered: carrier.services.map((s) => s.service) });
  }
  return { carrier, service, serviceName: offered.name };
}

function ownLabel(carrier: CarrierView, service: string, number: string): Shipment {
  const url = trackingUrl(carrier.trackingUrlTemplate, number);
  return { carrierId: carrier.id, carrierName: carrier.name, service, trackingNumber: number, ...(url ? { trackingUrl: url } : {}), parcelTrackingNumbers: [number], labelId: null };
}

/**
 * Asks the carrier's adapter for a label, again with the next attempt when it answers a tracking number
 * some label already has, and stores it. A refusal or an unreachable carrier is label_failed (502).
 */
async function printLabel(c: StepContext, labels: CarrierAdapters, carrier: CarrierView, service: string, parcels: readonly Parcel[]): Promise<Shipment> {
  const f = c.current.fulfillment;
  const adapter = labels.forCarrier(carrier.id);
  const [sender, recipient] = await Promise.all([locationAddress(c, f.location_id), f.kind === 'transfer' ? locationAddress(c, f.destination_location_id) : customerAddress(c)]);
  for (let attempt = 0; attempt < LABEL_ATTEMPTS; attempt++) {
    const request = { carrier, service, reference: f.number, orderNumber: c.order.order.number, sender, recipient, parcels, attempt, printedAt: c.now };
    const created = await adapter.createLabel(request).catch((e: unknown) => {
      throw new BusinessError('label_failed', `${carrier.name} could not be reached for a label`, { carrierId: carrier.id, adapter: adapter.id, reason: e instanceof Error ? e.message : String(e) });
    });
    if (!created.ok) throw new BusinessError('label_failed', `${carrier.name} refused the label: ${created.message}`, { carrierId: carrier.id, adapter: adapter.id, code: created.code, details: created.details });
    const label = created.value;
    if (await trackingNumberTaken(c.tx, label.trackingNumber)) continue;
    const labelId = await insertShippingLabel(c.tx, { fulfillmentId: f.id, carrierId: carrier.id, trackingNumber: label.trackingNumber, pdf: label.pdf, createdAt: c.now });
    const url = label.trackingUrl ?? trackingUrl(carrier.trackingUrlTemplate, label.trackingNumber);
    return { carrierId: carrier.id, carrierName: carrier.name, service, trackingNumber: label.trackingNumber, ...(url ? { trackingUrl: url } : {}), parcelTrackingNumbers: label.parcelTrackingNumbers, labelId };
  }
  throw new BusinessError('label_failed', `${carrier.name} kept answering tracking numbers already in use`, { carrierId: carrier.id, adapter: adapter.id, attempts: LABEL_ATTEMPTS });
}

async function locationAddress(c: StepContext, locationId: string | null): Promise<LabelAddress> {
  const l = locationId ? await findLocationFacts(c.tx, locationId) : undefined;
  if (!l) throw new Error(`location ${locationId} of ${c.current.fulfillment.number} vanished`);
  return { name: l.name, ...(l.address as Omit<LabelAddress, 'name'>) };
}

function customerAddress(c: StepContext): LabelAddress {
  const o = c.order.order;
  const a = (o.address ?? {}) as Partial<LabelAddress>;
  return { ...a, name: a.name ?? (o.contact as OrderContact).name ?? o.number };
}

/** Units of each order line already settled (shipped, collected, carried out) before this shipment. */
function settledUnitsByLine(c: StepContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of c.order.allocations) if (a.status === 'fulfilled') out.set(a.line_id, (out.get(a.line_id) ?? 0) + a.quantity);
  return out;
}

/** The money of the units shipped now, each line's units valued after those settled before (unit-value.ts). */
function shippedValue(c: StepContext, held: readonly FulfillmentLineState[], settledBefore: Map<string, number>): number {
  const settled = new Map(settledBefore);
  let value = 0;
  for (const l of held) {
    const line = c.order.lines.find((x) => x.id === l.order_line_id);
    if (!line) throw new Error(`order line ${l.order_line_id} vanished`);
    const from = settled.get(line.id) ?? 0;
    value += unitsValue({ quantity: line.quantity, totalMinor: line.total_minor }, from, l.allocation_quantity);
    settled.set(line.id, from + l.allocation_quantity);
  }
  return value;
}

function shippedPayload(c: StepContext, held: readonly FulfillmentLineState[], s: Shipment, carrierName: string, serviceName: string): OrderShipped {
  const f = c.current.fulfillment;
  const lines = new Map<string, OrderShipped['lines'][number]>();
  for (const l of held) {
    const prev = lines.get(l.order_line_id);
    lines.set(l.order_line_id, { lineId: l.order_line_id, sku: l.sku, name: l.name, quantity: (prev?.quantity ?? 0) + l.allocation_quantity });
  }
  const o = c.order.order;
  return {
    ...orderRef(o),
    fulfillmentId: f.id,
    carrier: carrierName,
    service: serviceName,
    trackingNumber: s.trackingNumber,
    ...(s.trackingUrl ? { trackingUrl: s.trackingUrl } : {}),
    lines: [...lines.values()],
    // The contract's window is in instants: the order's promise (the shipment's own dates are local days).
    ...(o.promise_earliest && o.promise_latest
      ? { promise: { earliest: o.promise_earliest.toISOString(), latest: o.promise_latest.toISOString(), ...(o.promise_confidence !== null ? { confidence: o.promise_confidence } : {}) } }
      : {}),
  };
}
