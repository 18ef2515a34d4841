import type { TemplateId } from './render.js';

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Why an address gets no (or fewer) messages. */
export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounce', 'admin'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * Essential messages are the ones a customer needs to complete the purchase they made: the contract
 * confirmation or receipt, the pickup code, the tracking link, a cancellation, a refund. Optional ones
 * only keep them informed (a delay notice: the order still arrives and the tracking link still works).
 */
const ESSENTIAL: Record<TemplateId, boolean> = {
  order_confirmation: true,
  store_receipt: true,
  pickup_ready: true,
  // Without it an order the customer paid for is cancelled when the hold ends.
  pickup_reminder: true,
  order_shipped: true,
  order_cancelled: true,
  order_refunded: true,
  order_delayed: false,
};

export const isEssential = (template: TemplateId): boolean => ESSENTIAL[template];

/** E-mail carries every message; SMS only the short, time-sensitive ones. */
const SMS_TEMPLATES: ReadonlySet<TemplateId> = new Set(['pickup_ready', 'pickup_reminder', 'order_shipped', 'order_delayed', 'order_cancelled']);

export function channelsFor(template: TemplateId, contact: { email?: string; phone?: string }): Channel[] {
  const channels: Channel[] = [];
  if (contact.email) channels.push('email');
  if (contact.phone && SMS_TEMPLATES.has(template)) channels.push('sms');
  return channels;
}

export type DeliveryDecision = { send: true } | { send: false; reason: SuppressionReason | 'marketing_opt_out' };

/**
 * The unsubscribe rule, in one place:
 * - a hard bounce or an admin suppression stops every message to that address on that channel;
 * - an unsubscribe (signed link) or the order's `marketingOptOut` stops optional messages only:
 *   essential messages about an order the customer placed still go, because they need them.
 */
export function decideDelivery(template: TemplateId, suppressions: readonly SuppressionReason[], marketingOptOut: boolean): DeliveryDecision {
  const blocking = suppressions.find((r) => r === 'hard_bounce' || r === 'admin');
  if (blocking) return { send: false, reason: blocking };
  if (isEssential(template)) return { send: true };
  if (suppressions.includes('unsubscribed')) return { send: false, reason: 'unsubscribed' };
  if (marketingOptOut) return { send: false, reason: 'marketing_opt_out' };
  return { send: true };
}

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

/**
 * Delay before the next attempt after `attempt` failed (1-based): 30 s doubling up to 1 h, spread by
 * ±20 % with `jitter` in [0, 1) so retries after an outage do not all arrive at once. Eight attempts
 * span about an hour and a half before a message is marked failed.
 */
export function retryDelayMs(attempt: number, jitter: number): number {
  const exponential = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(exponential * (0.8 + 0.4 * jitter));
}

/** E-mail addresses compare case-insensitively; phone numbers without spaces, dots, dashes or brackets. */
export function normalizeAddress(channel: Channel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address.replace(/[\s.()-]/g, '');
}
