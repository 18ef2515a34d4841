import type { DbOrTx } from '../../db/database.js';
import type { Role } from '../../domain/shared/actor.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyPrefix: string;
  role: Role;
  locationIds: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

type Row = {
  id: string;
  name: string;
  key_prefix: string;
  role: string;
  location_ids: string[];
  created_by: string;
  created_at: Date | string;
  revoked_at: Date | null;
};

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  keyPrefix: r.key_prefix,
  role: r.role as Role,
  locationIds: r.location_ids,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});

const columns = ['id', 'name', 'key_prefix', 'role', 'location_ids', 'created_by', 'created_at', 'revoked_at'] as const;

export async function findActiveKeyByHash(db: DbOrTx, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('api_key')
    .select(columns)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function insertApiKey(
  db: DbOrTx,
  key: { name: string; keyHash: string; keyPrefix: string; role: Role; locationIds: string[]; createdBy: string },
): Promise<ApiKeyRecord> {
  const row = await db
    .insertInto('api_key')
    .values({
      name: key.name,
      key_hash: key.keyHash,
      key_prefix: key.keyPrefix,
      role: key.role,
      location_ids: key.locationIds,
      created_by: key.createdBy,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function listApiKeys(db: DbOrTx): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_key').select(columns).orderBy('created_at').execute();
  return rows.map(toRecord);
}

export async function revokeApiKey(db: DbOrTx, id: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(columns)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}
