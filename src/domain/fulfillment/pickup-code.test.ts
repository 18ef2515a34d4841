import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterWrongCode,
  currentGuard,
  generatePickupCode,
  pickupCodeMatches,
  pickupHoldExpired,
  pickupHoldUntil,
  pickupReminderDue,
  type PickupGuard,
} from './pickup-code.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const rules = { maxAttempts: 5, lockMinutes: 15 };
const t0 = Date.parse('2026-11-23T10:00:00Z');

describe('pickup code', () => {
  it('is always six digits, zero-padded, from the random source', () => {
    expect(generatePickupCode(() => 4821)).toBe('004821');
    expect(generatePickupCode(() => 0)).toBe('000000');
    expect(generatePickupCode(() => 999_999)).toBe('999999');
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => /^\d{6}$/.test(generatePickupCode(() => n)) && Number(generatePickupCode(() => n)) === n));
    for (let i = 0; i < 200; i++) expect(generatePickupCode()).toMatch(/^\d{6}$/);
  });

  it('refuses a random source that leaves the range instead of producing a short or long code', () => {
    expect(() => generatePickupCode(() => 1_000_000)).toThrow(RangeError);
    expect(() => generatePickupCode(() => -1)).toThrow(RangeError);
    expect(() => generatePickupCode(() => 1.5)).toThrow(RangeError);
  });

  it('asks the random source for the whole range', () => {
    let asked = 0;
    generatePickupCode((max) => ((asked = max), 7));
    expect(asked).toBe(1_000_000);
  });

  it('matches only the exact code (spaces around it ignored), whatever the lengths', () => {
    expect(pickupCodeMatches('004821', '004821')).toBe(true);
    expect(pickupCodeMatches('004821', ' 004821 ')).toBe(true);
    expect(pickupCodeMatches('004821', '4821')).toBe(false);
    expect(pickupCodeMatches('004821', '0048210')).toBe(false);
    expect(pickupCodeMatches('004821', '')).toBe(false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => pickupCodeMatches(a, b) === (a === b.trim())));
  });
});

describe('pickup code attempts and lock', () => {
  it('counts wrong codes and locks at the limit for the lock time', () => {
    let g: PickupGuard = { attempts: 0, lockedUntil: null };
    for (let i = 1; i <= 4; i++) {
      const next = afterWrongCode(g, t0 + i * MIN, rules);
      expect(next).toEqual({ attempts: i, attemptsLeft: 5 - i, locked: false, lockedUntil: null });
      g = next;
    }
    const fifth = afterWrongCode(g, t0 + 5 * MIN, rules);
    expect(fifth).toEqual({ attempts: 5, attemptsLeft: 0, locked: true, lockedUntil: t0 + 20 * MIN });
    expect(currentGuard(fifth, t0 + 19 * MIN).locked).toBe(true);
    expect(() => afterWrongCode(fifth, t0 + 19 * MIN, rules)).toThrow();
  });

  it('starts a fresh set of attempts once the lock has run out', () => {
    const locked = { attempts: 5, lockedUntil: t0 + 15 * MIN };
    expect(currentGuard(locked, t0 + 15 * MIN)).toEqual({ attempts: 0, lockedUntil: null, locked: false });
    expect(afterWrongCode(locked, t0 + 16 * MIN, rules)).toMatchObject({ attempts: 1, attemptsLeft: 4, locked: false });
  });

  it('never gives more than maxAttempts wrong codes per lock period, and attempts left never go negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 120 }), fc.array(fc.integer({ min: 0, max: 40 * MIN }), { maxLength: 60 }), (max, lock, gaps) => {
        const r = { maxAttempts: max, lockMinutes: lock };
        let g: PickupGuard = { attempts: 0, lockedUntil: null };
        let now = t0;
        let inRow = 0;
        for (const gap of gaps) {
          now += gap;
          const cur = currentGuard(g, now);
          if (cur.locked) continue;
          if (cur.attempts === 0) inRow = 0;
          const next = afterWrongCode(g, now, r);
          inRow++;
          expect(inRow).toBeLessThanOrEqual(max);
          expect(next.attemptsLeft).toBeGreaterThanOrEqual(0);
          expect(next.locked).toBe(inRow === max);
          if (next.locked) expect(next.lockedUntil).toBe(now + lock * MIN);
          g = next;
        }
      }),
    );
  });
});

describe('pickup hold and reminder', () => {
  const holdUntil = pickupHoldUntil(t0, 7);
  it('holds whole days from the ready time', () => {
    expect(new Date(holdUntil).toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it('reminds once, within the reminder window, never after the hold ended', () => {
    expect(pickupReminderDue({ holdUntil, reminderSentAt: null }, holdUntil - 25 * HOUR, 24)).toBe(false);
    expect(pickupReminderDue({ holdUntil, reminderSentAt: null }, holdUntil - 24 * HOUR, 24)).toBe(true);
    expect(pickupReminderDue({ holdUntil, reminderSentAt: null }, holdUntil - 1, 24)).toBe(true);
    expect(pickupReminderDue({ holdUntil, reminderSentAt: holdUntil - 2 * HOUR }, holdUntil - HOUR, 24)).toBe(false);
    expect(pickupReminderDue({ holdUntil, reminderSentAt: null }, holdUntil, 24)).toBe(false);
  });

  it('expires at the end of the hold', () => {
    expect(pickupHoldExpired(holdUntil, holdUntil - 1)).toBe(false);
    expect(pickupHoldExpired(holdUntil, holdUntil)).toBe(true);
  });
});
