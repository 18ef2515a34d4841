import type { DbOrTx } from '../../db/database.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { countCustomerOrders, lifetimeValue, listOrders } from '../orders/order.repository.js';
import { toOrderSummary } from '../orders/order-view.js';
import { listReturns, storeCreditBalances } from '../returns/return.repository.js';
import { toReturnSummary } from '../returns/return-view.js';
import { findCustomer, findCustomersByContact, type CustomerRow } from './customer.repository.js';
import type { CustomerQuery, CustomerView } from './customer.schemas.js';

/** Orders shown with a customer; older ones through GET /v1/orders?customerEmail=. */
const HISTORY = 100;
const MATCHES = 20;

/** One customer across channels: contact, every order (web, app, stores, marketplaces), lifetime value. */
export async function getCustomer(db: DbOrTx, id: string): Promise<Result<CustomerView>> {
  const row = await findCustomer(db, id);
  if (!row) return fail('customer_not_found', `no customer ${id}`);
  return ok(await customerView(db, row));
}

/** Customers with this e-mail and/or phone (written any way: case, spaces and dashes do not matter). */
export async function findCustomers(db: DbOrTx, q: CustomerQuery): Promise<Result<{ items: CustomerView[] }>> {
  if (!q.email && !q.phone) return fail('customer_query_missing', 'give an email or a phone');
  const rows = await findCustomersByContact(db, q, MATCHES);
  const items: CustomerView[] = [];
  for (const row of rows) items.push(await customerView(db, row));
  return ok({ items });
}

async function customerView(db: DbOrTx, c: CustomerRow): Promise<CustomerView> {
  const [orders, value, count, returns, storeCredit] = await Promise.all([
    listOrders(db, { customerId: c.id, limit: HISTORY }),
    lifetimeValue(db, c.id),
    countCustomerOrders(db, c.id),
    listReturns(db, { customerId: c.id, limit: HISTORY }),
    storeCreditBalances(db, c.id),
  ]);
  return {
    id: c.id,
    email: c.email,
    phone: c.phone,
    name: c.name,
    locale: c.locale,
    loyaltyId: c.loyalty_id,
    marketingOptOut: c.marketing_opt_out,
    createdAt: new Date(c.created_at).toISOString(),
    orders: orders.map(toOrderSummary),
    orderCount: count,
    lifetimeValue: value,
    returns: returns.map(toReturnSummary),
    storeCredit,
  };
}
