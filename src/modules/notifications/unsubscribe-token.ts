import crypto from 'node:crypto';
import { CHANNELS, type Channel } from '../../domain/notifications/delivery-policy.js';
import { LANGUAGES, type Language } from '../../domain/notifications/locale.js';

/** Who an unsubscribe link speaks for, and in which language to answer. */
export interface UnsubscribeClaim {
  channel: Channel;
  address: string;
  language: Language;
}

const sign = (payload: string, secret: string) => crypto.createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * `<payload>.<signature>`: the payload is base64url JSON, the signature HMAC-SHA256 of it. The link does
 * not expire: an unsubscribe link in an old e-mail must keep working; it can only ever unsubscribe the
 * address it was sent to.
 */
export function signUnsubscribeToken(claim: UnsubscribeClaim, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ c: claim.channel, a: claim.address, l: claim.language })).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaim | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  try {
    const { c, a, l } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c?: unknown; a?: unknown; l?: unknown };
    const channel = CHANNELS.find((x) => x === c);
    const language = LANGUAGES.find((x) => x === l) ?? 'fr';
    if (!channel || typeof a !== 'string' || a === '') return undefined;
    return { channel, address: a, language };
  } catch {
    return undefined;
  }
}
