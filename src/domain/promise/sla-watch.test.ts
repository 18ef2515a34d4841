import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, atLocalTime, type LocationCalendar, type Weekday } from './calendar.js';
import { assessOrder, assessShipment, deliveryWindow, slaChange, type PickupParcel, type ShippedParcel, type SlaAssessment, type SlaRules, type Window } from './sla-watch.js';

const MON_SAT: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const store: LocationCalendar = {
  timeZone: 'Europe/Paris',
  weeklyHours: Object.fromEntries(MON_SAT.map((d) => [d, [{ open: '10:00', close: '19:00' }]])),
  exceptions: [],
  holidays: new Set(['2026-12-25']),
};
const paris = (date: string, time: string) => atLocalTime('Europe/Paris', date, time);
/** A delivery window as the promise shows it: from the start of the first day to the end of the last. */
const days = (first: string, last: string): Window => ({ earliest: paris(first, '00:00'), latest: paris(addDays(last, 1), '00:00') - 1000 });
const MINUTE = 60_000;

// Monday 23 November 2026: planned to leave today before the carrier's 16:00 cut-off, one-day transit.
const parcel = (over: Partial<ShippedParcel> = {}): ShippedParcel => ({
  kind: 'ship',
  progress: 'pending',
  origin: store,
  departure: { cutoff: '16:00', pickupWeekdays: new Set(['mon', 'tue', 'wed', 'thu', 'fri']) },
  plannedDeparture: '2026-11-23',
  dueAt: paris('2026-11-23', '19:00'),
  transit: { earliestDays: 1, latestDays: 1 },
  delivery: { deliveryWeekdays: new Set(MON_SAT), holidays: new Set() },
  arrival: { kind: 'home', timeZone: 'Europe/Paris' },
  promised: days('2026-11-24', '2026-11-24'),
  ...over,
});
const rules = (now: number, promise: Window = days('2026-11-24', '2026-11-24')): SlaRules => ({ now, promise, riskMarginMinutes: 60 });

describe('assessShipment: a parcel not yet left', () => {
  it('is on track with its promised window while time is left, at risk with at most the margin of open time before the cut-off', () => {
    expect(assessShipment(parcel(), rules(paris('2026-11-23', '14:59')))).toEqual({ state: 'on_track', reason: 'on_schedule', eta: days('2026-11-24', '2026-11-24') });
    expect(assessShipment(parcel(), rules(paris('2026-11-23', '15:00')))).toEqual({ state: 'at_risk', reason: 'not_accepted_near_deadline', eta: days('2026-11-24', '2026-11-24') });
    expect(assessShipment(parcel({ progress: 'accepted' }), rules(paris('2026-11-23', '15:30'))).reason).toBe('not_picked_near_deadline');
    expect(assessShipment(parcel({ progress: 'picked' }), rules(paris('2026-11-23', '15:30'))).state).toBe('on_track');
  });

  it('counts open time only: a store closing tonight with work due at 10:30 tomorrow is at risk now', () => {
    const p = parcel({ plannedDeparture: '2026-11-24', dueAt: paris('2026-11-24', '10:30'), promised: days('2026-11-25', '2026-11-25') });
    const promise = days('2026-11-25', '2026-11-25');
    expect(assessShipment(p, rules(paris('2026-11-23', '17:00'), promise)).state).toBe('on_track');
    expect(assessShipment(p, rules(paris('2026-11-23', '18:45'), promise)).state).toBe('at_risk');
  });

  it('left unpicked past the cut-off it is at risk with the next departure, one minute after and not one minute before', () => {
    expect(assessShipment(parcel(), rules(paris('2026-11-23', '15:59')))).toMatchObject({ state: 'at_risk', eta: days('2026-11-24', '2026-11-24') });
    expect(assessShipment(parcel(), rules(paris('2026-11-23', '16:00')))).toEqual({ state: 'at_risk', reason: 'not_picked_by_deadline', eta: days('2026-11-25', '2026-11-25') });
    // Friday past the cut-off: the carrier collects next on Monday, delivered Tuesday.
    const friday = parcel({ plannedDeparture: '2026-11-27', dueAt: null, promised: days('2026-11-28', '2026-11-28') });
    expect(assessShipment(friday, rules(paris('2026-11-27', '16:01'), days('2026-11-28', '2026-11-28'))).eta).toEqual(days('2026-12-01', '2026-12-01'));
  });

  it('is delayed once the promised latest instant has passed without delivery, not one second before', () => {
    const promise = days('2026-11-24', '2026-11-24');
    expect(assessShipment(parcel(), rules(promise.latest))).toEqual({ state: 'at_risk', reason: 'not_picked_by_deadline', eta: days('2026-11-26', '2026-11-26') });
    expect(assessShipment(parcel(), rules(promise.latest + 1000))).toEqual({ state: 'delayed', reason: 'not_picked_by_deadline', eta: days('2026-11-26', '2026-11-26') });
  });

  it('picked but not shipped by the cut-off: the same, reason not shipped', () => {
    expect(assessShipment(parcel({ progress: 'picked' }), rules(paris('2026-11-23', '16:05')))).toEqual({ state: 'at_risk', reason: 'not_shipped_by_deadline', eta: days('2026-11-25', '2026-11-25') });
    expect(assessShipment(parcel({ progress: 'picked' }), rules(paris('2026-11-25', '09:00')))).toEqual({ state: 'delayed', reason: 'not_shipped_by_deadline', eta: days('2026-11-26', '2026-11-26') });
  });

  it('is at risk with the new estimate when it still fits the order promise (another parcel sets its end)', () => {
    const order = days('2026-11-24', '2026-11-26');
    expect(assessShipment(parcel(), rules(paris('2026-11-23', '16:01'), order))).toEqual({ state: 'at_risk', reason: 'not_picked_by_deadline', eta: days('2026-11-25', '2026-11-25') });
  });

  it('a due_at earlier than the cut-off is the deadline; past it the carrier may still take the parcel today', () => {
    const p = parcel({ dueAt: paris('2026-11-23', '14:00') });
    expect(assessShipment(p, rules(paris('2026-11-23', '12:59'))).state).toBe('on_track');
    expect(assessShipment(p, rules(paris('2026-11-23', '13:00'))).reason).toBe('not_accepted_near_deadline');
    expect(assessShipment(p, rules(paris('2026-11-23', '14:00')))).toEqual({ state: 'at_risk', reason: 'not_picked_by_deadline', eta: days('2026-11-24', '2026-11-24') });
    expect(assessShipment(p, rules(paris('2026-11-23', '16:00')))).toEqual({ state: 'at_risk', reason: 'not_picked_by_deadline', eta: days('2026-11-25', '2026-11-25') });
  });

  it('a location with processing days needs them again when nothing is picked, not once picked', () => {
    const supplier = parcel({ departure: { cutoff: '16:00', pickupWeekdays: new Set(['mon', 'tue', 'wed', 'thu', 'fri']), processingDays: 2 } });
    expect(assessShipment(supplier, rules(paris('2026-11-23', '17:00'))).eta).toEqual(days('2026-11-27', '2026-11-27'));
    expect(assessShipment({ ...supplier, progress: 'picked' }, rules(paris('2026-11-23', '17:00'))).eta).toEqual(days('2026-11-25', '2026-11-25'));
  });

  it('a transfer to the pickup store is dated by when the goods are ready there', () => {
    const transfer = parcel({ arrival: { kind: 'store', calendar: store, prepMinutes: 120 }, promised: { earliest: paris('2026-11-24', '12:00'), latest: paris('2026-11-24', '12:00') } });
    const promise = { earliest: paris('2026-11-24', '12:00'), latest: paris('2026-11-24', '12:00') };
    expect(assessShipment(transfer, rules(paris('2026-11-23', '16:30'), promise))).toEqual({
      state: 'at_risk',
      reason: 'not_picked_by_deadline',
      eta: { earliest: paris('2026-11-25', '12:00'), latest: paris('2026-11-25', '12:00') },
    });
    expect(assessShipment(transfer, rules(paris('2026-11-24', '12:01'), promise))).toMatchObject({ state: 'delayed', reason: 'not_picked_by_deadline' });
  });

  it('is delayed without a new date when the location never opens again', () => {
    const closed = parcel({ origin: { ...store, weeklyHours: {} } });
    expect(assessShipment(closed, rules(paris('2026-11-23', '19:30')))).toEqual({ state: 'delayed', reason: 'no_departure', eta: days('2026-11-24', '2026-11-24') });
  });

  it('a parcel re-sourced with dates after the order promise is at risk even when its location is on time', () => {
    expect(assessShipment(parcel({ promised: days('2026-11-25', '2026-11-26') }), rules(paris('2026-11-23', '11:00')))).toEqual({ state: 'at_risk', reason: 'rescheduled', eta: days('2026-11-25', '2026-11-26') });
  });
});

describe('assessShipment: a parcel in transit', () => {
  it('expects it after its transit from the day it left; shipped late, it is at risk', () => {
    const shipped = parcel({ progress: 'shipped', shippedOn: '2026-11-23' });
    expect(assessShipment(shipped, rules(paris('2026-11-24', '12:00')))).toEqual({ state: 'on_track', reason: 'in_transit', eta: days('2026-11-24', '2026-11-24') });
    expect(assessShipment({ ...shipped, shippedOn: '2026-11-24' }, rules(paris('2026-11-24', '12:00')))).toEqual({ state: 'at_risk', reason: 'late_in_transit', eta: days('2026-11-25', '2026-11-25') });
  });

  it('past its window without delivery: delayed, expected today or on the next delivery day (Monday after a Saturday)', () => {
    const shipped = parcel({ progress: 'shipped', shippedOn: '2026-11-23' });
    expect(assessShipment(shipped, rules(paris('2026-11-25', '09:00')))).toEqual({ state: 'delayed', reason: 'late_in_transit', eta: days('2026-11-25', '2026-11-26') });
    expect(assessShipment(shipped, rules(paris('2026-11-28', '20:00'))).eta).toEqual(days('2026-11-28', '2026-11-30'));
  });
});

describe('assessShipment: a pickup', () => {
  const promise = { earliest: paris('2026-11-28', '17:00'), latest: paris('2026-11-28', '17:00') };
  const pickup: PickupParcel = { kind: 'pickup', progress: 'pending', store, prepMinutes: 120, readyBy: promise.latest, promised: promise, holdWarningMinutes: 24 * 60 };

  it('is at risk when not picked close to the ready time, delayed to a ready time in opening hours when not ready by it', () => {
    expect(assessShipment(pickup, rules(paris('2026-11-28', '15:59'), promise)).state).toBe('on_track');
    expect(assessShipment(pickup, rules(paris('2026-11-28', '16:00'), promise)).state).toBe('at_risk');
    // At the ready time itself the promise still holds: at risk; two hours of work end at closing, so Monday.
    expect(assessShipment(pickup, rules(paris('2026-11-28', '17:00'), promise))).toEqual({
      state: 'at_risk',
      reason: 'pickup_not_ready',
      eta: { earliest: paris('2026-11-30', '10:00'), latest: paris('2026-11-30', '19:00') },
    });
    // Saturday 18:00: one hour today, one hour on Monday (closed Sunday); ready by Monday's closing.
    expect(assessShipment(pickup, rules(paris('2026-11-28', '18:00'), promise))).toEqual({
      state: 'delayed',
      reason: 'pickup_not_ready',
      eta: { earliest: paris('2026-11-30', '11:00'), latest: paris('2026-11-30', '19:00') },
    });
  });

  it('picked but not put on the shelf: ready at once while open; delayed past the promised time, at risk while a roomier promise holds', () => {
    const picked = { ...pickup, progress: 'picked' as const };
    expect(assessShipment(picked, rules(paris('2026-11-28', '17:30'), promise))).toEqual({
      state: 'delayed',
      reason: 'pickup_not_ready',
      eta: { earliest: paris('2026-11-28', '17:30'), latest: paris('2026-11-28', '19:00') },
    });
    const roomy = { earliest: promise.earliest, latest: paris('2026-11-30', '12:00') };
    expect(assessShipment(picked, rules(paris('2026-11-28', '17:30'), roomy))).toMatchObject({ state: 'at_risk', reason: 'pickup_not_ready' });
  });

  it('once ready it keeps the promise; at risk when the hold is about to end', () => {
    const ready: PickupParcel = { ...pickup, progress: 'ready', holdUntil: paris('2026-12-05', '19:00') };
    expect(assessShipment(ready, rules(paris('2026-12-04', '18:59'), promise))).toEqual({ state: 'on_track', reason: 'ready_for_pickup', eta: promise });
    expect(assessShipment(ready, rules(paris('2026-12-04', '19:00'), promise))).toEqual({ state: 'at_risk', reason: 'hold_ending', eta: promise });
  });
});

describe('assessShipment: properties', () => {
  const mondayToFriday = fc.integer({ min: 0, max: 5 * 24 * 60 - 1 }).map((m) => paris('2026-11-23', '00:00') + m * MINUTE);
  const progress = fc.constantFrom('pending' as const, 'accepted' as const, 'picked' as const);

  it('delayed exactly once the promise has passed, at risk before it whenever the estimate ends after it; never expected before the promise', () => {
    const promise = days('2026-11-24', '2026-11-24');
    fc.assert(
      fc.property(mondayToFriday, progress, (now, stage) => {
        const a = assessShipment(parcel({ progress: stage }), rules(now));
        expect(a.state === 'delayed').toBe(now > promise.latest);
        if (now <= promise.latest && a.eta.latest > promise.latest) expect(a.state).toBe('at_risk');
        expect(a.eta.latest).toBeGreaterThanOrEqual(promise.latest);
      }),
    );
  });

  it('the estimate of work that waits never gets earlier as time passes', () => {
    fc.assert(
      fc.property(mondayToFriday, mondayToFriday, progress, (a, b, stage) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const p = parcel({ progress: stage });
        expect(assessShipment(p, rules(late)).eta.latest).toBeGreaterThanOrEqual(assessShipment(p, rules(early)).eta.latest);
      }),
    );
  });
});

describe('deliveryWindow', () => {
  it('spans whole local days, across a daylight-saving change and in another zone', () => {
    expect(deliveryWindow('Europe/Paris', '2026-11-24', '2026-11-24')).toEqual({ earliest: Date.parse('2026-11-23T23:00:00Z'), latest: Date.parse('2026-11-24T22:59:59Z') });
    expect(deliveryWindow('Europe/Paris', '2026-10-24', '2026-10-26')).toEqual({ earliest: Date.parse('2026-10-23T22:00:00Z'), latest: Date.parse('2026-10-26T22:59:59Z') });
    expect(deliveryWindow('America/Montreal', '2026-11-24', '2026-11-24').earliest).toBe(Date.parse('2026-11-24T05:00:00Z'));
  });
});

describe('assessOrder', () => {
  const promise = days('2026-11-24', '2026-11-24');
  const a = (state: SlaAssessment['state'], reason: SlaAssessment['reason'], first: string, last: string): SlaAssessment => ({ state, reason, eta: days(first, last) });

  it('is on track with its promise when nothing is watched', () => {
    expect(assessOrder([], promise)).toEqual({ state: 'on_track', reason: 'on_schedule', eta: promise });
  });

  it('takes the worst state, the reason of its parcel expected last, and the window of the last parcel', () => {
    const out = assessOrder(
      [a('on_track', 'on_schedule', '2026-11-24', '2026-11-24'), a('delayed', 'not_picked_by_deadline', '2026-11-25', '2026-11-25'), a('delayed', 'late_in_transit', '2026-11-25', '2026-11-26'), a('at_risk', 'hold_ending', '2026-11-23', '2026-11-23')],
      promise,
    );
    expect(out).toEqual({ state: 'delayed', reason: 'late_in_transit', eta: days('2026-11-25', '2026-11-26') });
  });
});

describe('slaChange', () => {
  const risk: SlaAssessment = { state: 'at_risk', reason: 'not_accepted_near_deadline', eta: days('2026-11-24', '2026-11-24') };
  const late: SlaAssessment = { state: 'delayed', reason: 'not_picked_by_deadline', eta: days('2026-11-25', '2026-11-25') };
  const fine: SlaAssessment = { state: 'on_track', reason: 'on_schedule', eta: days('2026-11-24', '2026-11-24') };

  it('alerts once per new state or new end of the estimate; never for an order on track', () => {
    expect(slaChange(undefined, fine)).toBe('none');
    expect(slaChange(undefined, risk)).toBe('alert');
    expect(slaChange({ state: 'at_risk', etaLatest: risk.eta.latest }, risk)).toBe('none');
    expect(slaChange({ state: 'at_risk', etaLatest: risk.eta.latest }, late)).toBe('alert');
    expect(slaChange({ state: 'delayed', etaLatest: late.eta.latest }, late)).toBe('none');
    expect(slaChange({ state: 'delayed', etaLatest: late.eta.latest }, { ...late, eta: days('2026-11-26', '2026-11-26') })).toBe('alert');
    expect(slaChange({ state: 'delayed', etaLatest: late.eta.latest }, { ...late, eta: { ...late.eta, earliest: late.eta.earliest - 3_600_000 } })).toBe('none');
    expect(slaChange({ state: 'on_track', etaLatest: fine.eta.latest }, risk)).toBe('alert');
  });

  it('records a return on track without an alert', () => {
    expect(slaChange({ state: 'delayed', etaLatest: late.eta.latest }, fine)).toBe('recover');
    expect(slaChange({ state: 'on_track', etaLatest: fine.eta.latest }, fine)).toBe('none');
  });
});
