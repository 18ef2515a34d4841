import { describe, expect, it } from 'vitest';
import type { LocationCalendar, Weekday } from './calendar.js';
import { alertNeeded, assessShipment, type PickupParcel, type ShippedParcel } from './sla-watch.js';

const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const store: LocationCalendar = {
  timeZone: 'Europe/Paris',
  weeklyHours: Object.fromEntries(DAYS.map((d) => [d, [{ open: '10:00', close: '19:00' }]])),
  exceptions: [],
  holidays: new Set(['2026-12-25']),
};
const parcel = (over: Partial<ShippedParcel> = {}): ShippedParcel => ({
  kind: 'ship',
  promisedLatest: '2026-11-28',
  origin: store,
  departure: { cutoff: '15:00', pickupWeekdays: new Set(['mon', 'tue', 'wed', 'thu', 'fri']) },
  plannedDeparture: '2026-11-27',
  delivery: { deliveryWeekdays: new Set(DAYS), holidays: new Set() },
  latestTransitDays: 1,
  picked: false,
  delivered: false,
  ...over,
});
const at = (iso: string) => new Date(iso).getTime();

describe('assessShipment', () => {
  it('an order left unpicked past the cut-off is at risk with a later ETA, one minute after and not one minute before', () => {
    expect(assessShipment(parcel(), at('2026-11-27T13:59:00Z')).state).toBe('on_track');
    const late = assessShipment(parcel(), at('2026-11-27T14:01:00Z'));
    // Next pick-up Monday 30th, one delivery day: Tuesday 1 December.
    expect(late).toMatchObject({ state: 'at_risk', eta: '2026-12-01' });
  });

  it('picked but not shipped on its departure day is at risk from the next departure', () => {
    expect(assessShipment(parcel({ picked: true }), at('2026-11-27T16:00:00Z')).state).toBe('on_track');
    expect(assessShipment(parcel({ picked: true }), at('2026-11-27T23:30:00Z'))).toMatchObject({ state: 'at_risk', eta: '2026-12-01' });
  });

  it('is delayed once the promised date has passed without delivery', () => {
    expect(assessShipment(parcel(), at('2026-11-29T09:00:00Z')).state).toBe('delayed');
    expect(assessShipment(parcel({ picked: true, shippedOn: '2026-11-27' }), at('2026-11-28T12:00:00Z')).state).toBe('on_track');
    expect(assessShipment(parcel({ picked: true, shippedOn: '2026-11-27' }), at('2026-11-29T09:00:00Z'))).toMatchObject({ state: 'delayed', eta: '2026-11-30' });
    expect(assessShipment(parcel({ picked: true, shippedOn: '2026-11-27', delivered: true }), at('2026-12-05T09:00:00Z')).state).toBe('on_track');
  });

  it('a pickup not ready at the promised time is delayed to a ready time inside opening hours; not collected at the end of the hold is at risk', () => {
    const pickup: PickupParcel = { kind: 'pickup', store, promisedReadyBy: at('2026-11-28T16:00:00Z'), prepMinutes: 120, ready: false, collected: false };
    expect(assessShipment(pickup, at('2026-11-28T15:00:00Z')).state).toBe('on_track');
    // Saturday 18:00 in Paris: one hour today, one hour on Monday (closed Sunday).
    expect(assessShipment(pickup, at('2026-11-28T17:00:00Z'))).toMatchObject({ state: 'delayed', eta: '2026-11-30T10:00:00.000Z' });
    const ready = { ...pickup, ready: true, collectBy: at('2026-12-05T18:00:00Z') };
    expect(assessShipment(ready, at('2026-12-01T10:00:00Z')).state).toBe('on_track');
    expect(assessShipment(ready, at('2026-12-05T18:00:00Z')).state).toBe('at_risk');
  });
});

describe('alertNeeded', () => {
  it('alerts once per change of state or estimate, never when on track', () => {
    const risk = { state: 'at_risk' as const, reason: 'x', eta: '2026-12-01' };
    expect(alertNeeded(undefined, risk)).toBe(true);
    expect(alertNeeded({ state: 'at_risk', eta: '2026-12-01' }, risk)).toBe(false);
    expect(alertNeeded({ state: 'at_risk', eta: '2026-11-30' }, risk)).toBe(true);
    expect(alertNeeded(undefined, { state: 'on_track', reason: 'x', eta: '2026-12-01' })).toBe(false);
  });
});
