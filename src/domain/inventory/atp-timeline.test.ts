import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atpTimeline, type IncomingLine, type TimelinePosition } from './atp-timeline.js';

const now = new Date('2026-03-01T09:00:00Z');
const day = (d: number) => new Date(Date.UTC(2026, 2, d, 9));

describe('atpTimeline', () => {
  it('starts from today and adds each arrival, floored per location', () => {
    const points = atpTimeline(
      [{ locationId: 'W', onHand: 5, reserved: 7, safetyStock: 0 }],
      [
        { locationId: 'W', quantity: 10, expectedAt: day(12) },
        { locationId: 'W', quantity: 4, expectedAt: day(10) },
      ],
      now,
    );
    expect(points.map((p) => [p.at.toISOString(), p.incoming, p.atp])).toEqual([
      [now.toISOString(), 0, 0],
      [day(10).toISOString(), 4, 2],
      [day(12).toISOString(), 10, 12],
    ]);
  });

  it('does not let one location cover another location shortfall, and shows overdue supply at now', () => {
    const points = atpTimeline(
      [
        { locationId: 'A', onHand: 0, reserved: 3, safetyStock: 0 },
        { locationId: 'B', onHand: 4, reserved: 0, safetyStock: 1 },
      ],
      [
        { locationId: 'A', quantity: 2, expectedAt: day(2) },
        { locationId: 'B', quantity: 5, expectedAt: new Date('2026-02-20T00:00:00Z') },
      ],
      now,
    );
    expect(points).toEqual([
      { at: now, incoming: 0, atp: 3, overdue: false },
      { at: now, incoming: 5, atp: 8, overdue: true },
      { at: day(2), incoming: 2, atp: 8, overdue: false },
    ]);
  });

  const position = fc.record({ locationId: fc.constantFrom('A', 'B', 'C'), onHand: fc.nat(30), reserved: fc.nat(30), safetyStock: fc.nat(5) });
  const line = fc.record({
    locationId: fc.constantFrom('A', 'B', 'C', 'D'),
    quantity: fc.integer({ min: 1, max: 20 }),
    expectedAt: fc.integer({ min: -5, max: 30 }).map((d) => new Date(now.getTime() + d * 86_400_000)),
  });

  it('is time-ordered, never decreases, and ends at the floored sum with all supply in (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(position, { selector: (p) => p.locationId }), fc.array(line, { maxLength: 12 }), (positions: TimelinePosition[], lines: IncomingLine[]) => {
        const points = atpTimeline(positions, lines, now);
        const today = positions.reduce((s, p) => s + Math.max(0, p.onHand - p.reserved - p.safetyStock), 0);
        expect(points[0]).toEqual({ at: now, incoming: 0, atp: today, overdue: false });
        for (let i = 1; i < points.length; i++) {
          expect(points[i]!.at.getTime()).toBeGreaterThanOrEqual(points[i - 1]!.at.getTime());
          expect(points[i]!.atp).toBeGreaterThanOrEqual(points[i - 1]!.atp);
        }
        expect(points.reduce((s, p) => s + p.incoming, 0)).toBe(lines.reduce((s, l) => s + l.quantity, 0));
        const ids = new Set([...positions.map((p) => p.locationId), ...lines.map((l) => l.locationId)]);
        const final = [...ids].reduce((s, id) => {
          const p = positions.find((x) => x.locationId === id);
          const base = p ? p.onHand - p.reserved - p.safetyStock : 0;
          return s + Math.max(0, base + lines.filter((l) => l.locationId === id).reduce((q, l) => q + l.quantity, 0));
        }, 0);
        expect(points[points.length - 1]!.atp).toBe(final);
      }),
    );
  });

  it('is deterministic: the order of the input lines does not matter', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const p = [{ locationId: 'A', onHand: 3, reserved: 1, safetyStock: 0 }];
        expect(atpTimeline(p, [...lines].reverse(), now)).toEqual(atpTimeline(p, lines, now));
      }),
    );
  });
});
