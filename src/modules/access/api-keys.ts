import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Actor, Role } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { findActiveKeyByHash, insertApiKey, revokeApiKey, type ApiKeyRecord } from './access.repository.js';

export const hashKey = (secret: string): string => crypto.createHash('sha256').update(secret).digest('hex');

/** API key secrets carry 192 random bits, so a fast hash is enough to store them (no password stretching). */
export function newSecret(): string {
  return `ordo_${crypto.randomBytes(24).toString('base64url')}`;
}

export interface CreateApiKeyInput {
  name: string;
  role: Role;
  locationIds?: string[];
}

/** Creates a key; the secret is returned once and only its hash is stored. */
export async function createApiKey(
  db: Db,
  actor: Actor,
  input: CreateApiKeyInput,
): Promise<Result<ApiKeyRecord & { secret: string }>> {
  const locationIds = [...new Set(input.locationIds ?? [])];
  if (input.role === 'store' && locationIds.length === 0) {
    return fail('validation_failed', 'a store key needs at least one location id', { field: 'locationIds' });
  }
  if (locationIds.length > 0) {
    const found = await db.selectFrom('location').select('id').where('id', 'in', locationIds).execute();
    const missing = locationIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0) return fail('unprocessable', 'unknown location ids', { missing });
  }
  const secret = newSecret();
  const record = await db.transaction().execute(async (tx) => {
    const created = await insertApiKey(tx, {
      name: input.name,
      keyHash: hashKey(secret),
      keyPrefix: secret.slice(0, 10),
      role: input.role,
      locationIds,
      createdBy: actor.id,
    });
    await writeAudit(tx, actor, 'api_key.created', 'api_key', created.id, null, created);
    return created;
  });
  return ok({ ...record, secret });
}

export async function revokeKey(db: Db, actor: Actor, id: string): Promise<Result<ApiKeyRecord>> {
  return db.transaction().execute(async (tx) => {
    const revoked = await revokeApiKey(tx, id);
    if (!revoked) return fail('api_key_not_found', `no active API key ${id}`);
    await writeAudit(tx, actor, 'api_key.revoked', 'api_key', id, null, revoked);
    return ok(revoked);
  });
}

const CACHE_TTL_MS = 5_000;

/**
 * Resolves a bearer secret to an actor. Keys are cached for a few seconds so a request costs no
 * lookup; a revoked key therefore stops working within CACHE_TTL_MS on every process.
 */
export class KeyAuthenticator {
  private cache = new Map<string, { actor: Actor | undefined; until: number }>();
  private readonly adminHash: string | undefined;

  constructor(
    private readonly db: Db,
    adminKey: string | undefined,
  ) {
    this.adminHash = adminKey ? hashKey(adminKey) : undefined;
  }

  async authenticate(secret: string): Promise<Actor | undefined> {
    const hash = hashKey(secret);
    if (this.adminHash && crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(this.adminHash))) {
      return { id: 'key:bootstrap-admin', role: 'admin', locationIds: [] };
    }
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.actor;
    const record = await findActiveKeyByHash(this.db, hash);
    const actor = record ? { id: `key:${record.keyPrefix}`, role: record.role, locationIds: record.locationIds } : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { actor, until: now + CACHE_TTL_MS });
    return actor;
  }

  forget(): void {
    this.cache.clear();
  }
}
