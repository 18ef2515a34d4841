/**
 * Return policies per channel and country. The most specific one applies: (channel, country), then
 * (channel, any country), then (any channel, country), then the retailer's default (any, any), and the
 * built-in defaults when none was set.
 */
export interface ReturnPolicyRules {
  /** Days after delivery (or collection, or a counter sale) during which units may be returned. */
  windowDays: number;
  /** Days a requested return has for its units to arrive; after that it is cancelled (an exchange settled). */
  arrivalDays: number;
  /** The delivery fee is refunded with the return that brings the whole order back. */
  refundShipping: boolean;
  /** Money moves as soon as the units are received; otherwise on POST /v1/returns/{id}/refund. */
  autoRefund: boolean;
  /** An exchange whose return never arrives: its replacement order is cancelled, or charged to the customer. */
  unreturnedExchange: 'cancel' | 'charge';
}

export interface ScopedPolicy extends ReturnPolicyRules {
  channel: string | null;
  country: string | null;
}

export const DEFAULT_RETURN_POLICY: ReturnPolicyRules = {
  windowDays: 30,
  arrivalDays: 14,
  refundShipping: false,
  autoRefund: true,
  unreturnedExchange: 'cancel',
};

/** The policy for an order sold on `channel` to `country` (see the precedence above), with where it came from. */
export function resolvePolicy(policies: readonly ScopedPolicy[], channel: string, country: string | null): { rules: ReturnPolicyRules; scope: { channel: string | null; country: string | null } } {
  const candidates: Array<[string | null, string | null]> = [
    [channel, country],
    [channel, null],
    [null, country],
    [null, null],
  ];
  for (const [ch, co] of candidates) {
    const found = policies.find((p) => p.channel === ch && p.country === co);
    if (found) {
      const { channel: c, country: k, ...rules } = found;
      return { rules, scope: { channel: c, country: k } };
    }
  }
  return { rules: { ...DEFAULT_RETURN_POLICY }, scope: { channel: null, country: null } };
}
