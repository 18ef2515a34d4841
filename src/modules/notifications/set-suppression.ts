import type { Db } from '../../db/database.js';
import { normalizeAddress, type Channel } from '../../domain/notifications/delivery-policy.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import type { SuppressionInput } from './notifications.schemas.js';
import { addSuppression, listSuppressions, type Suppression } from './suppression.repository.js';

/** The normalised address, or a failure when it cannot be an e-mail address or a phone number. */
export function checkedAddress(channel: Channel, raw: string): Result<string> {
  const address = normalizeAddress(channel, raw);
  const valid = channel === 'email' ? /^[^\s@]+@[^\s@]+$/.test(address) : /^\+?[0-9]{6,15}$/.test(address);
  return valid ? ok(address) : fail('invalid_address', `"${raw}" is not ${channel === 'email' ? 'an e-mail address' : 'a phone number'}`, { channel });
}

/**
 * Suppresses an address on a channel (an admin's decision by default: no message at all, essential ones
 * included). Idempotent; returns the address's suppressions and whether this one is new.
 */
export async function setSuppression(
  ctx: { db: Db; clock: Clock },
  actor: Actor,
  channel: Channel,
  rawAddress: string,
  input: SuppressionInput,
): Promise<Result<{ created: boolean; suppressions: Suppression[] }>> {
  const address = checkedAddress(channel, rawAddress);
  if (!address.ok) return address;
  const reason = input.reason ?? 'admin';
  return ctx.db.transaction().execute(async (tx) => {
    const created = await addSuppression(tx, { channel, address: address.value, reason, note: input.note ?? null, createdBy: actor.id, now: ctx.clock.now() });
    const suppressions = await listSuppressions(tx, { channel, address: address.value, limit: 10 });
    if (created) await writeAudit(tx, actor, 'notification.suppressed', 'notification_suppression', `${channel}:${address.value}`, null, { reason, note: input.note ?? null });
    return ok({ created, suppressions });
  });
}
