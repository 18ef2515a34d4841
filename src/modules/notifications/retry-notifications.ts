import type { Channel } from '../../domain/notifications/delivery-policy.js';
import { deliverNotification } from './deliver-notification.js';
import { SEND_LEASE_MS, type NotificationDeps } from './notification-deps.js';
import { claimDueNotification } from './notification.repository.js';

const RETRIES_PER_PASS = 100;

/**
 * Sends the notifications whose retry time (or send lease) has come, one claimed row at a time: the table
 * is the timer, so retries survive restarts, and SKIP LOCKED lets several Ordo processes run this at once
 * without sending a row twice. A channel that fails again is left alone for the rest of the pass. Returns
 * how many notifications were attempted.
 */
export async function retryDueNotifications(deps: NotificationDeps, limit = RETRIES_PER_PASS): Promise<number> {
  const down: Channel[] = [];
  let attempted = 0;
  while (attempted < limit) {
    const now = deps.clock.now();
    const row = await claimDueNotification(deps.db, now, new Date(now.getTime() + SEND_LEASE_MS), down);
    if (!row) break;
    attempted++;
    if ((await deliverNotification(deps, row)) === 'retrying') down.push(row.channel);
  }
  return attempted;
}
