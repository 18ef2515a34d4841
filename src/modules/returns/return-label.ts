import type { DbOrTx, Tx } from '../../db/database.js';
import { trackingUrl } from '../../domain/fulfillment/tracking-number.js';
import { proposeDestination, type DestinationProposal, type ReturnedUnits } from '../../domain/returns/return-destination.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import type { CarrierAdapters, LabelAddress } from '../fulfillment/carrier-adapter.js';
import type { LocationFacts, OrderRow } from '../orders/order.repository.js';
import type { OrderContact } from '../orders/order-view.js';
import type { CarrierView } from '../promise/carrier.schemas.js';
import { findCarrier, listCarriers } from '../promise/promise.repository.js';
import { firstShipment, insertReturnLabel, productWeights, returnLocations, stockAndDemand, trackingNumberInUse } from './return.repository.js';

/** Demand counts what orders took from a location over this many days (plus what they hold now). */
const DEMAND_DAYS = 28;
const LABEL_ATTEMPTS = 5;
const DEFAULT_UNIT_GRAMS = 500;

/** Where a return by mail is proposed to go (domain/returns/return-destination.ts), from live stock and demand. */
export async function proposeMailDestination(db: DbOrTx, units: readonly ReturnedUnits[], now: Date): Promise<DestinationProposal | undefined> {
  const locations = await returnLocations(db);
  const skus = [...new Set(units.map((u) => u.sku))];
  const figures = await stockAndDemand(db, skus, locations.map((l) => l.id), new Date(now.getTime() - DEMAND_DAYS * 86_400_000));
  return proposeDestination(
    locations.map((l) => ({
      locationId: l.id,
      type: l.type,
      stock: new Map(figures.filter((f) => f.locationId === l.id).map((f) => [f.sku, { atp: f.atp, demand: f.demand }])),
    })),
    units,
  );
}

export interface ReturnCarrier {
  carrier: CarrierView;
  service: string;
}

/**
 * The carrier of a return label: the one asked for, else the one that delivered the order, else the first
 * active carrier; with the service asked for, else the one the order left with, else `standard`, else its first.
 */
export async function chooseReturnCarrier(db: DbOrTx, orderId: string, carrierId: string | undefined, service: string | undefined): Promise<Result<ReturnCarrier>> {
  const shipped = await firstShipment(db, orderId);
  const wanted = carrierId ?? shipped?.carrierId;
  const carrier = wanted ? await findCarrier(db, wanted) : (await listCarriers(db)).find((c) => c.active && c.services.length > 0);
  if (!carrier || !carrier.active) return fail('carrier_unavailable', wanted ? `carrier ${wanted} is unknown or inactive` : 'no active carrier for a return label', { carrierId: wanted ?? null });
  const offered: string[] = carrier.services.map((s) => s.service);
  const chosen = service ?? [shipped?.service, 'standard', offered[0]].find((s) => s !== undefined && offered.includes(s));
  if (!chosen || !offered.includes(chosen)) return fail('carrier_unavailable', `${carrier.name} has no ${chosen ?? ''} service`.trim(), { carrierId: carrier.id, service: chosen ?? null, offered });
  return ok({ carrier, service: chosen });
}

/**
 * Prints the return label in the return's transaction through the carrier's adapter (the same interface
 * as shipping labels: the customer sends, the receiving location gets it), with another attempt when the
 * tracking number is already on a label, and stores it. A refusal or an unreachable carrier is label_failed.
 */
export async function printReturnLabel(
  tx: Tx,
  adapters: CarrierAdapters,
  c: ReturnCarrier,
  ret: { id: string; number: string },
  order: OrderRow,
  destination: LocationFacts,
  units: readonly ReturnedUnits[],
  now: Date,
): Promise<{ trackingNumber: string; trackingUrl: string | null }> {
  const adapter = adapters.forCarrier(c.carrier.id);
  const weights = await productWeights(tx, units.map((u) => u.sku));
  const weightGrams = Math.max(1, units.reduce((s, u) => s + (weights.get(u.sku) ?? DEFAULT_UNIT_GRAMS) * u.quantity, 0));
  const recipient: LabelAddress = { name: destination.name, ...(destination.address as Omit<LabelAddress, 'name'>) };
  for (let attempt = 0; attempt < LABEL_ATTEMPTS; attempt++) {
    const request = { carrier: c.carrier, service: c.service, reference: ret.number, orderNumber: order.number, sender: customerAddress(order), recipient, parcels: [{ weightGrams }], attempt, printedAt: now };
    const created = await adapter.createLabel(request).catch((e: unknown) => {
      throw new BusinessError('label_failed', `${c.carrier.name} could not be reached for a return label`, { carrierId: c.carrier.id, reason: e instanceof Error ? e.message : String(e) });
    });
    if (!created.ok) throw new BusinessError('label_failed', `${c.carrier.name} refused the return label: ${created.message}`, { carrierId: c.carrier.id, code: created.code, details: created.details });
    const label = created.value;
    if (await trackingNumberInUse(tx, label.trackingNumber)) continue;
    const url = label.trackingUrl ?? trackingUrl(c.carrier.trackingUrlTemplate, label.trackingNumber) ?? null;
    await insertReturnLabel(tx, ret.id, { carrierId: c.carrier.id, service: c.service, trackingNumber: label.trackingNumber, trackingUrl: url, pdf: label.pdf }, now);
    return { trackingNumber: label.trackingNumber, trackingUrl: url };
  }
  throw new BusinessError('label_failed', `${c.carrier.name} kept answering tracking numbers already in use`, { carrierId: c.carrier.id, attempts: LABEL_ATTEMPTS });
}

function customerAddress(o: OrderRow): LabelAddress {
  const a = (o.address ?? {}) as Partial<LabelAddress>;
  return { ...a, name: a.name ?? (o.contact as OrderContact).name ?? o.number };
}
