import crypto from 'node:crypto';

/**
 * The code a customer shows at the pickup desk, and the rules that keep it from being guessed: a few
 * wrong codes in a row lock the handover for a while. Time and randomness come in as parameters.
 */

export const PICKUP_CODE_DIGITS = 6;

/**
 * A 6-digit code, every value from 000000 to 999999 equally likely; `randomInt(max)` must return a
 * uniform integer in [0, max) from a cryptographic source (node:crypto's randomInt by default).
 * Example: randomInt → 4821 gives '004821'.
 */
export function generatePickupCode(randomInt: (max: number) => number = crypto.randomInt): string {
  const max = 10 ** PICKUP_CODE_DIGITS;
  const n = randomInt(max);
  if (!Number.isInteger(n) || n < 0 || n >= max) throw new RangeError(`random source gave ${n}, outside [0, ${max})`);
  return String(n).padStart(PICKUP_CODE_DIGITS, '0');
}

/**
 * Whether the code given at the desk is the expected one, in time that does not depend on where they
 * differ nor on their lengths (both are hashed to fixed-size digests first), so timing reveals nothing.
 * Surrounding spaces are ignored (codes are read aloud and typed).
 */
export function pickupCodeMatches(expected: string, given: string): boolean {
  const a = crypto.createHash('sha256').update(expected, 'utf8').digest();
  const b = crypto.createHash('sha256').update(given.trim(), 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

export interface PickupGuard {
  /** Wrong codes given since the last lock ended (or since the pickup became ready). */
  attempts: number;
  /** Handover refused until then (epoch ms), null when never locked. */
  lockedUntil: number | null;
}

export interface PickupCodeRules {
  maxAttempts: number;
  lockMinutes: number;
}

/**
 * The guard as it stands at `now`: locked while `lockedUntil` is ahead; once a lock has run out the
 * counter starts again from zero (the customer gets a fresh set of attempts).
 * Example: { attempts: 5, lockedUntil: 10:15 } at 10:20 → { attempts: 0, lockedUntil: null }.
 */
export function currentGuard(g: PickupGuard, now: number): PickupGuard & { locked: boolean } {
  if (g.lockedUntil !== null && g.lockedUntil > now) return { ...g, locked: true };
  if (g.lockedUntil !== null) return { attempts: 0, lockedUntil: null, locked: false };
  return { ...g, locked: false };
}

/**
 * The guard after a wrong code at `now` (the guard must not be locked then: a locked handover checks no
 * code). The `maxAttempts`-th wrong code in a row locks it for `lockMinutes`.
 * Example: rules {5, 15}, attempts 4 at 10:00 → { attempts: 5, attemptsLeft: 0, lockedUntil: 10:15 }.
 */
export function afterWrongCode(g: PickupGuard, now: number, rules: PickupCodeRules): PickupGuard & { attemptsLeft: number; locked: boolean } {
  const current = currentGuard(g, now);
  if (current.locked) throw new Error('a locked pickup checks no code');
  const attempts = current.attempts + 1;
  const attemptsLeft = Math.max(0, rules.maxAttempts - attempts);
  const locked = attemptsLeft === 0;
  return { attempts, attemptsLeft, locked, lockedUntil: locked ? now + rules.lockMinutes * 60_000 : null };
}

/** When the hold of a pickup ready at `readyAt` ends: `holdDays` whole days later. */
export function pickupHoldUntil(readyAt: number, holdDays: number): number {
  return readyAt + holdDays * 86_400_000;
}

/**
 * Whether a ready pickup's reminder is due at `now`: not sent yet, within `reminderHours` of the end
 * of the hold, and the hold not over (an expired hold is cancelled, not reminded).
 * Example: hold ends Mon 10:00, 24 h → due from Sun 10:00 until Mon 10:00, once.
 */
export function pickupReminderDue(p: { holdUntil: number; reminderSentAt: number | null }, now: number, reminderHours: number): boolean {
  return p.reminderSentAt === null && now < p.holdUntil && now >= p.holdUntil - reminderHours * 3_600_000;
}

/** Whether a ready pickup's hold is over at `now` (what was not collected is then cancelled). */
export const pickupHoldExpired = (holdUntil: number, now: number): boolean => now >= holdUntil;
