import type { DbOrTx } from '../../db/database.js';
import type { Channel, SuppressionReason } from '../../domain/notifications/delivery-policy.js';

export interface Suppression {
  channel: Channel;
  address: string;
  reason: SuppressionReason;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

/** The suppression reasons of many addresses in one read, by `suppressionKey(channel, address)`. */
export async function suppressionReasonsOf(db: DbOrTx, addresses: ReadonlyArray<{ channel: Channel; address: string }>): Promise<Map<string, SuppressionReason[]>> {
  const byAddress = new Map<string, SuppressionReason[]>();
  if (addresses.length === 0) return byAddress;
  const rows = await db
    .selectFrom('notification_suppression')
    .select(['channel', 'address', 'reason'])
    .where((eb) => eb(eb.refTuple('channel', 'address'), 'in', addresses.map((a) => eb.tuple(a.channel, a.address))))
    .execute();
  for (const r of rows) {
    const key = suppressionKey(r.channel as Channel, r.address);
    byAddress.set(key, [...(byAddress.get(key) ?? []), r.reason as SuppressionReason]);
  }
  return byAddress;
}

export const suppressionKey = (channel: Channel, address: string): string => `${channel}:${address}`;

/** Adds a reason for an address (an existing one keeps its first date); returns true when it is new. */
export async function addSuppression(
  db: DbOrTx,
  s: { channel: Channel; address: string; reason: SuppressionReason; note: string | null; createdBy: string; now: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('notification_suppression')
    .values({ channel: s.channel, address: s.address, reason: s.reason, note: s.note, created_by: s.createdBy, created_at: s.now })
    .onConflict((oc) => oc.columns(['channel', 'address', 'reason']).doNothing())
    .returning('reason')
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes one reason, or every reason when none is given; returns what was removed. */
export async function removeSuppressions(db: DbOrTx, channel: Channel, address: string, reason?: SuppressionReason): Promise<Suppression[]> {
  let q = db.deleteFrom('notification_suppression').where('channel', '=', channel).where('address', '=', address);
  if (reason) q = q.where('reason', '=', reason);
  return (await q.returningAll().execute()).map(toSuppression);
}

export async function listSuppressions(
  db: DbOrTx,
  f: { channel?: Channel; address?: string; after?: [string, string, string]; limit: number },
): Promise<Suppression[]> {
  let q = db.selectFrom('notification_suppression').selectAll().orderBy('channel').orderBy('address').orderBy('reason').limit(f.limit);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.address) q = q.where('address', '=', f.address);
  if (f.after) {
    const [c, a, r] = f.after;
    q = q.where((eb) => eb(eb.refTuple('channel', 'address', 'reason'), '>', eb.tuple(c, a, r)));
  }
  return (await q.execute()).map(toSuppression);
}

function toSuppression(r: { channel: string; address: string; reason: string; note: string | null; created_by: string; created_at: Date }): Suppression {
  return {
    channel: r.channel as Channel,
    address: r.address,
    reason: r.reason as SuppressionReason,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The key that signs unsubscribe links when no ORDO_UNSUBSCRIBE_SECRET is configured. */
export async function storedUnsubscribeKey(db: DbOrTx): Promise<string> {
  const row = await db.selectFrom('notification_key').select('secret').executeTakeFirstOrThrow();
  return row.secret;
}
