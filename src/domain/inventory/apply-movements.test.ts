import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMovements, positionKey, type LockedPosition } from './apply-movements.js';

const at = (iso: string) => new Date(iso);

describe('applyMovements', () => {
  it('applies deltas in order, clamps below zero and reports it', () => {
    const positions = new Map<string, LockedPosition>([[positionKey('A', 'L'), { onHand: 2, lastSetAt: null }]]);
    const out = applyMovements(positions, [
      { eventId: 'e1', sku: 'A', locationId: 'L', delta: -5 },
      { eventId: 'e2', sku: 'A', locationId: 'L', delta: 10 },
    ]);
    expect(out.steps.map((s) => [s.onHandBefore, s.onHandAfter])).toEqual([[2, 0], [0, 10]]);
    expect(out.clamped).toEqual([{ eventId: 'e1', sku: 'A', locationId: 'L', delta: -5, applied: -2 }]);
    expect(out.finalOnHand.get(positionKey('A', 'L'))).toBe(10);
  });

  it('skips a movement that occurred before the last absolute set (already counted in it)', () => {
    const positions = new Map([[positionKey('A', 'L'), { onHand: 7, lastSetAt: at('2026-01-05T10:00:00Z') }]]);
    const out = applyMovements(positions, [
      { eventId: 'old', sku: 'A', locationId: 'L', delta: -1, occurredAt: at('2026-01-05T09:59:00Z') },
      { eventId: 'new', sku: 'A', locationId: 'L', delta: -1, occurredAt: at('2026-01-05T10:01:00Z') },
    ]);
    expect(out.stale).toEqual(['old']);
    expect(out.finalOnHand.get(positionKey('A', 'L'))).toBe(6);
  });

  it('never goes below zero and chains steps (property)', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.array(fc.integer({ min: -10, max: 10 }).filter((d) => d !== 0), { maxLength: 30 }), (start, deltas) => {
        const positions = new Map([[positionKey('A', 'L'), { onHand: start, lastSetAt: null }]]);
        const out = applyMovements(positions, deltas.map((delta, i) => ({ eventId: `e${i}`, sku: 'A', locationId: 'L', delta })));
        let expected = start;
        out.steps.forEach((s, i) => {
          expect(s.onHandBefore).toBe(expected);
          expected = Math.max(0, expected + deltas[i]!);
          expect(s.onHandAfter).toBe(expected);
        });
        expect(out.steps.length).toBe(deltas.length);
        expect(out.finalOnHand.get(positionKey('A', 'L')) ?? start).toBe(expected);
        const clampedSum = out.clamped.reduce((s, c) => s + (c.applied - c.delta), 0);
        expect(expected).toBe(start + deltas.reduce((s, d) => s + d, 0) + clampedSum);
      }),
    );
  });
});
