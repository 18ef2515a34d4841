import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReturnStatus } from './return-lifecycle.js';
import { checkReturnLines, returnableUnits, unitsTaken, type LineReturnFacts } from './returnable.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T09:00:00Z');

describe('returnable units', () => {
  it('counts delivered units not taken by other returns, within the window', () => {
    const f = { delivered: [{ quantity: 3, at: T0 - 40 * DAY }, { quantity: 2, at: T0 - 5 * DAY }], taken: 1 };
    expect(returnableUnits(f, T0, 30)).toEqual({ delivered: 5, open: 4, returnable: 2, windowEndsAt: T0 + 25 * DAY });
    expect(returnableUnits(f, T0, 60)).toMatchObject({ open: 4, returnable: 4 });
    expect(returnableUnits({ delivered: [], taken: 0 }, T0, 30)).toEqual({ delivered: 0, open: 0, returnable: 0, windowEndsAt: null });
  });

  it('takes every unit of a requested return, the accepted ones once received, none once cancelled', () => {
    const line = (status: ReturnStatus, resellable: number | null, damaged: number | null) => unitsTaken({ status, quantity: 3, resellable, damaged });
    expect(line('requested', null, null)).toBe(3);
    expect(line('received', 1, 1)).toBe(2);
    expect(line('refunded', 0, 0)).toBe(0);
    expect(line('cancelled', null, null)).toBe(0);
  });

  const facts: LineReturnFacts[] = [
    { lineId: 'a', sku: 'JEAN', delivered: [{ quantity: 2, at: T0 - DAY }], taken: 1 },
    { lineId: 'b', sku: 'PULL', delivered: [{ quantity: 1, at: T0 - 45 * DAY }], taken: 0 },
  ];

  it('accepts what may be returned and refuses more than delivered, closed windows and unknown or repeated lines', () => {
    expect(checkReturnLines(facts, [{ lineId: 'a', quantity: 1 }], T0, 30)).toMatchObject({ ok: true });
    expect(checkReturnLines(facts, [{ lineId: 'a', quantity: 2 }], T0, 30)).toMatchObject({
      ok: false,
      code: 'return_quantity_exceeded',
      details: { lines: [{ lineId: 'a', requested: 2, delivered: 2, alreadyReturned: 1, returnable: 1 }] },
    });
    expect(checkReturnLines(facts, [{ lineId: 'b', quantity: 1 }], T0, 30)).toMatchObject({
      ok: false,
      code: 'return_window_closed',
      details: { lines: [{ lineId: 'b', windowDays: 30, windowEndedAt: new Date(T0 - 15 * DAY).toISOString() }] },
    });
    expect(checkReturnLines(facts, [{ lineId: 'z', quantity: 1 }], T0, 30)).toMatchObject({ ok: false, code: 'line_not_found' });
    expect(checkReturnLines(facts, [{ lineId: 'a', quantity: 1 }, { lineId: 'a', quantity: 1 }], T0, 30)).toMatchObject({ ok: false, code: 'return_lines_invalid' });
  });

  it('never lets the units returned of a line exceed the units delivered, whatever the sequence of requests, receipts and cancellations', () => {
    const step = fc.record({ quantity: fc.integer({ min: 1, max: 6 }), outcome: fc.constantFrom('requested', 'cancelled', 'received'), missing: fc.integer({ min: 0, max: 6 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(step, { maxLength: 12 }), fc.integer({ min: 0, max: 60 }), (delivered, steps, ageDays) => {
        const returns: Array<{ status: ReturnStatus; quantity: number; resellable: number | null; damaged: number | null }> = [];
        for (const s of steps) {
          const taken = returns.reduce((t, r) => t + unitsTaken(r), 0);
          const f: LineReturnFacts = { lineId: 'l', sku: 'S', delivered: delivered > 0 ? [{ quantity: delivered, at: T0 - ageDays * DAY }] : [], taken };
          const checked = checkReturnLines([f], [{ lineId: 'l', quantity: s.quantity }], T0, 30);
          const u = returnableUnits(f, T0, 30);
          expect(checked.ok).toBe(s.quantity <= u.returnable);
          if (!checked.ok) continue;
          const missing = Math.min(s.missing, s.quantity);
          returns.push(
            s.outcome === 'received'
              ? { status: 'received', quantity: s.quantity, resellable: s.quantity - missing, damaged: 0 }
              : { status: s.outcome as ReturnStatus, quantity: s.quantity, resellable: null, damaged: null },
          );
          expect(returns.reduce((t, r) => t + unitsTaken(r), 0)).toBeLessThanOrEqual(delivered);
        }
      }),
    );
  });
});
