import crypto from 'node:crypto';
import { isUuid } from '../../domain/shared/ids.js';

/** How long a tracking link in a customer message keeps working, counted from when the message is written. */
export const TRACKING_LINK_DAYS = 90;

/** What a valid tracking link names: one order, until a moment. */
export interface TrackingClaim {
  orderId: string;
  expiresAt: Date;
}

const mac = (payload: string, secret: string) => crypto.createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * The key of tracking links: ORDO_TRACKING_SECRET when configured, otherwise derived (HKDF-SHA256, its
 * own label) from the unsubscribe key, so the key generated once in the database serves both without a
 * second stored secret, and a tracking signature can never pass for an unsubscribe one.
 */
export function trackingKey(configured: string | undefined, unsubscribeKey: string): string {
  if (configured) return configured;
  return Buffer.from(crypto.hkdfSync('sha256', unsubscribeKey, '', 'ordo tracking links v1', 32)).toString('base64url');
}

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 4;

/**
 * `<payload>.<signature>`, 72 characters: the payload is base64url of a version byte, the order id (a
 * UUID, 16 bytes) and the expiry (Unix seconds, 4 bytes); the signature is HMAC-SHA256 of the payload
 * text (base64url). Short enough for a path segment and a tidy link. Whoever holds the link sees that
 * order's tracking page, nothing else, until it expires.
 */
export function signTrackingToken(claim: TrackingClaim, secret: string): string {
  if (!isUuid(claim.orderId)) throw new Error(`tracking links name orders by their UUID, got "${claim.orderId}"`);
  const bytes = Buffer.alloc(PAYLOAD_BYTES);
  bytes.writeUInt8(VERSION, 0);
  Buffer.from(claim.orderId.replaceAll('-', ''), 'hex').copy(bytes, 1);
  bytes.writeUInt32BE(Math.floor(claim.expiresAt.getTime() / 1000), 17);
  const payload = bytes.toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The claim of a token signed with `secret` and not expired at `now`; undefined for anything else. */
export function verifyTrackingToken(token: string, secret: string, now: Date): TrackingClaim | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES || bytes.readUInt8(0) !== VERSION) return undefined;
  const hex = bytes.subarray(1, 17).toString('hex');
  const orderId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const expiresAt = new Date(bytes.readUInt32BE(17) * 1000);
  return now < expiresAt ? { orderId, expiresAt } : undefined;
}

/** The link a customer message carries: the tracking page of the web app, valid TRACKING_LINK_DAYS from `now`. */
export function trackingLink(publicUrl: string, orderId: string, secret: string, now: Date): string {
  const expiresAt = new Date(now.getTime() + TRACKING_LINK_DAYS * 86_400_000);
  return `${publicUrl}/app/track/${signTrackingToken({ orderId, expiresAt }, secret)}`;
}
