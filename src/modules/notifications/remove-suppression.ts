import type { Db } from '../../db/database.js';
import type { Channel, SuppressionReason } from '../../domain/notifications/delivery-policy.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { checkedAddress } from './set-suppression.js';
import { removeSuppressions, type Suppression } from './suppression.repository.js';

/** Lifts one reason (or all) for an address, e.g. after a customer re-subscribes or fixes a bounced mailbox. */
export async function removeSuppression(db: Db, actor: Actor, channel: Channel, rawAddress: string, reason?: SuppressionReason): Promise<Result<{ removed: Suppression[] }>> {
  const address = checkedAddress(channel, rawAddress);
  if (!address.ok) return address;
  return db.transaction().execute(async (tx) => {
    const removed = await removeSuppressions(tx, channel, address.value, reason);
    if (removed.length === 0) return fail('suppression_not_found', `${address.value} is not suppressed on ${channel}${reason ? ` for ${reason}` : ''}`);
    await writeAudit(tx, actor, 'notification.unsuppressed', 'notification_suppression', `${channel}:${address.value}`, removed, null);
    return ok({ removed });
  });
}
