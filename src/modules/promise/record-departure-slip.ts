import type { Tx } from '../../db/database.js';
import { holidaySet, localDateOf } from '../../domain/promise/calendar.js';
import { weekdaySets, type CarrierServiceConfig, type ServiceLevel } from '../../domain/promise/carriers.js';
import { slipBetween } from '../../domain/promise/departure-slip.js';
import type { CarrierView } from './carrier.schemas.js';
import { insertDepartureSlip } from './departure-slip.repository.js';
import { locationCalendar } from './promise-data.js';

export interface Departure {
  fulfillmentId: string;
  locationId: string;
  /** The departure the promise planned (local date at the location); null: none was planned. */
  plannedOn: string | null;
  carrier: CarrierView;
  service: string;
  shippedAt: Date;
}

/**
 * The ship step's evidence for its location's departure slip (departure-slip.ts): how many departure
 * opportunities after the planned one the parcels left, counted with the carrier's pick-up days and the
 * location's cut-off, opening hours and public holidays, recorded in the step's transaction. Work without
 * a planned departure teaches nothing.
 */
export async function recordDepartureSlip(tx: Tx, d: Departure): Promise<void> {
  if (d.plannedOn === null) return;
  const config = (d.carrier.services as CarrierServiceConfig[]).find((s) => s.service === d.service);
  const l = await tx.selectFrom('location').select(['time_zone', 'opening_hours', 'opening_exceptions', 'cutoffs', 'address']).where('id', '=', d.locationId).executeTakeFirst();
  if (!config || !l) return;
  const departedOn = localDateOf(l.time_zone, d.shippedAt.getTime());
  const country = (l.address as { country?: string }).country ?? 'FR';
  const calendar = locationCalendar(l, holidaySet(country, Number(d.plannedOn.slice(0, 4)), Number(departedOn.slice(0, 4))));
  const cutoff = (l.cutoffs as Partial<Record<ServiceLevel, string>>)[d.service as ServiceLevel] ?? config.cutoff;
  const slip = slipBetween(calendar, { cutoff, pickupWeekdays: weekdaySets(config).pickup }, d.plannedOn, departedOn);
  await insertDepartureSlip(tx, { fulfillmentId: d.fulfillmentId, locationId: d.locationId, plannedOn: d.plannedOn, departedOn, slip });
}
