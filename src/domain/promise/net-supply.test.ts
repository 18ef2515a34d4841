import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { netSupply } from './net-supply.js';

describe('netSupply', () => {
  it('takes backorders from the earliest arrivals first', () => {
    const arrivals = [
      { sku: 'A', locationId: 'wh', quantity: 10, expectedAt: 8 },
      { sku: 'A', locationId: 'wh', quantity: 5, expectedAt: 1 },
      { sku: 'B', locationId: 'wh', quantity: 3, expectedAt: 2 },
    ];
    expect(netSupply(arrivals, new Map([['A@wh', 7]]))).toEqual([
      { sku: 'B', locationId: 'wh', quantity: 3, expectedAt: 2 },
      { sku: 'A', locationId: 'wh', quantity: 8, expectedAt: 8 },
    ]);
  });

  it('never gives more than arrives minus what is committed, never less than zero', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 50 }), expectedAt: fc.integer({ min: 0, max: 100 }) }), { maxLength: 8 }), fc.integer({ min: 0, max: 300 }), (rows, committed) => {
        const arrivals = rows.map((r) => ({ sku: 'A', locationId: 'wh', ...r }));
        const total = arrivals.reduce((s, a) => s + a.quantity, 0);
        const net = netSupply(arrivals, new Map([['A@wh', committed]]));
        expect(net.reduce((s, a) => s + a.quantity, 0)).toBe(Math.max(0, total - committed));
        expect(net.every((a) => a.quantity > 0)).toBe(true);
      }),
    );
  });
});
