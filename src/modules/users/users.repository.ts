import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { Role } from '../../domain/shared/actor.js';

/** Roles a person can have (`integration` is for API keys only). */
export const USER_ROLES = ['admin', 'ops', 'service', 'store'] as const satisfies readonly Role[];
export type UserRole = (typeof USER_ROLES)[number];
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** A user as the API shows it: never the password hash. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  locationIds: string[];
  locale: Locale | null;
  disabled: boolean;
  disabledAt: string | null;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What login needs on top of the record. */
export interface UserCredentials {
  user: UserRecord;
  passwordHash: string;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

const userColumns = [
  'app_user.id',
  'app_user.email',
  'app_user.name',
  'app_user.role',
  'app_user.location_ids',
  'app_user.locale',
  'app_user.disabled_at',
  'app_user.locked_until',
  'app_user.last_login_at',
  'app_user.created_at',
  'app_user.updated_at',
] as const;

type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  location_ids: string[];
  locale: string | null;
  disabled_at: Date | null;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date | string;
  updated_at: Date | string;
};

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as UserRole,
  locationIds: r.location_ids,
  locale: r.locale as Locale | null,
  disabled: r.disabled_at !== null,
  disabledAt: iso(r.disabled_at),
  lockedUntil: iso(r.locked_until),
  lastLoginAt: iso(r.last_login_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

export async function findUserById(db: DbOrTx, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('app_user').select(userColumns).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** E-mails are compared lower-cased (they are stored that way). */
export async function findCredentialsByEmail(db: DbOrTx, email: string): Promise<UserCredentials | undefined> {
  const row = await db
    .selectFrom('app_user')
    .select([...userColumns, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function findPasswordHash(db: DbOrTx, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_user').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash;
}

/** One page of users by e-mail (keyset: pass the last e-mail of the previous page). */
export async function listUsers(db: DbOrTx, opts: { limit: number; afterEmail?: string }): Promise<UserRecord[]> {
  let query = db.selectFrom('app_user').select(userColumns).orderBy('email').limit(opts.limit);
  if (opts.afterEmail !== undefined) query = query.where('email', '>', opts.afterEmail);
  return (await query.execute()).map(toUser);
}

export async function emailTaken(db: DbOrTx, email: string): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('id').where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(
  db: DbOrTx,
  user: { email: string; name: string; passwordHash: string; role: UserRole; locationIds: string[]; locale: Locale | null; now: Date },
): Promise<UserRecord> {
  const row = await db
    .insertInto('app_user')
    .values({
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      role: user.role,
      location_ids: user.locationIds,
      locale: user.locale,
      created_at: user.now,
      updated_at: user.now,
    })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export interface UserChanges {
  name?: string;
  role?: UserRole;
  locationIds?: string[];
  locale?: Locale | null;
  disabledAt?: Date | null;
  /** A new password also clears the failure counter and any lock. */
  passwordHash?: string;
}

export async function updateUser(db: DbOrTx, id: string, changes: UserChanges, now: Date): Promise<UserRecord | undefined> {
  const row = await db
    .updateTable('app_user')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.role !== undefined && { role: changes.role }),
      ...(changes.locationIds !== undefined && { location_ids: changes.locationIds }),
      ...(changes.locale !== undefined && { locale: changes.locale }),
      ...(changes.disabledAt !== undefined && { disabled_at: changes.disabledAt }),
      ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash, failed_logins: 0, locked_until: null }),
      updated_at: now,
    })
    .where('id', '=', id)
    .returning(userColumns)
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/**
 * Counts a wrong password in one statement (no read-then-write race between two attempts); the
 * `maxFailures`-th failure locks the account until `lockUntil` and starts the count again.
 * Returns the lock end when this failure locked the account.
 */
export async function recordFailedLogin(db: DbOrTx, id: string, maxFailures: number, lockUntil: Date): Promise<Date | null> {
  const row = await db
    .updateTable('app_user')
    .set({
      failed_logins: sql<number>`CASE WHEN failed_logins + 1 >= ${maxFailures} THEN 0 ELSE failed_logins + 1 END`,
      locked_until: sql<Date | null>`CASE WHEN failed_logins + 1 >= ${maxFailures} THEN ${lockUntil}::timestamptz ELSE locked_until END`,
    })
    .where('id', '=', id)
    .returning(['locked_until'])
    .executeTakeFirst();
  const locked = row?.locked_until ? new Date(row.locked_until) : null;
  return locked && locked.getTime() === lockUntil.getTime() ? locked : null;
}

export async function recordSuccessfulLogin(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', id).execute();
}

// ---- sessions ----

export interface SessionRow {
  sessionId: string;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  user: UserRecord;
}

export async function insertSession(
  db: DbOrTx,
  s: { tokenHash: string; userId: string; csrfToken: string; now: Date; expiresAt: Date; absoluteExpiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<string> {
  const row = await db
    .insertInto('user_session')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      absolute_expires_at: s.absoluteExpiresAt,
      user_agent: s.userAgent,
      ip: s.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A session that is not revoked and whose user is not disabled (expiry is the caller's check, on its clock). */
export async function findLiveSession(db: DbOrTx, tokenHash: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .select([
      ...userColumns,
      'user_session.id as session_id',
      'user_session.csrf_token',
      'user_session.last_seen_at',
      'user_session.expires_at',
      'user_session.absolute_expires_at',
    ])
    .where('user_session.token_hash', '=', tokenHash)
    .where('user_session.revoked_at', 'is', null)
    .where('app_user.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    lastSeenAt: new Date(row.last_seen_at),
    expiresAt: new Date(row.expires_at),
    absoluteExpiresAt: new Date(row.absolute_expires_at),
    user: toUser(row),
  };
}

export async function touchSession(db: DbOrTx, sessionId: string, now: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function revokeSession(db: DbOrTx, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('user_session').set({ revoked_at: now }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Ends every live session of a user, except `keepSessionId` (the one changing its own password). */
export async function revokeUserSessions(db: DbOrTx, userId: string, now: Date, keepSessionId?: string): Promise<number> {
  let query = db.updateTable('user_session').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (keepSessionId) query = query.where('id', '<>', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
