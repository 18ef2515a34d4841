import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { CustomerTable } from '../../db/schema.js';
import { emailKey, phoneKey } from '../../domain/customers/contact-keys.js';

export type CustomerRow = Selectable<CustomerTable>;

export interface ContactFields {
  email?: string;
  phone?: string;
  name?: string;
  locale?: string;
  loyaltyId?: string;
  marketingOptOut?: boolean;
}

/**
 * The customer behind an order's contact, created on first sight: matched by e-mail, else by phone
 * (a phone-only contact also finds a customer who gave that phone with an e-mail). Fields given with
 * the order update the customer; the row is written (and locked) only when something changes, so two
 * orders of one customer do not queue behind each other. Undefined when the contact has neither key.
 * `firstAnswered`: the rows of upsertCustomerFirstStatement, when the caller has run it already.
 */
export async function upsertCustomer(tx: Tx, c: ContactFields, at: Date, firstAnswered?: readonly CustomerRow[]): Promise<CustomerRow | undefined> {
  const byEmail = emailKey(c.email);
  const byPhone = phoneKey(c.phone);
  if (!byEmail && !byPhone) return undefined;
  let row: CustomerRow | undefined;
  if (byEmail) {
    // A returning customer is found by the same statement; one inserted by a transaction that committed
    // while it ran is not (its snapshot predates it), so it is read again.
    row = firstAnswered ? firstAnswered[0] : (await insertOrFindByEmail(c, byEmail, byPhone, at).execute(tx)).rows[0];
    row ??= await tx.selectFrom('customer').selectAll().where('email_key', '=', byEmail).executeTakeFirstOrThrow();
  } else {
    row = await tx.selectFrom('customer').selectAll().where('phone_key', '=', byPhone).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    row ??= await insertCustomer(tx, c, null, byPhone, at);
    row ??= await tx.selectFrom('customer').selectAll().where('phone_key', '=', byPhone).where('email_key', 'is', null).executeTakeFirstOrThrow();
  }
  const changes = {
    ...(c.email !== undefined && c.email !== row.email ? { email: c.email } : {}),
    ...(c.phone !== undefined && byPhone !== row.phone_key ? { phone: c.phone, phone_key: byPhone } : {}),
    ...(c.name !== undefined && c.name !== row.name ? { name: c.name } : {}),
    ...(c.locale !== undefined && c.locale !== row.locale ? { locale: c.locale } : {}),
    ...(c.loyaltyId !== undefined && c.loyaltyId !== row.loyalty_id ? { loyalty_id: c.loyaltyId } : {}),
    ...(c.marketingOptOut !== undefined && c.marketingOptOut !== row.marketing_opt_out ? { marketing_opt_out: c.marketingOptOut } : {}),
  };
  if (Object.keys(changes).length === 0) return row;
  return tx.updateTable('customer').set({ ...changes, updated_at: at }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
}

/** The insert of a new customer, doing nothing when the e-mail (or, without one, the phone) is already a customer's. */
const insertStatement = (c: ContactFields, byEmail: string | null, byPhone: string | null, at: Date) => sql<CustomerRow>`
  INSERT INTO customer (email, email_key, phone, phone_key, name, locale, loyalty_id, marketing_opt_out, created_at, updated_at)
  VALUES (${c.email ?? null}, ${byEmail}, ${c.phone ?? null}, ${byPhone}, ${c.name ?? null}, ${c.locale ?? null}, ${c.loyaltyId ?? null},
          ${c.marketingOptOut ?? false}, ${at}, ${at})
  ON CONFLICT DO NOTHING
  RETURNING *`;

/** Inserts unless the e-mail (or, without one, the phone) is already a customer's: then undefined. */
async function insertCustomer(tx: Tx, c: ContactFields, byEmail: string | null, byPhone: string | null, at: Date): Promise<CustomerRow | undefined> {
  return (await insertStatement(c, byEmail, byPhone, at).execute(tx)).rows[0];
}

/** Inserts the customer, or answers the one that has this e-mail, in one statement. */
const insertOrFindByEmail = (c: ContactFields, byEmail: string, byPhone: string | null, at: Date) => sql<CustomerRow>`
    WITH inserted AS (${insertStatement(c, byEmail, byPhone, at)})
    SELECT * FROM inserted
    UNION ALL
    SELECT * FROM customer WHERE email_key = ${byEmail} AND NOT EXISTS (SELECT 1 FROM inserted)`;

/**
 * The first statement of upsertCustomer for a contact with an e-mail (undefined without one), for a
 * caller sending it with others (runTogether): its rows go back to upsertCustomer as `firstAnswered`.
 */
export function upsertCustomerFirstStatement(c: ContactFields, at: Date) {
  const byEmail = emailKey(c.email);
  return byEmail ? insertOrFindByEmail(c, byEmail, phoneKey(c.phone), at) : undefined;
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
