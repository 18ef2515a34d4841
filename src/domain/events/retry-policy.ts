/** How failed deliveries (webhooks, a failing event consumer) are retried: exponential backoff with jitter, then a dead letter. */
export interface RetryPolicy {
  /** Delay ceiling after the first failure; it doubles with every failure. */
  baseMs: number;
  /** The ceiling stops growing here. */
  maxMs: number;
}

/**
 * Delay before the next attempt after `failedAttempts` consecutive failures (>= 1), with "equal jitter":
 * uniformly in [c/2, c] where c = min(maxMs, baseMs * 2^(failedAttempts-1)). Half the delay is guaranteed,
 * so an endpoint gets breathing room, and the random half spreads the retries of many deliveries that
 * failed together (an endpoint coming back up is not hit by all of them in the same second).
 * `random` in [0, 1) is passed in so the function stays deterministic.
 *
 * Example (base 30 s, max 6 h): 15-30 s, 30-60 s, 1-2 min, 2-4 min, ... capped at 3-6 h.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling / 2 + (Math.min(Math.max(random, 0), 1) * ceiling) / 2);
}

export type DeliveryOutcome = { kind: 'retry'; at: Date } | { kind: 'dead' };

/** After a failed attempt: retry later, or dead-letter once `maxAttempts` attempts have failed. */
export function afterFailedAttempt(failedAttempts: number, maxAttempts: number, now: Date, policy: RetryPolicy, random: number): DeliveryOutcome {
  if (failedAttempts >= maxAttempts) return { kind: 'dead' };
  return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(failedAttempts, policy, random)) };
}
