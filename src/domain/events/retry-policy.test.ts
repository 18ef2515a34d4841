import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailedAttempt, retryDelayMs } from './retry-policy.js';

const policy = { baseMs: 30_000, maxMs: 6 * 3_600_000 };

describe('webhook retry policy', () => {
  it('doubles the ceiling with every failure, with the jitter in its upper half', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, 0))).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, 0.999999))).toEqual([30_000, 60_000, 120_000, 240_000]);
  });

  it('stays within [ceiling/2, ceiling], never above the maximum, for any attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (n - 1));
        const delay = retryDelayMs(n, policy, r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(policy.maxMs);
      }),
    );
  });

  it('the ceiling never shrinks as failures accumulate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (n) => {
        expect(retryDelayMs(n + 1, policy, 0)).toBeGreaterThanOrEqual(retryDelayMs(n, policy, 0));
      }),
    );
  });

  it('dead-letters once maxAttempts attempts have failed, retries before', () => {
    const now = new Date('2026-01-05T09:00:00Z');
    expect(afterFailedAttempt(1, 3, now, policy, 0)).toEqual({ kind: 'retry', at: new Date('2026-01-05T09:00:15Z') });
    expect(afterFailedAttempt(2, 3, now, policy, 0)).toEqual({ kind: 'retry', at: new Date('2026-01-05T09:00:30Z') });
    expect(afterFailedAttempt(3, 3, now, policy, 0)).toEqual({ kind: 'dead' });
    expect(afterFailedAttempt(1, 1, now, policy, 0.5)).toEqual({ kind: 'dead' });
  });

  it('a zero base retries at once (used by tests and local setups)', () => {
    expect(retryDelayMs(7, { baseMs: 0, maxMs: 1_000 }, 0.7)).toBe(0);
  });
});
