import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEventTypePatterns, EVENT_TYPES, matchesEventType } from './event-types.js';

describe('event type filters', () => {
  it('matches exact types, families at any depth and everything', () => {
    expect(matchesEventType(['order.shipped'], 'order.shipped')).toBe(true);
    expect(matchesEventType(['order.shipped'], 'order.cancelled')).toBe(false);
    expect(matchesEventType(['order.*'], 'order.shipped')).toBe(true);
    expect(matchesEventType(['order.*'], 'order.line.cancelled')).toBe(true);
    expect(matchesEventType(['order.*'], 'orders.imported')).toBe(false);
    expect(matchesEventType(['order.*'], 'order')).toBe(false);
    expect(matchesEventType(['*'], 'stock.changed')).toBe(true);
    expect(matchesEventType(['stock.changed', 'order.*'], 'order.refunded')).toBe(true);
    expect(matchesEventType([], 'order.refunded')).toBe(false);
  });

  it('accepts every known type, its family and the catch-all', () => {
    const families = EVENT_TYPES.map((t) => `${t.split('.')[0]}.*`);
    expect(checkEventTypePatterns([...EVENT_TYPES, ...families, '*'])).toEqual({ malformed: [], unknown: [] });
  });

  it('reports malformed filters and filters no known type matches', () => {
    expect(checkEventTypePatterns(['order.**', 'Order.shipped', 'order.', '*.shipped', 'order shipped', ''])).toEqual({
      malformed: ['order.**', 'Order.shipped', 'order.', '*.shipped', 'order shipped', ''],
      unknown: [],
    });
    expect(checkEventTypePatterns(['order.shiped', 'invoice.*', 'order.*'])).toEqual({ malformed: [], unknown: ['order.shiped', 'invoice.*'] });
  });

  it('a family filter matches exactly the types that start with its prefix and a dot', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_TYPES), fc.constantFrom(...EVENT_TYPES), (a, b) => {
        const family = `${a.split('.')[0]}.*`;
        expect(matchesEventType([family], b)).toBe(b.split('.')[0] === a.split('.')[0]);
      }),
    );
  });
});
