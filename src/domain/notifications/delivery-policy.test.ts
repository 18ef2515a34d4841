import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelsFor, decideDelivery, isEssential, MAX_ATTEMPTS, normalizeAddress, retryDelayMs, SUPPRESSION_REASONS } from './delivery-policy.js';
import { TEMPLATES } from './render.js';

describe('decideDelivery', () => {
  it('sends essential messages to an unsubscribed or opted-out customer', () => {
    for (const t of TEMPLATES.filter(isEssential)) {
      expect(decideDelivery(t, ['unsubscribed'], true)).toEqual({ send: true });
    }
  });

  it('holds optional messages for an unsubscribed or opted-out customer', () => {
    expect(decideDelivery('order_delayed', ['unsubscribed'], false)).toEqual({ send: false, reason: 'unsubscribed' });
    expect(decideDelivery('order_delayed', [], true)).toEqual({ send: false, reason: 'marketing_opt_out' });
    expect(decideDelivery('order_delayed', [], false)).toEqual({ send: true });
  });

  it('sends nothing at all to a hard-bounced or admin-suppressed address', () => {
    for (const t of TEMPLATES) {
      expect(decideDelivery(t, ['hard_bounce'], false)).toEqual({ send: false, reason: 'hard_bounce' });
      expect(decideDelivery(t, ['unsubscribed', 'admin'], false)).toEqual({ send: false, reason: 'admin' });
    }
  });

  it('never sends when a blocking suppression is present, whatever else holds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), fc.subarray([...SUPPRESSION_REASONS]), fc.boolean(), (t, reasons, optOut) => {
        const d = decideDelivery(t, reasons, optOut);
        if (reasons.includes('hard_bounce') || reasons.includes('admin')) expect(d.send).toBe(false);
        else if (isEssential(t)) expect(d.send).toBe(true);
      }),
    );
  });
});

describe('channelsFor', () => {
  it('uses e-mail for everything and SMS for short, time-sensitive messages', () => {
    const both = { email: 'a@b.fr', phone: '+33612345678' };
    expect(channelsFor('pickup_ready', both)).toEqual(['email', 'sms']);
    expect(channelsFor('order_confirmation', both)).toEqual(['email']);
    expect(channelsFor('order_shipped', { phone: '+33612345678' })).toEqual(['sms']);
    expect(channelsFor('order_refunded', {})).toEqual([]);
  });
});

describe('retryDelayMs', () => {
  it('doubles from 30 s up to an hour, within ±20 %', () => {
    expect(retryDelayMs(1, 0.5)).toBe(30_000);
    expect(retryDelayMs(2, 0.5)).toBe(60_000);
    expect(retryDelayMs(20, 0.5)).toBe(3_600_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ATTEMPTS }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, j) => {
        const nominal = Math.min(30_000 * 2 ** (n - 1), 3_600_000);
        const d = retryDelayMs(n, j);
        expect(d).toBeGreaterThanOrEqual(nominal * 0.8 - 1);
        expect(d).toBeLessThanOrEqual(nominal * 1.2 + 1);
      }),
    );
  });
});

describe('normalizeAddress', () => {
  it('compares e-mails case-insensitively and phones without separators', () => {
    expect(normalizeAddress('email', ' Alice.Martin@Example.FR ')).toBe('alice.martin@example.fr');
    expect(normalizeAddress('sms', '+33 6 12.34-56 (78)')).toBe('+33612345678');
  });
});
