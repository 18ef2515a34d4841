import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { listLocations } from '../network/location.repository.js';
import { existingChannelIds, findChannel, upsertChannelRow } from './channel.repository.js';
import type { Channel, ChannelInput } from './channel.schemas.js';

/**
 * An id with a prefix names its type (`marketplace:zalando`, `pos:paris`), and a marketplace always
 * carries its name as the prefix form, so one marketplace is told apart from the next.
 */
function checkIdMatchesType(id: string, input: ChannelInput): Failure | undefined {
  const colon = id.indexOf(':');
  const prefix = colon < 0 ? undefined : id.slice(0, colon);
  if (prefix !== undefined && prefix !== input.type) {
    return fail('channel_type_mismatch', `channel ${id} has the prefix "${prefix}" but type "${input.type}"`, { field: 'type' });
  }
  if (input.type === 'marketplace' && prefix === undefined) {
    return fail('channel_type_mismatch', `a marketplace channel id is marketplace:<name>, not ${id}`, { field: 'type' });
  }
  return undefined;
}

function checkProtections(id: string, input: ChannelInput): Failure | undefined {
  const protectedIds = (input.pool?.protections ?? []).map((p) => p.channelId);
  if (protectedIds.includes(id)) {
    return fail('invalid_channel_pool', `channel ${id} cannot protect stock for itself`, { field: 'pool.protections' });
  }
  const repeated = protectedIds.filter((c, i) => protectedIds.indexOf(c) !== i);
  if (repeated.length > 0) {
    return fail('invalid_channel_pool', `protections name a channel twice: ${[...new Set(repeated)].join(', ')}`, { field: 'pool.protections' });
  }
  return undefined;
}

/** PUT semantics: creates or replaces a channel and its pool rules; every referenced location and channel must exist. */
export async function upsertChannel(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: string,
  input: ChannelInput,
): Promise<Result<{ channel: Channel; created: boolean }>> {
  const problem = checkIdMatchesType(id, input) ?? checkProtections(id, input);
  if (problem) return problem;

  return db.transaction().execute(async (tx) => {
    const before = await findChannel(tx, id, true);

    const locationIds = input.eligibleLocationIds ?? [];
    if (locationIds.length > 0) {
      const found = new Set((await listLocations(tx, { ids: locationIds, limit: locationIds.length })).map((l) => l.id));
      const missing = locationIds.filter((l) => !found.has(l));
      if (missing.length > 0) return fail('unknown_locations', `unknown locations: ${missing.join(', ')}`, { missingLocationIds: missing });
    }
    const protectedIds = (input.pool?.protections ?? []).map((p) => p.channelId);
    const known = await existingChannelIds(tx, protectedIds);
    const missingChannels = protectedIds.filter((c) => !known.has(c));
    if (missingChannels.length > 0) {
      return fail('unknown_channels', `protections name unknown channels: ${missingChannels.join(', ')}`, { missingChannelIds: missingChannels });
    }

    const channel = await upsertChannelRow(tx, id, input, clock.now());
    await writeAudit(tx, actor, before ? 'channel.updated' : 'channel.created', 'channel', id, before ?? null, channel);
    await appendEvents(tx, [{ type: 'channel.upserted', aggregateType: 'channel', aggregateId: id, payload: channel }]);
    return ok({ channel, created: !before });
  });
}
