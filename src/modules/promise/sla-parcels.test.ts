import { describe, expect, it } from 'vitest';
import type { LocationCalendar, Weekday } from '../../domain/promise/calendar.js';
import type { Carrier } from '../../domain/promise/carriers.js';
import { deliveryWindow } from '../../domain/promise/sla-watch.js';
import { ON_TIME } from '../../domain/promise/departure-slip.js';
import type { OrderRow } from '../orders/order.repository.js';
import type { PromiseSite, PromiseSnapshot } from './promise-data.js';
import { DEFAULT_PROMISE_SETTINGS } from './promise-settings.schemas.js';
import { orderParcels, type ParcelContext } from './sla-parcels.js';
import type { WatchedFulfillment, WatchedOrder } from './sla.repository.js';

const week: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const calendar: LocationCalendar = { timeZone: 'Europe/Paris', weeklyHours: Object.fromEntries(week.map((d) => [d, [{ open: '10:00', close: '19:00' }]])), exceptions: [], holidays: new Set() };
const site = (id: string, over: Partial<PromiseSite> = {}): PromiseSite => ({
  id, name: id, type: 'store', calendar, capabilities: new Set(['ship_from_store', 'pickup']), point: null, country: 'FR', postalCode: undefined,
  cutoffs: {}, processingDays: 0, pickupPrepMinutes: 120, handlingCostMinor: 0, priority: 0, dataReliability: 1, dailyPickCapacity: null, departureSlip: ON_TIME, ...over,
});
// Published transit: 1 day for 60 %, 2 for 35 %, 4 for 5 %: the promise shows 1 day earliest, 2 latest (95 %).
const post: Carrier = {
  id: 'post', name: 'Post', trackingUrlTemplate: null, active: true,
  services: [{
    service: 'standard', name: 'Domicile', originTypes: ['store'], destinationCountries: ['FR'], pickupWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    cutoff: '16:00', lanes: [{ country: 'FR', maxDistanceKm: null, transit: [{ days: 1, share: 0.6 }, { days: 2, share: 0.35 }, { days: 4, share: 0.05 }] }], rates: [{ maxWeightGrams: 5000, costMinor: 500 }],
  }],
};
const sites = [site('paris', { cutoffs: { standard: '15:00' } }), site('lyon', { pickupPrepMinutes: 60 })];
const snapshot: PromiseSnapshot = { sites, sitesById: new Map(sites.map((s) => [s.id, s])), carriers: [post], observed: new Map(), settings: DEFAULT_PROMISE_SETTINGS };
const holidays = new Set(['2026-12-25']);
const context: ParcelContext = { snapshot, holidays: () => holidays, holdWarningMinutes: 1440 };
const order = { id: 'o1', address: { country: 'FR' } } as unknown as OrderRow;
const fulfillment = (over: Partial<WatchedFulfillment>): WatchedFulfillment =>
  ({ id: 'f', number: 'F1', kind: 'ship', status: 'pending', location_id: 'paris', service: 'standard', planned_carrier: { carrierId: 'post', service: 'standard', lane: 'FR:any' }, promised_earliest: '2026-11-24', promised_latest: '2026-11-25', due_at: new Date('2026-11-23T14:00:00Z'), departure_date: '2026-11-23', destination_location_id: null, hold_until: null, shipped_at: null, ...over }) as WatchedFulfillment;
const watched = (...fulfillments: WatchedFulfillment[]): WatchedOrder => ({ order, fulfillments, sla: undefined });

describe('orderParcels', () => {
  it('a shipment: the carrier service and lane the promise planned, the location cut-off over the carrier one, the customer zone', () => {
    const [p] = orderParcels(watched(fulfillment({ status: 'packed', shipped_at: null })), context);
    expect(p?.parcel).toMatchObject({
      kind: 'ship',
      progress: 'picked',
      plannedDeparture: '2026-11-23',
      dueAt: Date.parse('2026-11-23T14:00:00Z'),
      departure: { cutoff: '15:00', processingDays: 0 },
      transit: { earliestDays: 1, latestDays: 2 },
      delivery: { holidays },
      arrival: { kind: 'home', timeZone: 'Europe/Paris' },
      promised: deliveryWindow('Europe/Paris', '2026-11-24', '2026-11-25'),
    });
    expect(p?.parcel.kind === 'ship' && [...(p.parcel.departure.pickupWeekdays ?? [])]).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('when the planned lane is gone, the promise itself gives the transit in calendar days', () => {
    const [p] = orderParcels(watched(fulfillment({ planned_carrier: { carrierId: 'post', service: 'standard', lane: 'FR:50' }, status: 'shipped', shipped_at: new Date('2026-11-23T15:00:00Z') })), context);
    expect(p?.parcel).toMatchObject({ progress: 'shipped', shippedOn: '2026-11-23', transit: { earliestDays: 1, latestDays: 2 }, departure: { cutoff: '15:00' } });
    expect(p?.parcel.kind === 'ship' && p.parcel.delivery.deliveryWeekdays.size).toBe(7);
  });

  it('a transfer is dated by when the pickup store has the goods ready; a pickup by its ready time and hold', () => {
    const transfer = fulfillment({ id: 't', kind: 'transfer', destination_location_id: 'lyon', promised_earliest: '2026-11-24T10:00:00.000Z', promised_latest: '2026-11-25T10:00:00.000Z' });
    const pickup = fulfillment({ id: 'p', kind: 'pickup', location_id: 'lyon', status: 'ready_for_pickup', planned_carrier: null, departure_date: null, promised_earliest: '2026-11-25T10:00:00.000Z', promised_latest: '2026-11-25T10:00:00.000Z', due_at: new Date('2026-11-25T10:00:00Z'), hold_until: new Date('2026-12-02T18:00:00Z') });
    const [t, p] = orderParcels(watched(transfer, pickup), context);
    expect(t?.parcel).toMatchObject({ kind: 'ship', arrival: { kind: 'store', calendar, prepMinutes: 60 }, promised: { earliest: Date.parse('2026-11-24T10:00:00Z'), latest: Date.parse('2026-11-25T10:00:00Z') } });
    expect(p?.parcel).toEqual({
      kind: 'pickup', progress: 'ready', store: calendar, prepMinutes: 60, readyBy: Date.parse('2026-11-25T10:00:00Z'),
      promised: { earliest: Date.parse('2026-11-25T10:00:00Z'), latest: Date.parse('2026-11-25T10:00:00Z') }, holdUntil: Date.parse('2026-12-02T18:00:00Z'), holdWarningMinutes: 1440,
    });
  });

  it('leaves out work at a location no longer active or without any date', () => {
    expect(orderParcels(watched(fulfillment({ location_id: 'closed-store' }), fulfillment({ departure_date: null, due_at: null })), context)).toEqual([]);
  });
});
