import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { ChannelTable } from '../../db/schema.js';
import type { ChannelPool, ChannelRules } from '../../domain/inventory/pools.js';
import type { Channel, ChannelInput } from './channel.schemas.js';

function toPool(raw: Record<string, unknown>): Channel['pool'] {
  const pool = raw as ChannelPool;
  return {
    ...(pool.maxShare !== undefined ? { maxShare: pool.maxShare } : {}),
    ...(pool.maxQuantity !== undefined ? { maxQuantity: pool.maxQuantity } : {}),
    protections: pool.protections ?? [],
  };
}

export function toChannel(r: Selectable<ChannelTable>): Channel {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    eligibleLocationIds: r.eligible_location_ids,
    pool: toPool(r.pool),
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const toRules = (r: Selectable<ChannelTable>): ChannelRules => ({
  id: r.id,
  active: r.active,
  eligibleLocationIds: r.eligible_location_ids,
  pool: toPool(r.pool),
});

export async function findChannel(db: DbOrTx, id: string, forUpdate = false): Promise<Channel | undefined> {
  let q = db.selectFrom('channel').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toChannel(row) : undefined;
}

export async function listChannels(db: DbOrTx, f: { active?: boolean; after?: string; limit: number }): Promise<Channel[]> {
  let q = db.selectFrom('channel').selectAll().orderBy('id').limit(f.limit);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.after !== undefined) q = q.where('id', '>', f.after);
  return (await q.execute()).map(toChannel);
}

/** The subset of `ids` that are channels. */
export async function existingChannelIds(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('channel').select('id').where('id', 'in', [...ids]).execute();
  return new Set(rows.map((r) => r.id));
}

/** Pool rules of every channel (active or not), for availability and reservations. */
export async function listChannelRules(db: DbOrTx): Promise<ChannelRules[]> {
  return (await db.selectFrom('channel').selectAll().orderBy('id').execute()).map(toRules);
}

export async function findChannelRules(db: DbOrTx, id: string): Promise<ChannelRules | undefined> {
  const row = await db.selectFrom('channel').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRules(row) : undefined;
}

export async function upsertChannelRow(tx: Tx, id: string, input: ChannelInput, now: Date): Promise<Channel> {
  const values = {
    name: input.name,
    type: input.type,
    eligible_location_ids: input.eligibleLocationIds ?? null,
    pool: JSON.stringify(toPool(input.pool ?? {})),
    active: input.active ?? true,
  };
  const row = await tx
    .insertInto('channel')
    .values({ id, ...values, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toChannel(row);
}
