import crypto from 'node:crypto';
import { writeNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';

/** Same meaning, same hash: object keys are sorted so a client re-serialising its body still matches. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return crypto.createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

export type KeyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'reused' };

/**
 * Claims a key inside the command's transaction. A concurrent request with the same key waits on the
 * unique index until this transaction ends: it then replays the committed response, or claims the key
 * itself if this one rolled back (failures are not stored: they wrote nothing, a retry may succeed).
 */
export async function claimIdempotencyKey(tx: Tx, scope: string, key: string, hash: string): Promise<KeyClaim> {
  return claimAnswered(tx, (await claimStatement(scope, key, hash).execute(tx)).rows, scope, key, hash);
}

/** The statement of claimIdempotencyKey, for a caller sending it with others (runTogether); see claimAnswered. */
export const claimStatement = (scope: string, key: string, hash: string) => sql`
    INSERT INTO idempotency_key (scope, key, request_hash, status_code, response_body)
    VALUES (${scope}, ${key}, ${hash}, 0, '{}'::jsonb)
    ON CONFLICT (scope, key) DO NOTHING RETURNING key`;

/** The claim, from the rows its statement answered. */
export async function claimAnswered(tx: Tx, inserted: readonly unknown[], scope: string, key: string, hash: string): Promise<KeyClaim> {
  if (inserted.length > 0) return { kind: 'new' };
  const stored = await tx
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status_code', 'response_body'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (stored.request_hash !== hash) return { kind: 'reused' };
  return { kind: 'replay', statusCode: stored.status_code, body: stored.response_body };
}

/** Stores the answer a replay gets; `body` as an object, or as the JSON text the caller also sends. */
export async function storeIdempotentResponse(tx: Tx, scope: string, key: string, statusCode: number, body: unknown, batch?: StatementBatch): Promise<void> {
  const update = tx
    .updateTable('idempotency_key')
    .set({ status_code: statusCode, response_body: typeof body === 'string' ? body : JSON.stringify(body) })
    .where('scope', '=', scope)
    .where('key', '=', key);
  await writeNowOrLater(update, batch);
}
