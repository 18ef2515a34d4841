import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSecret, signPayload, verifySignature } from './webhook-signature.js';

const secret = 'whsec_test';
const body = '{"eventId":"e1","type":"order.shipped","payload":{"orderId":"o-1","total":1999}}';

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 in the documented format', () => {
    const expected = crypto.createHmac('sha256', secret).update(`1767600000.${body}`).digest('hex');
    expect(signPayload(secret, body, 1_767_600_000)).toBe(`t=1767600000,v1=${expected}`);
  });

  it('verifies what it signs, within the tolerance', () => {
    const header = signPayload(secret, body, 1_767_600_000);
    expect(verifySignature(secret, header, body, 1_767_600_000)).toEqual({ ok: true, timestamp: 1_767_600_000 });
    expect(verifySignature(secret, header, body, 1_767_600_300).ok).toBe(true);
    expect(verifySignature(secret, header, body, 1_767_600_301)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(secret, header, body, 1_767_599_699)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects another secret, a changed body, a changed timestamp and malformed headers', () => {
    const header = signPayload(secret, body, 1_767_600_000);
    expect(verifySignature('whsec_other', header, body, 1_767_600_000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(secret, header, body.replace('1999', '1990'), 1_767_600_000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(secret, header.replace('t=1767600000', 't=1767600001'), body, 1_767_600_001)).toEqual({ ok: false, reason: 'mismatch' });
    for (const bad of [undefined, '', 'v1=abc', `t=1767600000`, 't=x,v1=' + 'a'.repeat(64), 'garbage']) {
      expect(verifySignature(secret, bad, body, 1_767_600_000)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const header = signPayload(secret, body, 1_767_600_000);
    const other = signPayload('whsec_old', body, 1_767_600_000).split(',')[1];
    expect(verifySignature(secret, `${header},${other}`, body, 1_767_600_000).ok).toBe(true);
    expect(verifySignature('whsec_old', `${header},${other}`, body, 1_767_600_000).ok).toBe(true);
  });

  it('any tampering with any body is detected (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.integer({ min: 0, max: 2 ** 31 }), (original, tampered, t) => {
        const header = signPayload(secret, original, t);
        expect(verifySignature(secret, header, original, t).ok).toBe(true);
        if (tampered !== original) expect(verifySignature(secret, header, tampered, t).ok).toBe(false);
      }),
    );
  });

  it('generates distinct, prefixed secrets', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(a);
  });
});
