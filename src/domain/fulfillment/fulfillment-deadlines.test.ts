import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocationCalendar } from '../promise/calendar.js';
import { acceptanceDeadline, fulfillmentDueAt, mayHold } from './fulfillment-deadlines.js';

const DAY = [{ open: '10:00', close: '19:00' }];
const calendar: LocationCalendar = { timeZone: 'Europe/Paris', weeklyHours: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY }, exceptions: [], holidays: new Set() };
const at = (iso: string) => Date.parse(iso);

describe('fulfillment deadlines', () => {
  it('a shipment is due at the earliest of the location cut-off, the carrier cut-off and closing time', () => {
    const site = { calendar, cutoffs: { standard: '15:00' } };
    expect(fulfillmentDueAt('ship', site, { service: 'standard', departureDate: '2026-11-23' })).toBe(at('2026-11-23T14:00:00Z'));
    expect(fulfillmentDueAt('ship', site, { service: 'standard', departureDate: '2026-11-23', carrierCutoff: '13:00' })).toBe(at('2026-11-23T12:00:00Z'));
    expect(fulfillmentDueAt('ship', site, { service: 'standard', departureDate: '2026-11-23', carrierCutoff: '16:00' })).toBe(at('2026-11-23T14:00:00Z'));
    expect(fulfillmentDueAt('ship', { calendar, cutoffs: {} }, { service: 'express', departureDate: '2026-11-23' })).toBe(at('2026-11-23T18:00:00Z'));
    expect(fulfillmentDueAt('transfer', site, { service: 'standard', departureDate: null })).toBeNull();
  });

  it('a pickup is due at its promised ready time', () => {
    expect(fulfillmentDueAt('pickup', { calendar, cutoffs: {} }, { earliest: '2026-11-23T11:00:00.000Z' })).toBe(at('2026-11-23T11:00:00Z'));
    expect(fulfillmentDueAt('pickup', { calendar, cutoffs: {} }, { earliest: null })).toBeNull();
  });

  it('acceptance runs in open minutes and never past the deadline', () => {
    // Monday 18:30 Paris + 120 open minutes → Tuesday 11:30 Paris.
    expect(acceptanceDeadline(calendar, at('2026-11-23T17:30:00Z'), 120, null)).toBe(at('2026-11-24T10:30:00Z'));
    expect(acceptanceDeadline(calendar, at('2026-11-23T09:00:00Z'), 120, at('2026-11-23T10:00:00Z'))).toBe(at('2026-11-23T10:00:00Z'));
    // A deadline already past does not shorten it.
    expect(acceptanceDeadline(calendar, at('2026-11-23T09:00:00Z'), 120, at('2026-11-23T08:00:00Z'))).toBe(at('2026-11-23T11:00:00Z'));
  });

  it('work may wait in the release hold only when it comes out before it is urgent', () => {
    const due = at('2026-11-23T15:00:00Z');
    expect(mayHold(at('2026-11-23T09:10:00Z'), due, 120)).toBe(true);
    expect(mayHold(at('2026-11-23T13:00:00Z'), due, 120)).toBe(true);
    expect(mayHold(at('2026-11-23T13:01:00Z'), due, 120)).toBe(false);
    expect(mayHold(at('2026-11-23T16:00:00Z'), due, 5)).toBe(false);
    expect(mayHold(at('2026-11-23T16:00:00Z'), null, 120)).toBe(true);
    // A later release or a nearer deadline never turns a refusal into a hold.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 5, max: 1_440 }), (release, dueIn, later, urgent) => {
        const r = release * 60_000;
        const d = r + dueIn * 60_000;
        if (!mayHold(r, d, urgent)) expect(mayHold(r + later * 60_000, d - later * 60_000, urgent)).toBe(false);
      }),
    );
  });
});
