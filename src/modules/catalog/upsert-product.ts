import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Failure, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { isKnownCurrency } from './currency.js';
import { findProduct, upsertProductRow } from './product.repository.js';
import type { Product, ProductInput } from './product.schemas.js';

/** The schema checks the shape of a currency code; this checks that ISO 4217 knows it. */
export function checkCurrencies(prices: Record<string, number> | undefined): Failure | undefined {
  const unknown = Object.keys(prices ?? {}).filter((code) => !isKnownCurrency(code));
  if (unknown.length === 0) return undefined;
  return fail('unknown_currency', `not ISO 4217 currency codes: ${unknown.join(', ')}`, { fields: unknown.map((c) => `prices.${c}`) });
}

/** PUT semantics: creates or replaces the product (absent optional fields reset to their defaults). */
export async function upsertProduct(
  db: Db,
  clock: Clock,
  actor: Actor,
  sku: string,
  input: ProductInput,
): Promise<Result<{ product: Product; created: boolean }>> {
  const currencyProblem = checkCurrencies(input.prices);
  if (currencyProblem) return currencyProblem;

  return db.transaction().execute(async (tx) => {
    const before = await findProduct(tx, sku, true);
    const product = await upsertProductRow(tx, sku, input, clock.now());
    await writeAudit(tx, actor, before ? 'product.updated' : 'product.created', 'product', sku, before ?? null, product);
    await appendEvents(tx, [{ type: 'product.upserted', aggregateType: 'product', aggregateId: sku, payload: product }]);
    return ok({ product, created: !before });
  });
}
