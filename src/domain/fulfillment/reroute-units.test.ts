import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unitsValue } from '../orders/unit-value.js';
import { cancelledUnitsValue, mergeUnits, splitByShortfalls, type RerouteUnit } from './reroute-units.js';

const unit = (orderLineId: string, sku: string, quantity: number): RerouteUnit => ({ orderLineId, sku, quantity });
const total = (units: readonly RerouteUnit[], line: string) => units.filter((u) => u.orderLineId === line).reduce((s, u) => s + u.quantity, 0);

describe('re-routed units', () => {
  it('merges units per order line, in order of first appearance, without empty entries', () => {
    expect(mergeUnits([unit('L1', 'A', 1), unit('L2', 'B', 2), unit('L1', 'A', 1), unit('L3', 'C', 0)])).toEqual([unit('L1', 'A', 2), unit('L2', 'B', 2)]);
    expect(() => mergeUnits([unit('L1', 'A', 1), unit('L1', 'B', 1)])).toThrow(/L1/);
  });

  it('splits by shortfalls: served + unserved = asked per line, a shortfall never takes more than its line', () => {
    expect(splitByShortfalls([unit('L1', 'A', 2), unit('L2', 'B', 1)], [{ lineId: '1', quantity: 1 }])).toEqual({
      served: [unit('L1', 'A', 1), unit('L2', 'B', 1)],
      unserved: [unit('L1', 'A', 1)],
    });
    expect(splitByShortfalls([unit('L1', 'A', 2)], [{ lineId: '1', quantity: 5 }, { lineId: '7', quantity: 1 }])).toEqual({ served: [], unserved: [unit('L1', 'A', 2)] });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ line: fc.integer({ min: 0, max: 7 }), quantity: fc.integer({ min: 0, max: 12 }) }), { maxLength: 8 }),
        (quantities, shorts) => {
          const units = quantities.map((q, i) => unit(`L${i + 1}`, `S${i}`, q));
          const { served, unserved } = splitByShortfalls(units, shorts.map((s) => ({ lineId: String(s.line), quantity: s.quantity })));
          for (const u of units) {
            expect(total(served, u.orderLineId) + total(unserved, u.orderLineId)).toBe(u.quantity);
            const asked = shorts.filter((s) => s.line === Number(u.orderLineId.slice(1))).reduce((s, x) => s + x.quantity, 0);
            expect(total(unserved, u.orderLineId)).toBe(Math.min(u.quantity, asked));
          }
          expect([...served, ...unserved].every((u) => u.quantity > 0)).toBe(true);
        },
      ),
    );
  });

  it('values cancelled units from the end of the line: with units captured from its start, everything adds up to the total', () => {
    expect(cancelledUnitsValue({ quantity: 3, totalMinor: 1000 }, 0, 1)).toBe(334);
    expect(cancelledUnitsValue({ quantity: 3, totalMinor: 1000 }, 1, 1)).toBe(333);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 10 }), (quantity, totalMinor, steps) => {
        const line = { quantity, totalMinor };
        let captured = 0;
        let cancelled = 0;
        let money = 0;
        steps.forEach((n, i) => {
          const free = quantity - captured - cancelled;
          const count = Math.min(n, free);
          if (i % 2 === 0) {
            money += unitsValue(line, captured, count);
            captured += count;
          } else {
            money += cancelledUnitsValue(line, cancelled, count);
            cancelled += count;
          }
        });
        money += unitsValue(line, captured, quantity - captured - cancelled);
        expect(money).toBe(totalMinor);
      }),
    );
  });
});
