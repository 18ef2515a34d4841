import type { Db, DbOrTx } from '../../db/database.js';
import { isUniqueViolation } from '../../db/pg-errors.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { LOCK_MS, MAX_FAILED_LOGINS, tooManyAttempts } from './login.js';
import { hashPassword, verifyPassword } from './password.js';
import type { AuthenticatedSession, SessionAuthenticator } from './sessions.js';
import {
  emailTaken,
  findPasswordHash,
  findUserById,
  insertUser,
  recordFailedLogin,
  revokeUserSessions,
  updateUser,
  type Locale,
  type UserChanges,
  type UserRecord,
  type UserRole,
} from './users.repository.js';

export interface UserDeps {
  db: Db;
  clock: Clock;
  sessions: SessionAuthenticator;
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: UserRole;
  locationIds?: string[];
  locale?: Locale | null;
}

export interface UpdateUserInput {
  name?: string;
  role?: UserRole;
  locationIds?: string[];
  locale?: Locale | null;
  disabled?: boolean;
  /** An admin's password reset: ends the user's sessions and lifts any lock. */
  password?: string;
}

/**
 * Only store users have stores: a store user needs at least one existing location, other roles none
 * (a role change away from `store` drops them).
 */
async function checkStores(db: DbOrTx, role: UserRole, locationIds: string[]): Promise<Failure | undefined> {
  if (role !== 'store') {
    return locationIds.length > 0 ? fail('validation_failed', `only store users have stores; a ${role} user sees every location`, { field: 'locationIds' }) : undefined;
  }
  if (locationIds.length === 0) return fail('validation_failed', 'a store user needs at least one store', { field: 'locationIds' });
  const found = await db.selectFrom('location').select('id').where('id', 'in', locationIds).execute();
  const missing = locationIds.filter((id) => !found.some((f) => f.id === id));
  return missing.length > 0 ? fail('unprocessable', 'unknown location ids', { missing }) : undefined;
}

const emailTakenFailure = (email: string): Failure => fail('user_email_taken', `a user with e-mail ${email} already exists`, { email });

export async function createUser(deps: Pick<UserDeps, 'db' | 'clock'>, actor: Actor, input: CreateUserInput): Promise<Result<UserRecord>> {
  const email = input.email.trim().toLowerCase();
  const locationIds = [...new Set(input.locationIds ?? [])];
  const invalid = await checkStores(deps.db, input.role, locationIds);
  if (invalid) return invalid;
  if (await emailTaken(deps.db, email)) return emailTakenFailure(email);
  const passwordHash = await hashPassword(input.password);
  try {
    const created = await deps.db.transaction().execute(async (tx) => {
      const user = await insertUser(tx, { email, name: input.name.trim(), passwordHash, role: input.role, locationIds, locale: input.locale ?? null, now: deps.clock.now() });
      await writeAudit(tx, actor, 'user.created', 'user', user.id, null, user);
      return user;
    });
    return ok(created);
  } catch (e) {
    // Two admins creating the same e-mail at once: the unique index decides.
    if (isUniqueViolation(e)) return emailTakenFailure(email);
    throw e;
  }
}

export async function updateUserAsAdmin(deps: UserDeps, actor: Actor, id: string, input: UpdateUserInput): Promise<Result<UserRecord>> {
  const before = await findUserById(deps.db, id);
  if (!before) return fail('user_not_found', `no user ${id}`);
  const role = input.role ?? before.role;
  // Dropping the store role drops the stores; otherwise stores change only when given.
  const locationIds = input.locationIds !== undefined ? [...new Set(input.locationIds)] : role === 'store' ? before.locationIds : [];
  const invalid = await checkStores(deps.db, role, locationIds);
  if (invalid) return invalid;
  if (actor.id === `user:${before.email}` && (input.disabled === true || role !== 'admin')) {
    return fail('user_self_lockout', 'you cannot disable your own account or take away your own admin role; ask another admin');
  }
  const changes: UserChanges = { role, locationIds };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.locale !== undefined) changes.locale = input.locale;
  const now = deps.clock.now();
  if (input.disabled !== undefined && input.disabled !== before.disabled) changes.disabledAt = input.disabled ? now : null;
  if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
  const endSessions = changes.passwordHash !== undefined || changes.disabledAt instanceof Date;
  const after = await deps.db.transaction().execute(async (tx) => {
    const updated = await updateUser(tx, id, changes, now);
    if (!updated) return undefined;
    if (endSessions) await revokeUserSessions(tx, id, now);
    await writeAudit(tx, actor, 'user.updated', 'user', id, before, { ...updated, ...(input.password !== undefined && { passwordReset: true }) });
    return updated;
  });
  if (!after) return fail('user_not_found', `no user ${id}`);
  deps.sessions.forgetUser(id);
  return ok(after);
}

/**
 * A signed-in user changes its own password: the current one is required (a borrowed, unlocked screen
 * is not enough), wrong guesses count towards the lock like sign-ins, and every other session ends.
 */
export async function changeOwnPassword(
  deps: UserDeps,
  session: AuthenticatedSession,
  input: { currentPassword: string; newPassword: string },
): Promise<Result<void>> {
  const now = deps.clock.now();
  const user = await findUserById(deps.db, session.user.id);
  const currentHash = await findPasswordHash(deps.db, session.user.id);
  if (!user || currentHash === undefined) return fail('user_not_found', 'your account no longer exists');
  if (user.lockedUntil && new Date(user.lockedUntil) > now) return tooManyAttempts(new Date(user.lockedUntil), now);
  if (!(await verifyPassword(currentHash, input.currentPassword))) {
    const lockedNow = await recordFailedLogin(deps.db, user.id, MAX_FAILED_LOGINS, new Date(now.getTime() + LOCK_MS));
    return lockedNow ? tooManyAttempts(lockedNow, now) : fail('invalid_current_password', 'the current password is not right');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (tx) => {
    await updateUser(tx, user.id, { passwordHash }, now);
    await revokeUserSessions(tx, user.id, now, session.sessionId);
    await writeAudit(tx, session.actor, 'user.password_changed', 'user', user.id, null, { id: user.id, email: user.email });
  });
  deps.sessions.forgetUser(user.id);
  return ok(undefined);
}
