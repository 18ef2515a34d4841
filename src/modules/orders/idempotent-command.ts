import type { Db, Tx } from '../../db/database.js';
import { BusinessError, ok, type Result } from '../../domain/shared/result.js';
import { claimIdempotencyKey, idempotencyKeyReused, requestHash, storedIdempotentResponse, storeIdempotentResponse } from '../reservations/idempotency.repository.js';

/**
 * Runs a command in one transaction, idempotent when the client sends an Idempotency-Key: a replay
 * answers the stored result and writes nothing, the same key with another body is refused. The command
 * throws BusinessError to refuse: everything it wrote (and the key claim) rolls back.
 */
export async function withOptionalIdempotency<T>(db: Db, scope: string, key: string | undefined, body: unknown, command: (tx: Tx) => Promise<T>): Promise<Result<T>> {
  const hash = requestHash(body ?? {});
  if (key !== undefined) {
    const stored = await storedIdempotentResponse(db, scope, key);
    if (stored) return stored.requestHash === hash ? ok(stored.body as T) : idempotencyKeyReused();
  }
  try {
    return ok(
      await db.transaction().execute(async (tx) => {
        if (key !== undefined) {
          const claim = await claimIdempotencyKey(tx, scope, key, hash);
          if (claim.kind === 'reused') throw BusinessError.of(idempotencyKeyReused());
          if (claim.kind === 'replay') return claim.body as T;
        }
        const result = await command(tx);
        if (key !== undefined) await storeIdempotentResponse(tx, scope, key, 200, result);
        return result;
      }),
    );
  } catch (err) {
    if (err instanceof BusinessError) return err.toFailure();
    throw err;
  }
}
