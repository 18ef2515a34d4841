import { createHash } from 'node:crypto';

/** Crockford base 32: no I, L, O, U, so a tracking number read aloud or retyped is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 10;

/** The carrier's prefix: its id in capitals, letters and digits only, at most 4 (colissimo → COLI). */
export function carrierPrefix(carrierId: string): string {
  return (carrierId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 4) || 'X').padEnd(2, 'X');
}

/**
 * The tracking number of one parcel of a shipment, the same for the same input:
 * <carrier prefix><10 characters of SHA-256 of (carrier, shipment reference, attempt)><parcel, 2 digits>.
 * The shipment reference is unique (a fulfillment number), so numbers differ between shipments unless the
 * 50-bit hashes collide; the caller then asks again with the next `attempt` (see ship-fulfillment.ts).
 * Parcels of one shipment share the body and differ by their suffix.
 * Example: trackingNumber('post', 'ORD-2026-000123-F1', 1) → 'POST' + 10 characters + '01'.
 */
export function trackingNumber(carrierId: string, reference: string, parcel: number, attempt = 0): string {
  if (!Number.isInteger(parcel) || parcel < 1 || parcel > 99) throw new RangeError(`parcel ${parcel} outside 1..99`);
  const digest = createHash('sha256').update(`${carrierId}\u0000${reference}\u0000${attempt}`).digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    body += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `${carrierPrefix(carrierId)}${body}${String(parcel).padStart(2, '0')}`;
}

/** The carrier's public tracking page: `{trackingNumber}` in its template replaced (URL-encoded). */
export function trackingUrl(template: string | null | undefined, number: string): string | undefined {
  return template ? template.split('{trackingNumber}').join(encodeURIComponent(number)) : undefined;
}
