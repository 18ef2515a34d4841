/**
 * Where a fulfillment stands in its location's queue, from the instant it must leave (ship, transfer) or
 * be ready (pickup). The queue is ordered by that deadline; the label tells the associate why.
 *
 * overdue: past the deadline · urgent: due within `urgentMinutes` (default 120) · today: due before the
 * end of the location's local day · later: anything else, or no deadline.
 * Example: due 14:00 Paris, now 12:30 Paris → urgent; now 14:05 → overdue.
 */
export type QueuePriority = 'overdue' | 'urgent' | 'today' | 'later';

export const PRIORITY_RANK: Readonly<Record<QueuePriority, number>> = { overdue: 0, urgent: 1, today: 2, later: 3 };

export function queuePriority(dueAt: number | null, now: number, endOfLocalDay: number, urgentMinutes = 120): QueuePriority {
  if (dueAt === null) return 'later';
  if (dueAt <= now) return 'overdue';
  if (dueAt - now <= urgentMinutes * 60_000) return 'urgent';
  if (dueAt < endOfLocalDay) return 'today';
  return 'later';
}
