import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets.js';

describe('token buckets', () => {
  it('allow the capacity at once, then one attempt per refill period, per key', () => {
    const b = new TokenBuckets({ capacity: 3, refillMs: 1000 });
    expect([b.take('a', 0), b.take('a', 0), b.take('a', 0)]).toEqual([0, 0, 0]);
    expect(b.take('a', 0)).toBe(1000);
    expect(b.take('a', 400)).toBe(600);
    expect(b.take('b', 400)).toBe(0);
    expect(b.take('a', 1000)).toBe(0);
    expect(b.take('a', 1000)).toBe(1000);
    // A long pause refills up to the capacity, not beyond.
    expect([0, 0, 0, 1].map(() => b.take('a', 60_000))).toEqual([0, 0, 0, 1000]);
  });

  it('never allow more than capacity + elapsed / refill attempts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const b = new TokenBuckets({ capacity: 4, refillMs: 1000 });
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          if (b.take('k', now) === 0) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(4 + Math.floor(now / 1000));
      }),
    );
  });

  it('keep at most maxKeys keys, forgetting full buckets first', () => {
    const b = new TokenBuckets({ capacity: 2, refillMs: 1000 }, 100);
    b.take('busy', 0);
    b.take('busy', 0);
    for (let i = 0; i < 1000; i++) b.take(`k${i}`, 10);
    expect(b.size).toBeLessThanOrEqual(100);
    // A bucket that is not full again is kept as long as there is room for it: the sweep drops the oldest keys.
    const c = new TokenBuckets({ capacity: 2, refillMs: 1000 }, 100);
    for (let i = 0; i < 99; i++) c.take(`full${i}`, 0);
    c.take('busy', 100);
    c.take('busy', 100);
    c.take('new', 1500); // the 99 others are full again by now and go; 'busy' is not
    expect(c.size).toBe(2);
    expect(c.take('busy', 1500)).toBe(0);
    expect(c.take('busy', 1500)).toBeGreaterThan(0);
  });
});
