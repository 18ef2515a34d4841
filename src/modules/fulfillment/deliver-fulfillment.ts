import { assertFulfillmentTransition, type FulfillmentKind, type FulfillmentStatus } from '../../domain/fulfillment/fulfillment-lifecycle.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { localDateOf } from '../../domain/promise/calendar.js';
import type { ServiceLevel } from '../../domain/promise/carriers.js';
import { COUNTRY_TIME_ZONES } from '../promise/compute-promise.js';
import { insertObservations } from '../promise/promise.repository.js';
import { observationRows } from '../promise/record-deliveries.js';
import { advance, runStep, type FulfillmentDeps, type StepContext } from './fulfillment-step.js';
import type { DeliverInput, FulfillmentView } from './fulfillment.schemas.js';

/**
 * POST /v1/fulfillments/{id}/deliver: the carrier confirmed the parcels reached the customer (a carrier
 * integration, ops, or the shipping store reporting it). The delivery instant defaults to now; it can be
 * neither in the future nor before the parcels left. Lines whose units have all arrived are completed,
 * and the order with them. A transfer is not delivered but received by its pickup store.
 */
export async function deliverFulfillment(deps: FulfillmentDeps, actor: Actor, id: string, input: DeliverInput, key?: string): Promise<Result<FulfillmentView>> {
  // Work merged into the lead travelled in its parcels: delivered with them (the lane learns once, from the lead).
  const members = async (m: StepContext, lead: StepContext) => {
    const at = lead.current.fulfillment.delivered_at ?? m.now;
    await advance(m, 'delivered', { delivered_at: at, ended_at: at }, { deliveredAt: at.toISOString(), mergedInto: lead.current.fulfillment.number });
  };
  return runStep(deps, actor, id, input, key, { step: 'deliver', members }, async (c) => {
    const f = c.current.fulfillment;
    const refused = assertFulfillmentTransition(f.kind as FulfillmentKind, f.status as FulfillmentStatus, 'delivered', f.number);
    if (refused) throw BusinessError.of(refused);
    const deliveredAt = input.deliveredAt ? new Date(input.deliveredAt) : c.now;
    if (deliveredAt > c.now) throw new BusinessError('delivery_date_invalid', 'deliveredAt is in the future', { deliveredAt: deliveredAt.toISOString(), now: c.now.toISOString() });
    if (f.shipped_at !== null && deliveredAt < f.shipped_at) {
      throw new BusinessError('delivery_date_invalid', 'deliveredAt is before the parcels were shipped', { deliveredAt: deliveredAt.toISOString(), shippedAt: f.shipped_at.toISOString() });
    }
    await advance(c, 'delivered', { delivered_at: deliveredAt, ended_at: deliveredAt }, { deliveredAt: deliveredAt.toISOString() });
    await learnTransit(c, deliveredAt);
  });
}

/**
 * The delivery is evidence for the lane's transit distribution (what the promise learns from), recorded
 * in the step's transaction once per tracking number. A delivery the carrier's lanes do not cover (a
 * service changed since) teaches nothing; it never fails the step.
 */
async function learnTransit(c: StepContext, deliveredAt: Date): Promise<void> {
  const f = c.current.fulfillment;
  const shipment = f.shipment as { carrierId?: string; service?: string; trackingNumber?: string } | null;
  const address = c.order.order.address as { country?: string; postalCode?: string } | null;
  if (!shipment?.carrierId || !shipment.service || !shipment.trackingNumber || !f.shipped_at || !address?.country) return;
  const zone = (await c.tx.selectFrom('location').select('time_zone').where('id', '=', f.location_id).executeTakeFirst())?.time_zone ?? 'UTC';
  const rows = await observationRows(c.tx, shipment.carrierId, [
    {
      service: shipment.service as ServiceLevel,
      shipmentReference: shipment.trackingNumber,
      originLocationId: f.location_id,
      destinationCountry: address.country,
      ...(address.postalCode ? { destinationPostalCode: address.postalCode } : {}),
      departedOn: localDateOf(zone, f.shipped_at.getTime()),
      deliveredOn: localDateOf(COUNTRY_TIME_ZONES[address.country] ?? zone, deliveredAt.getTime()),
    },
  ]);
  if (rows.ok) await insertObservations(c.tx, rows.value);
}
