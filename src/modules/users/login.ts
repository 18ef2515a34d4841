import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { verifyDummyPassword, verifyPassword } from './password.js';
import { sessionUser, type SessionAuthenticator } from './sessions.js';
import { findCredentialsByEmail, recordFailedLogin, recordSuccessfulLogin } from './users.repository.js';

/** This many wrong passwords in a row lock the account for LOCK_MS (a correct password resets the count). */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;

export interface LoginInput {
  email: string;
  password: string;
  userAgent: string | null;
  ip: string | null;
}

export interface LoginSuccess {
  user: ReturnType<typeof sessionUser>;
  csrfToken: string;
  token: string;
  maxAgeSeconds: number;
}

export const tooManyAttempts = (lockedUntil: Date, now: Date): Failure =>
  fail('too_many_attempts', 'too many failed sign-in attempts; try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000)),
    lockedUntil: lockedUntil.toISOString(),
  });

const invalidCredentials = (): Failure => fail('invalid_credentials', 'this e-mail and password do not match an account');

/**
 * Failures for e-mails that have no account, counted in memory with the same policy as real accounts:
 * a locked answer after five tries must not tell an attacker that the e-mail exists. Per process (a
 * restart forgets it), which is enough for that purpose; real accounts are counted in the database.
 */
export class UnknownEmailThrottle {
  private failures = new Map<string, { count: number; lockedUntil: number }>();

  lockedUntil(email: string, now: Date): Date | undefined {
    const entry = this.failures.get(email);
    return entry && entry.lockedUntil > now.getTime() ? new Date(entry.lockedUntil) : undefined;
  }

  /** Counts a failure; returns the lock end when this one locks. */
  fail(email: string, now: Date): Date | undefined {
    if (this.failures.size > 10_000) this.failures.clear();
    const entry = this.failures.get(email) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= MAX_FAILED_LOGINS) {
      entry.count = 0;
      entry.lockedUntil = now.getTime() + LOCK_MS;
    }
    this.failures.set(email, entry);
    return entry.count === 0 ? new Date(entry.lockedUntil) : undefined;
  }
}

/**
 * Checks an e-mail and password and opens a session. Order matters: a locked account answers 429
 * before any password check; a disabled account is only revealed to someone who knows its password.
 */
export async function login(
  deps: { db: Db; clock: Clock; sessions: SessionAuthenticator; unknownEmails: UnknownEmailThrottle },
  input: LoginInput,
): Promise<Result<LoginSuccess>> {
  const { db, clock } = deps;
  const email = input.email.trim().toLowerCase();
  const now = clock.now();
  const found = await findCredentialsByEmail(db, email);
  if (!found) {
    const locked = deps.unknownEmails.lockedUntil(email, now);
    if (locked) return tooManyAttempts(locked, now);
    await verifyDummyPassword(input.password);
    const lockedNow = deps.unknownEmails.fail(email, now);
    return lockedNow ? tooManyAttempts(lockedNow, now) : invalidCredentials();
  }
  const { user, passwordHash } = found;
  if (user.lockedUntil && new Date(user.lockedUntil) > now) return tooManyAttempts(new Date(user.lockedUntil), now);
  if (!(await verifyPassword(passwordHash, input.password))) {
    const lockedNow = await recordFailedLogin(db, user.id, MAX_FAILED_LOGINS, new Date(now.getTime() + LOCK_MS));
    return lockedNow ? tooManyAttempts(lockedNow, now) : invalidCredentials();
  }
  if (user.disabled) return fail('account_disabled', 'this account is disabled; ask an administrator');
  await recordSuccessfulLogin(db, user.id, now);
  const session = await deps.sessions.create(user, { userAgent: input.userAgent, ip: input.ip });
  return ok({ user: sessionUser(user), csrfToken: session.csrfToken, token: session.token, maxAgeSeconds: session.maxAgeSeconds });
}
