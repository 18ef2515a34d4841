import type { Db, DbOrTx } from '../../db/database.js';
import { holidaySet } from '../../domain/promise/calendar.js';
import { deliveryDaysBetween, laneFor, laneKey } from '../../domain/promise/carriers.js';
import { distanceKm } from '../../domain/geo/distance.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { lookupPostalCode } from '../geo/postal-codes.js';
import type { DeliveriesInput, DeliveriesOutcome } from './carrier.schemas.js';
import { findCarrier, insertObservations, type ObservationRow } from './promise.repository.js';

/**
 * Records deliveries as they happened, the evidence each lane's transit distribution learns from.
 * Transit is counted in the carrier's delivery days (the unit the promise adds), the lane found from the
 * distance (given, or origin location to postal code). A shipment reported again counts once.
 * All or nothing: one invalid record refuses the batch with every problem listed.
 */
export async function recordDeliveries(db: Db, _actor: Actor, carrierId: string, input: DeliveriesInput): Promise<Result<DeliveriesOutcome>> {
  const computed = await observationRows(db, carrierId, input.deliveries);
  if (!computed.ok) return computed;
  const rows = computed.value;
  const recorded = await db.transaction().execute((tx) => insertObservations(tx, rows));
  const lanes = new Map<string, { service: string; lane: string; observations: number }>();
  for (const r of rows) {
    const key = `${r.service}/${r.lane}`;
    const entry = lanes.get(key) ?? { service: r.service, lane: r.lane, observations: 0 };
    entry.observations++;
    lanes.set(key, entry);
  }
  return ok({ recorded, duplicates: rows.length - recorded, lanes: [...lanes.values()] });
}

/**
 * The transit observations of some deliveries (transit in the carrier's delivery days, lane from the
 * distance), or every problem found; reads only, so a caller can insert them in its own transaction
 * (a fulfillment's delivery step does).
 */
export async function observationRows(db: DbOrTx, carrierId: string, deliveries: DeliveriesInput['deliveries']): Promise<Result<ObservationRow[]>> {
  const carrier = await findCarrier(db, carrierId);
  if (!carrier) return fail('carrier_not_found', `no carrier ${carrierId}`);
  const originIds = [...new Set(deliveries.flatMap((d) => (d.originLocationId ? [d.originLocationId] : [])))];
  const origins = new Map(
    (originIds.length ? await db.selectFrom('location').select(['id', 'latitude', 'longitude']).where('id', 'in', originIds).execute() : []).map((l) => [l.id, l]),
  );
  const rows: ObservationRow[] = [];
  const problems: Array<{ index: number; message: string }> = [];
  for (const [index, d] of deliveries.entries()) {
    const config = carrier.services.find((s) => s.service === d.service && s.destinationCountries.includes(d.destinationCountry));
    if (!config) {
      problems.push({ index, message: `${carrier.name} has no ${d.service} service to ${d.destinationCountry}` });
      continue;
    }
    if (d.deliveredOn < d.departedOn) {
      problems.push({ index, message: 'deliveredOn is before departedOn' });
      continue;
    }
    if (d.originLocationId && !origins.has(d.originLocationId)) {
      problems.push({ index, message: `unknown origin location ${d.originLocationId}` });
      continue;
    }
    const lane = laneFor(config.lanes, d.destinationCountry, d.distanceKm ?? distanceOf(origins.get(d.originLocationId ?? ''), d.destinationCountry, d.destinationPostalCode));
    if (!lane) {
      problems.push({ index, message: `no ${d.service} lane covers this distance to ${d.destinationCountry}` });
      continue;
    }
    const years = [Number(d.departedOn.slice(0, 4)), Number(d.deliveredOn.slice(0, 4))] as const;
    const holidays = holidaySet(d.destinationCountry, years[0], years[1]);
    rows.push({
      carrierId,
      service: d.service,
      lane: laneKey(lane),
      shipmentReference: d.shipmentReference,
      originLocationId: d.originLocationId ?? null,
      departedOn: d.departedOn,
      deliveredOn: d.deliveredOn,
      transitDays: deliveryDaysBetween(d.departedOn, d.deliveredOn, new Set(config.deliveryWeekdays), holidays),
    });
  }
  if (problems.length > 0) return fail('validation_failed', 'some deliveries cannot be recorded; nothing was recorded', { problems: problems.slice(0, 50) });
  return ok(rows);
}

function distanceOf(origin: { latitude: number | null; longitude: number | null } | undefined, country: string, postalCode: string | undefined): number {
  if (!origin || origin.latitude === null || origin.longitude === null || !postalCode) return Number.NaN;
  const point = lookupPostalCode(country, postalCode);
  return point ? distanceKm({ latitude: origin.latitude, longitude: origin.longitude }, point) : Number.NaN;
}
