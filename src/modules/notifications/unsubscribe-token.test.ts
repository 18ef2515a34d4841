import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token.js';

const secret = 'a-long-random-secret';

describe('unsubscribe tokens', () => {
  it('verify with the secret that signed them', () => {
    fc.assert(
      fc.property(fc.constantFrom('email' as const, 'sms' as const), fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('fr' as const, 'en' as const), (channel, address, language) => {
        const token = signUnsubscribeToken({ channel, address, language }, secret);
        expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        expect(verifyUnsubscribeToken(token, secret)).toEqual({ channel, address, language });
        expect(verifyUnsubscribeToken(token, 'another-secret')).toBeUndefined();
      }),
    );
  });

  it('reject an altered payload, signature or shape', () => {
    const token = signUnsubscribeToken({ channel: 'email', address: 'alice@example.fr', language: 'fr' }, secret);
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ c: 'email', a: 'victim@example.fr', l: 'fr' })).toString('base64url');
    expect(verifyUnsubscribeToken(`${other}.${signature}`, secret)).toBeUndefined();
    expect(verifyUnsubscribeToken(`${payload}.${signature.slice(0, -1)}`, secret)).toBeUndefined();
    expect(verifyUnsubscribeToken(`${payload}.${signature}.x`, secret)).toBeUndefined();
    expect(verifyUnsubscribeToken(payload, secret)).toBeUndefined();
    expect(verifyUnsubscribeToken('', secret)).toBeUndefined();
    const notJson = Buffer.from('nope').toString('base64url');
    const signed = (p: string) => `${p}.${signUnsubscribeToken({ channel: 'email', address: 'x', language: 'fr' }, secret).split('.')[1]}`;
    expect(verifyUnsubscribeToken(signed(notJson), secret)).toBeUndefined();
  });
});
