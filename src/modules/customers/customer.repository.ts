import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import { isUniqueViolation } from '../../db/pg-errors.js';
import type { StatementBatch } from '../../db/statement-batch.js';
import type { CustomerTable } from '../../db/schema.js';
import { emailKey, phoneKey } from '../../domain/customers/contact-keys.js';
import { newRowId } from '../../db/row-id.js';

export type CustomerRow = Selectable<CustomerTable>;

export interface ContactFields {
  email?: string;
  phone?: string;
  name?: string;
  locale?: string;
  loyaltyId?: string;
  marketingOptOut?: boolean;
}

/** The keys an order's contact is matched by (normalised e-mail, phone); null where it gives none. */
export function contactKeys(c: ContactFields): { email: string | null; phone: string | null } {
  return { email: emailKey(c.email), phone: phoneKey(c.phone) };
}

/**
 * The customer a contact names among `known` (read with the order's facts, by these keys): by e-mail
 * when it gives one, else by phone, the oldest (a phone-only contact also finds a customer who gave
 * that phone with an e-mail).
 */
export function matchCustomer(c: ContactFields, known: readonly CustomerRow[]): CustomerRow | undefined {
  const keys = contactKeys(c);
  if (keys.email) return known.find((k) => k.email_key === keys.email);
  const byPhone = known.filter((k) => keys.phone !== null && k.phone_key === keys.phone);
  return byPhone.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

/**
 * The customer behind an order's contact, written by the order's batch: created on first sight (its id
 * made here), else updated with the fields the order gives, and only when something changes (two
 * orders of one customer then do not queue behind each other's row lock). `found` is matchCustomer's
 * answer, read before the transaction: a customer another order created since makes the insert fail
 * on its unique index (isCustomerTaken), and the caller reads again. Undefined when the contact has
 * neither key.
 */
export function batchCustomer(tx: Tx, batch: StatementBatch, c: ContactFields, found: CustomerRow | undefined, at: Date): CustomerRow | undefined {
  const keys = contactKeys(c);
  if (!keys.email && !keys.phone) return undefined;
  if (!found) {
    const row: CustomerRow = {
      id: newRowId(),
      email: c.email ?? null,
      email_key: keys.email,
      phone: c.phone ?? null,
      phone_key: keys.phone,
      name: c.name ?? null,
      locale: c.locale ?? null,
      loyalty_id: c.loyaltyId ?? null,
      marketing_opt_out: c.marketingOptOut ?? false,
      created_at: at,
      updated_at: at,
    };
    batch.insert('customer', [row]);
    return row;
  }
  const changes = {
    ...(c.email !== undefined && c.email !== found.email ? { email: c.email } : {}),
    ...(c.phone !== undefined && keys.phone !== found.phone_key ? { phone: c.phone, phone_key: keys.phone } : {}),
    ...(c.name !== undefined && c.name !== found.name ? { name: c.name } : {}),
    ...(c.locale !== undefined && c.locale !== found.locale ? { locale: c.locale } : {}),
    ...(c.loyaltyId !== undefined && c.loyaltyId !== found.loyalty_id ? { loyalty_id: c.loyaltyId } : {}),
    ...(c.marketingOptOut !== undefined && c.marketingOptOut !== found.marketing_opt_out ? { marketing_opt_out: c.marketingOptOut } : {}),
  };
  if (Object.keys(changes).length === 0) return found;
  batch.add(tx.updateTable('customer').set({ ...changes, updated_at: at }).where('id', '=', found.id));
  return { ...found, ...changes, updated_at: at };
}

/** The insert of batchCustomer lost a race: the e-mail (or phone-only identity) became a customer meanwhile. */
export function isCustomerTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'customer_email_idx') || isUniqueViolation(err, 'customer_phone_only_idx');
}

/**
 * The customers matchCustomer needs for these keys, in one statement's JSON: the one with each e-mail and
 * the oldest with each phone. One index lookup per key, as correlated subqueries (the planner keeps
 * them as lookups; a join or an OR over the keys becomes a scan of the table when statistics are old),
 * and the customers found by primary key: `id IN (those)` was planned as a hash join over a scan of
 * every customer.
 */
export const customersByKeysJson = (emails: readonly string[], phones: readonly string[]) => sql<unknown>`
  (SELECT coalesce(json_agg(c), '[]'::json) FROM customer c
    WHERE c.id = ANY (ARRAY(
      SELECT (SELECT e.id FROM customer e WHERE e.email_key IS NOT NULL AND e.email_key = k.v)
        FROM json_array_elements_text(${JSON.stringify(emails)}::json) AS k(v)
      UNION ALL
      SELECT (SELECT p.id FROM customer p WHERE p.phone_key IS NOT NULL AND p.phone_key = k.v ORDER BY p.created_at, p.id LIMIT 1)
        FROM json_array_elements_text(${JSON.stringify(phones)}::json) AS k(v))))`;

/** A customer row read as JSON (customersByKeysJson): its times as Dates. */
export function customerFromJson(j: Omit<CustomerRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string }): CustomerRow {
  return { ...j, created_at: new Date(j.created_at), updated_at: new Date(j.updated_at) };
}

export async function findCustomer(db: DbOrTx, id: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customer').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Customers matching an e-mail and/or a phone (normalised like on capture), oldest first. */
export async function findCustomersByContact(db: DbOrTx, q: { email?: string; phone?: string }, limit: number): Promise<CustomerRow[]> {
  const byEmail = emailKey(q.email);
  const byPhone = phoneKey(q.phone);
  let query = db.selectFrom('customer').selectAll().orderBy('created_at').orderBy('id').limit(limit);
  if (byEmail) query = query.where('email_key', '=', byEmail);
  if (byPhone) query = query.where('phone_key', '=', byPhone);
  return query.execute();
}
