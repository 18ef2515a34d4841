import crypto from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Passwords shorter than this are refused (NIST 800-63B asks for at least 8; we ask a little more). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

// argon2id with the library's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommended minimum, about
// 20-40 ms per hash on a server core. `Algorithm` is a const enum the type checker cannot inline here.
const ARGON2ID = 2 as Algorithm;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash matches nothing
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies the password against a throw-away hash: a login for an unknown e-mail then costs the same
 * argon2 work as one for a real account, so response times do not tell which e-mails exist.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}
