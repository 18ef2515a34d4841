import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import { fail, type Failure } from '../../domain/shared/result.js';

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

/** The refusal of a key already used with another request body (HTTP 422): a new object each call. */
export const idempotencyKeyReused = (): Failure => fail('idempotency_key_reused', 'this Idempotency-Key was used with a different request body');

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
  const inserted = await sql`
    INSERT INTO idempotency_key (scope, key, request_hash, status_code, response_body)
    VALUES (${scope}, ${key}, ${hash}, 0, '{}'::jsonb)
    ON CONFLICT (scope, key) DO NOTHING RETURNING key`.execute(tx);
  if (inserted.rows.length > 0) return { kind: 'new' };
  const stored = await tx
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status_code', 'response_body'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (stored.request_hash !== hash) return { kind: 'reused' };
  return { kind: 'replay', statusCode: stored.status_code, body: stored.response_body };
}

/** A key's committed answer, with the hash of the request that got it. */
export interface StoredAnswer {
  scope: string;
  key: string;
  requestHash: string;
  statusCode: number;
  body: unknown;
}

/**
 * The committed answers of these keys, for a statement's JSON column (StoredAnswer[]): one index lookup per
 * key (a correlated subquery, which the planner cannot turn into a scan of the whole table).
 */
export const storedAnswersJson = (keys: ReadonlyArray<{ scope: string; key: string }>) => sql<unknown>`
  (SELECT coalesce(json_agg(s.answer), '[]'::json) FROM (
     SELECT (SELECT json_build_object('scope', k.scope, 'key', k.key, 'requestHash', k.request_hash, 'statusCode', k.status_code, 'body', k.response_body)
               FROM idempotency_key k WHERE k.scope = a.scope AND k.key = a.key AND k.status_code > 0) AS answer
       FROM json_to_recordset(${JSON.stringify(keys)}::json) AS a(scope text, key text)) s
   WHERE s.answer IS NOT NULL)`;

/** A key's committed answer, read before any work (the claim is made in the command's transaction). */
export async function storedIdempotentResponse(db: DbOrTx, scope: string, key: string): Promise<StoredAnswer | undefined> {
  const r = await sql<{ answers: StoredAnswer[] }>`SELECT ${storedAnswersJson([{ scope, key }])} AS answers`.execute(db);
  return r.rows[0]!.answers[0];
}

/** Stores the answer a replay gets. */
export async function storeIdempotentResponse(tx: Tx, scope: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await tx
    .updateTable('idempotency_key')
    .set({ status_code: statusCode, response_body: JSON.stringify(body) })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}
