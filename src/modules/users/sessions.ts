import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { findLiveSession, insertSession, revokeSession, revokeUserSessions, touchSession, type UserRecord } from './users.repository.js';

export const SESSION_COOKIE = 'ordo_session';
/** A session unused for this long ends (the next request is a 401 and the app shows the login page). */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** A session ends this long after sign-in however much it is used; the cookie lives exactly as long. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3_600_000;
/** The idle expiry is pushed forward at most once a minute per session, so reads do not all write. */
const TOUCH_INTERVAL_MS = 60_000;
/** Resolved sessions are reused for a few seconds, like API keys: revocation reaches other processes within it. */
const CACHE_TTL_MS = 5_000;

/** What a request authenticated by its session cookie carries. */
export interface AuthenticatedSession {
  sessionId: string;
  tokenHash: string;
  csrfToken: string;
  user: UserRecord;
  actor: Actor;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The user as `POST /v1/auth/login` and `GET /v1/auth/session` show it. */
export const sessionUser = (u: UserRecord) => ({ id: u.id, email: u.email, name: u.name, role: u.role, locationIds: u.locationIds, locale: u.locale });

const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
const randomToken = (): string => crypto.randomBytes(32).toString('base64url');

/** A user acts with its role and store scope exactly like an API key of that role. */
export const userActor = (u: UserRecord): Actor => ({ id: `user:${u.email}`, role: u.role, locationIds: u.locationIds });

/**
 * Browser sessions: created at sign-in, resolved on every cookie-authenticated request, revoked on
 * sign-out, password change or when an admin disables the user. Expiry is judged on the context's clock.
 */
export class SessionAuthenticator {
  private cache = new Map<string, { session: AuthenticatedSession; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Opens a session; the token goes into the cookie and is never stored (only its hash is). */
  async create(user: UserRecord, meta: { userAgent: string | null; ip: string | null }): Promise<{ token: string; csrfToken: string; maxAgeSeconds: number }> {
    const now = this.clock.now();
    const token = randomToken();
    const csrfToken = randomToken();
    const absoluteExpiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
    await insertSession(this.db, {
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken,
      now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      absoluteExpiresAt,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
      ip: meta.ip,
    });
    return { token, csrfToken, maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 };
  }

  /** The live session of a cookie token, its idle expiry pushed forward; undefined when unknown, expired, revoked or disabled. */
  async resolve(token: string): Promise<AuthenticatedSession | undefined> {
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const hit = this.cache.get(tokenHash);
    if (hit && hit.until > Date.now() && now < hit.session.expiresAt && now.getTime() - hit.session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) {
      return hit.session;
    }
    const row = await findLiveSession(this.db, tokenHash);
    if (!row || now >= row.expiresAt || now >= row.absoluteExpiresAt) {
      this.cache.delete(tokenHash);
      return undefined;
    }
    let { lastSeenAt, expiresAt } = row;
    if (now.getTime() - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      lastSeenAt = now;
      expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, row.absoluteExpiresAt.getTime()));
      await touchSession(this.db, row.sessionId, lastSeenAt, expiresAt);
    }
    const session: AuthenticatedSession = { sessionId: row.sessionId, tokenHash, csrfToken: row.csrfToken, user: row.user, actor: userActor(row.user), lastSeenAt, expiresAt };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { session, until: Date.now() + CACHE_TTL_MS });
    return session;
  }

  async revoke(session: AuthenticatedSession): Promise<void> {
    await revokeSession(this.db, session.sessionId, this.clock.now());
    this.cache.delete(session.tokenHash);
  }

  /** Ends all sessions of a user (disabled, password reset), or all but `keep` (own password change). */
  async revokeAllOf(userId: string, keep?: AuthenticatedSession): Promise<void> {
    await revokeUserSessions(this.db, userId, this.clock.now(), keep?.sessionId);
    this.forgetUser(userId);
  }

  /** Drops cached sessions of a user in this process, so a changed role or store applies at once. */
  forgetUser(userId: string): void {
    for (const [hash, entry] of this.cache) if (entry.session.user.id === userId) this.cache.delete(hash);
  }
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string' || header.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}
